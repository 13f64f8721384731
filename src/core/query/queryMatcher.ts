import type { NodeMessage } from '../nodeMessage';
import { jsonText, lookupJsonPath } from '../requests/jsonPath';
import { MessageContent, NOT_JSON } from './messageContent';
import type { JsonPathStep } from '../requests/jsonPath';
import type { AmountOperator, QueryTerm, TimeBound } from './queryTerms';

/** One evaluation of a query against one message: the content is looked up once, if at all. */
interface MatchRun {
  readonly message: NodeMessage;
  readonly now: number;
  content: MessageContent | undefined;
}

type Predicate = (run: MatchRun) => boolean;

/** What a term costs: fields are read as they are; text is decoded; JSON is parsed and walked. */
const FIELD_COST = 0;
const TEXT_COST = 1;
const JSON_COST = 2;

interface Compiled {
  readonly test: Predicate;
  readonly cost: number;
}

/**
 * Compiles a term tree into one predicate. AND and OR try their cheapest terms first (terms have
 * no side effects, so order changes only the cost), so a field term that fails skips the
 * decoding a text term would need. The tree is at most `MAX_QUERY_DEPTH` deep.
 */
export function compileQuery(term: QueryTerm): (message: NodeMessage, now: number) => boolean {
  const { test } = compile(term);
  return (message, now) => test({ message, now, content: undefined });
}

/** Whether a term of the tree counts back from `now` (`after:-15m`, `before:-1h`). */
export function readsClock(term: QueryTerm): boolean {
  switch (term.kind) {
    case 'and':
    case 'or':
      return term.terms.some(readsClock);
    case 'not':
      return readsClock(term.term);
    case 'after':
    case 'before':
      return term.bound.kind === 'ago';
    default:
      return false;
  }
}

function content(run: MatchRun): MessageContent {
  run.content ??= MessageContent.of(run.message);
  return run.content;
}

function compile(term: QueryTerm): Compiled {
  switch (term.kind) {
    case 'and':
      return combined(term.terms, false);
    case 'or':
      return combined(term.terms, true);
    case 'not': {
      const inner = compile(term.term);
      return { cost: inner.cost, test: (run) => !inner.test(run) };
    }
    case 'text':
      return { cost: TEXT_COST, test: textTest(term.text) };
    case 'from':
      return field((message) => startsWithIgnoringCase(message.fromPubkey, term.prefix));
    case 'id':
      return field((message) => startsWithIgnoringCase(message.id, term.prefix));
    case 'reply':
      return field((message) => startsWithIgnoringCase(message.replyToId, term.prefix));
    case 'type':
      return field((message) => equalsIgnoringCase(message.serviceType, term.value));
    case 'node':
      return field((message) => equalsIgnoringCase(message.node, term.value));
    case 'is':
      return term.what === 'json' ? { cost: JSON_COST, test: (run) => content(run).json !== NOT_JSON } : field(term.what === 'reply' ? (message) => message.replyToId !== '' : (message) => message.replyToId === '');
    case 'amount':
      return field(amountTest(term.operator, term.value));
    case 'after':
      return { cost: FIELD_COST, test: (run) => run.message.receivedAt >= instant(term.bound, run.now) };
    case 'before':
      return { cost: FIELD_COST, test: (run) => run.message.receivedAt < instant(term.bound, run.now) };
    case 'jsonEquals': {
      const { path, value } = term;
      return { cost: JSON_COST, test: (run) => jsonValueAt(run, path, (found) => found === value) };
    }
    case 'jsonContains': {
      const { path, text } = term;
      return { cost: JSON_COST, test: (run) => jsonValueAt(run, path, (found) => valueText(found)?.includes(text) ?? false) };
    }
  }
}

/** AND (`decisive` false: the first term that fails decides) or OR (`decisive` true), cheapest terms first. */
function combined(terms: readonly QueryTerm[], decisive: boolean): Compiled {
  const compiled = terms.map(compile).sort((a, b) => a.cost - b.cost);
  const tests = compiled.map(({ test }) => test);
  return {
    cost: compiled.reduce((cost, { cost: termCost }) => Math.max(cost, termCost), FIELD_COST),
    test: (run) => {
      for (const test of tests) {
        if (test(run) === decisive) {
          return decisive;
        }
      }
      return !decisive;
    },
  };
}

function field(test: (message: NodeMessage) => boolean): Compiled {
  return { cost: FIELD_COST, test: (run) => test(run.message) };
}

/** A bare word or phrase: in the data's text, or in the ID, reply-to ID, sender or service type. */
function textTest(text: string): Predicate {
  return (run) => {
    const found = content(run);
    for (const field of found.fields) {
      if (field.includes(text)) {
        return true;
      }
    }
    return found.text.includes(text);
  };
}

/** `value.toLowerCase() === lower`, without a copy of the value where it is ASCII. */
function equalsIgnoringCase(value: string, lower: string): boolean {
  // Lower-casing keeps an ASCII string's length; a value of another length can still match only
  // through characters outside ASCII, which `startsWithIgnoringCase` hands to `toLowerCase`.
  return value.length === lower.length ? startsWithIgnoringCase(value, lower) : value.toLowerCase() === lower;
}

/** `value.toLowerCase().startsWith(lowerPrefix)`, without a copy of the value where it is ASCII. */
function startsWithIgnoringCase(value: string, lowerPrefix: string): boolean {
  if (value.length < lowerPrefix.length) {
    return false;
  }
  for (let i = 0; i < lowerPrefix.length; i++) {
    let code = value.charCodeAt(i);
    if (code >= 0x80) {
      return value.slice(0, lowerPrefix.length).toLowerCase() === lowerPrefix;
    }
    if (code >= 0x41 && code <= 0x5a) {
      code += 0x20;
    }
    if (code !== lowerPrefix.charCodeAt(i)) {
      return false;
    }
  }
  return true;
}

function amountTest(operator: AmountOperator, value: bigint): (message: NodeMessage) => boolean {
  switch (operator) {
    case '>':
      return (message) => message.amount > value;
    case '>=':
      return (message) => message.amount >= value;
    case '<':
      return (message) => message.amount < value;
    case '<=':
      return (message) => message.amount <= value;
    case '=':
      return (message) => message.amount === value;
  }
}

function instant(bound: TimeBound, now: number): number {
  return bound.kind === 'at' ? bound.ms : now - bound.ms;
}

/** Whether the data is JSON, has the path (own properties only) and its value passes `test`. */
function jsonValueAt(run: MatchRun, path: readonly JsonPathStep[], test: (value: unknown) => boolean): boolean {
  const json = content(run).json;
  if (json === NOT_JSON) {
    return false;
  }
  const found = lookupJsonPath(json, path);
  return found.found && test(found.value);
}

/** A value as `:` searches it: a string as it is, anything else as JSON text (none when too deep). */
function valueText(value: unknown): string | undefined {
  return (typeof value === 'string' ? value : jsonText(value))?.toLowerCase();
}
