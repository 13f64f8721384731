/** The names and values a query can complete from: what the held messages and the settings know. */
export interface QueryVocabulary {
  readonly senders: readonly string[];
  readonly serviceTypes: readonly string[];
  readonly nodes: readonly string[];
}

export interface QueryCompletions {
  /** The items replace the text from here to the cursor. */
  readonly replaceFrom: number;
  readonly items: readonly string[];
}

/** At most this many items, whatever the vocabulary holds. */
export const MAX_QUERY_COMPLETIONS = 50;
/** Longer values (or values with control characters) are not offered: nobody picks them from a list. */
const MAX_COMPLETED_VALUE = 200;

export const QUERY_FIELD_COMPLETIONS = ['from:', 'type:', 'node:', 'id:', 'reply:', 'is:reply', 'is:root', 'is:json', 'amount>', 'after:', 'before:', 'json.'] as const;

const VALUE_FIELDS: Readonly<Record<string, keyof QueryVocabulary>> = { 'from:': 'senders', 'type:': 'serviceTypes', 'node:': 'nodes' };

/**
 * What can be written at the cursor: a field name, or after `from:`, `type:` or `node:` a value
 * the vocabulary knows (case-insensitive prefix), quoted when it needs quotes. Each item is a
 * whole term (`type:"a b"`), replacing the term written so far.
 */
export function queryCompletions(text: string, cursor: number, vocabulary: QueryVocabulary): QueryCompletions {
  const end = Math.max(0, Math.min(cursor, text.length));
  let start = end;
  while (start > 0 && !/[\s()]/.test(text[start - 1]!)) {
    start--;
  }
  if (text[start] === '-') {
    start++;
  }
  const written = text.slice(start, end);
  const lower = written.toLowerCase();
  const colon = lower.indexOf(':');
  const field = colon >= 0 ? lower.slice(0, colon + 1) : undefined;
  const values = field === undefined ? undefined : VALUE_FIELDS[field];
  if (field !== undefined && values !== undefined) {
    const partial = lower.slice(colon + 1).replace(/^"/, '');
    return { replaceFrom: start, items: bounded(vocabulary[values], (value) => value.toLowerCase().startsWith(partial), (value) => field + queryValue(value)) };
  }
  return { replaceFrom: start, items: QUERY_FIELD_COMPLETIONS.filter((name) => name.startsWith(lower) && name !== lower) };
}

function bounded(values: readonly string[], keep: (value: string) => boolean, item: (value: string) => string): string[] {
  const items = new Set<string>();
  for (const value of values) {
    if (items.size >= MAX_QUERY_COMPLETIONS) {
      break;
    }
    // eslint-disable-next-line no-control-regex
    if (value.length <= MAX_COMPLETED_VALUE && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value) && keep(value)) {
      items.add(item(value));
    }
  }
  return [...items];
}

/** A value as a query writes it: bare when it can be, else quoted with `\"` and `\\`. */
export function queryValue(value: string): string {
  return value !== '' && !/[\s()"\\]/.test(value) ? value : `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}
