import type { NodeMessage } from '../nodeMessage';

/** One step of a JSON path: a key, or an array index. */
export type JsonPathStep = string | number;

const KEY = /[A-Za-z_][A-Za-z0-9_-]*/y;
const INDEX = /\[(\d{1,9})\]/y;

/** `key ("." key | "[" INT "]")*`, or `undefined` when the text is not such a path. */
export function parseJsonPath(text: string): JsonPathStep[] | undefined {
  const steps: JsonPathStep[] = [];
  KEY.lastIndex = 0;
  let match = KEY.exec(text);
  if (!match) {
    return undefined;
  }
  steps.push(match[0]);
  let at = KEY.lastIndex;
  while (at < text.length) {
    if (text[at] === '.') {
      KEY.lastIndex = at + 1;
      match = KEY.exec(text);
      if (!match) {
        return undefined;
      }
      steps.push(match[0]);
      at = KEY.lastIndex;
    } else {
      INDEX.lastIndex = at;
      match = INDEX.exec(text);
      if (!match) {
        return undefined;
      }
      steps.push(Number(match[1]));
      at = INDEX.lastIndex;
    }
  }
  return steps;
}

export function formatJsonPath(path: readonly JsonPathStep[]): string {
  return path.map((step, index) => (typeof step === 'number' ? `[${step}]` : index === 0 ? step : `.${step}`)).join('');
}

export type JsonLookup = { readonly found: true; readonly value: unknown } | { readonly found: false; readonly missing: string };

/** Follows a path through own properties only, so `constructor` or `__proto__` find nothing inherited. */
export function lookupJsonPath(root: unknown, path: readonly JsonPathStep[]): JsonLookup {
  let value = root;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    const ok =
      typeof step === 'number'
        ? Array.isArray(value) && step < value.length
        : typeof value === 'object' && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, step);
    if (!ok) {
      return { found: false, missing: formatJsonPath(path.slice(0, i + 1)) };
    }
    value = (value as Record<string | number, unknown>)[step];
  }
  return { found: true, value };
}

export type ParsedJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/** The reply's data read as UTF-8 JSON. */
export function replyJson(reply: NodeMessage): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(Buffer.from(reply.data).toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Deeper than any reply a person means; `JSON.stringify` of a 20,000-deep array overflows the stack,
 * so a value is measured (without recursion) before it is written.
 */
export const MAX_JSON_DEPTH = 100;

/** A JSON value's text, or `undefined` when it nests deeper than MAX_JSON_DEPTH. Never throws. */
export function jsonText(value: unknown): string | undefined {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== 'object' || item === null) {
      continue;
    }
    if (depth >= MAX_JSON_DEPTH) {
      return undefined;
    }
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      pending.push([child, depth + 1]);
    }
  }
  return JSON.stringify(value) ?? 'null';
}
