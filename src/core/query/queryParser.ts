import * as l10n from '@vscode/l10n';
import { parseJsonPath } from '../requests/jsonPath';
import { labelText } from '../text/safeText';
import type { QueryError } from './queryError';
import { COLON_FIELDS, IS_VALUES, type AmountOperator, type ColonField, type JsonScalar, type QueryTerm, type TimeBound } from './queryTerms';

/** Longer queries are refused: a filter box, a watch or a command line never needs more. */
export const MAX_QUERY_LENGTH = 2000;
/** Parentheses and negations nest at most this deep, so parsing and matching recurse a bounded depth. */
export const MAX_QUERY_DEPTH = 32;

/** The satoshi amounts fit int64: 19 digits are enough, and more are a typo. */
const AMOUNT_VALUE = /^\d{1,19}$/;
const AMOUNT_FIELD = /^amount(>=|<=|>|<|=)/i;
const FIELD_NAME = /^([A-Za-z_][A-Za-z0-9_-]*):/;
const JSON_FIELD = /^json\./i;
const RELATIVE_TIME = /^-(\d{1,9})(s|m|h|d)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Thrown inside the parser only; `parseQueryTerms` turns it into a `QueryError`. */
class QueryFailure {
  constructor(readonly error: QueryError) {}
}

/**
 * Parses a query (already known not to be blank) into a term tree, or says where it went wrong.
 * A recursive descent over the characters: `OR` binds looser than juxtaposition (AND), `-` and
 * parentheses nest at most `MAX_QUERY_DEPTH`; every loop moves forward, so time is linear.
 */
export function parseQueryTerms(text: string): QueryTerm | QueryError {
  if (text.length > MAX_QUERY_LENGTH) {
    return {
      position: MAX_QUERY_LENGTH,
      length: text.length - MAX_QUERY_LENGTH,
      message: l10n.t('expected at most {0} characters in a query', MAX_QUERY_LENGTH.toLocaleString('en-US')),
    };
  }
  try {
    return new QueryReader(text).query();
  } catch (caught) {
    if (caught instanceof QueryFailure) {
      return caught.error;
    }
    throw caught;
  }
}

function isSpace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

/** Characters that end a word: space, parentheses and quotes. */
function endsWord(char: string | undefined): boolean {
  return char === undefined || char === '(' || char === ')' || char === '"' || isSpace(char);
}

/** A piece of the query quoted in an error message: one line, short. */
function quoted(piece: string): string {
  return `'${labelText(piece, 40)}'`;
}

class QueryReader {
  private at = 0;

  constructor(private readonly text: string) {}

  query(): QueryTerm {
    const term = this.anyOf(0);
    this.skipSpace();
    if (this.text[this.at] === ')') {
      this.fail(this.at, 1, l10n.t("expected a term, not ')' (no '(' before it)"));
    }
    return term;
  }

  /** Terms joined by `OR`. */
  private anyOf(depth: number): QueryTerm {
    const terms: QueryTerm[] = [];
    this.skipSpace();
    if (this.atOr()) {
      this.fail(this.at, 2, l10n.t("expected a term before 'OR'"));
    }
    terms.push(this.allOf(depth));
    for (;;) {
      this.skipSpace();
      if (!this.atOr()) {
        break;
      }
      const or = this.at;
      this.at += 2;
      this.skipSpace();
      if (this.at >= this.text.length || this.text[this.at] === ')' || this.atOr()) {
        this.fail(or, 2, l10n.t("expected a term after 'OR'"));
      }
      terms.push(this.allOf(depth));
    }
    return terms.length === 1 ? terms[0]! : { kind: 'or', terms };
  }

  /** Juxtaposed terms, up to the end, a `)` or an `OR`; the caller knows there is at least one. */
  private allOf(depth: number): QueryTerm {
    const terms: QueryTerm[] = [];
    for (;;) {
      this.skipSpace();
      if (this.at >= this.text.length || this.text[this.at] === ')' || this.atOr()) {
        break;
      }
      terms.push(this.unary(depth));
    }
    return terms.length === 1 ? terms[0]! : { kind: 'and', terms };
  }

  private unary(depth: number): QueryTerm {
    const start = this.at;
    const char = this.text[start];
    if ((char === '-' || char === '(') && depth >= MAX_QUERY_DEPTH) {
      this.fail(start, 1, l10n.t('expected parentheses and negations to nest at most {0} deep', MAX_QUERY_DEPTH));
    }
    if (char === '-') {
      const next = this.text[start + 1];
      if (next === undefined || next === ')' || isSpace(next)) {
        this.fail(start, 1, l10n.t("expected a term right after '-'"));
      }
      this.at++;
      return { kind: 'not', term: this.unary(depth + 1) };
    }
    if (char === '(') {
      this.at++;
      this.skipSpace();
      if (this.at >= this.text.length) {
        this.fail(start, 1, l10n.t("expected ')' to close this '('"));
      }
      if (this.text[this.at] === ')') {
        this.fail(start, this.at + 1 - start, l10n.t("expected a term between '(' and ')'"));
      }
      const inner = this.anyOf(depth + 1);
      this.skipSpace();
      if (this.text[this.at] !== ')') {
        this.fail(start, 1, l10n.t("expected ')' to close this '('"));
      }
      this.at++;
      return inner;
    }
    if (char === '"') {
      return { kind: 'text', text: this.quotedText().toLowerCase() };
    }
    return this.word();
  }

  /** A bare word, or a field with its value. */
  private word(): QueryTerm {
    const start = this.at;
    while (!endsWord(this.text[this.at])) {
      this.at++;
    }
    const word = this.text.slice(start, this.at);
    if (JSON_FIELD.test(word)) {
      return this.jsonTerm(word, start);
    }
    const amount = AMOUNT_FIELD.exec(word);
    if (amount) {
      return this.amountTerm(amount[0], amount[1] as AmountOperator, word.slice(amount[0].length), start);
    }
    const field = FIELD_NAME.exec(word);
    if (field) {
      const name = field[1]!.toLowerCase();
      if (name === 'amount') {
        this.fail(start, field[0].length, l10n.t("expected >, >=, <, <= or = after 'amount'"));
      }
      if (!(COLON_FIELDS as readonly string[]).includes(name)) {
        this.fail(
          start,
          field[1]!.length,
          l10n.t("unknown field {0}: expected from:, type:, node:, id:, reply:, is:, after:, before:, amount or json.PATH (text with a colon goes in quotes)", quoted(field[1]!)),
        );
      }
      return this.fieldTerm(name as ColonField, field[0], start);
    }
    return { kind: 'text', text: word.toLowerCase() };
  }

  /** The value after a field's operator: the rest of the word, or a quoted phrase right after it. */
  private value(head: string, rest: string, headStart: number, what: string): { text: string; start: number; length: number } {
    const start = headStart + head.length;
    if (rest === '' && this.text[this.at] === '"') {
      const text = this.quotedText();
      return { text, start, length: this.at - start };
    }
    if (rest === '') {
      this.fail(headStart, head.length, l10n.t('expected {0} after {1}', what, quoted(head)));
    }
    return { text: rest, start, length: rest.length };
  }

  private fieldTerm(name: ColonField, head: string, start: number): QueryTerm {
    const rest = this.text.slice(start + head.length, this.at);
    switch (name) {
      case 'from':
      case 'id':
      case 'reply':
        return { kind: name, prefix: this.value(head, rest, start, l10n.t('a value')).text.toLowerCase() };
      case 'type':
      case 'node':
        return { kind: name, value: this.value(head, rest, start, l10n.t('a value')).text.toLowerCase() };
      case 'is': {
        const value = this.value(head, rest, start, l10n.t('reply, root or json'));
        const what = IS_VALUES.find((candidate) => candidate === value.text.toLowerCase());
        if (!what) {
          this.fail(value.start, value.length, l10n.t("expected reply, root or json after 'is:', not {0}", quoted(value.text)));
        }
        return { kind: 'is', what };
      }
      case 'after':
      case 'before': {
        const expected = l10n.t('a time (an ISO date such as 2026-12-02 or 2026-12-02T14:00Z, or -30s, -15m, -2h, -1d)');
        const value = this.value(head, rest, start, expected);
        const bound = timeBound(value.text);
        if (!bound) {
          this.fail(value.start, value.length, l10n.t('expected {0} after {1}, not {2}', expected, quoted(head), quoted(value.text)));
        }
        return { kind: name, bound };
      }
    }
  }

  private amountTerm(head: string, operator: AmountOperator, rest: string, start: number): QueryTerm {
    const expected = l10n.t('a whole number of satoshis');
    if (rest === '') {
      this.fail(start, head.length, l10n.t('expected a value after {0} ({1})', quoted(head), expected));
    }
    if (!AMOUNT_VALUE.test(rest)) {
      this.fail(start + head.length, rest.length, l10n.t('expected {0} after {1}, not {2}', expected, quoted(head), quoted(rest)));
    }
    return { kind: 'amount', operator, value: BigInt(rest) };
  }

  private jsonTerm(word: string, start: number): QueryTerm {
    const afterDot = 'json.'.length;
    let operatorAt = afterDot;
    while (operatorAt < word.length && word[operatorAt] !== '=' && word[operatorAt] !== '!' && word[operatorAt] !== ':') {
      operatorAt++;
    }
    const pathText = word.slice(afterDot, operatorAt);
    if (operatorAt >= word.length) {
      this.fail(start, word.length, l10n.t('expected =, != or : after {0} (text with a colon or = goes in quotes)', quoted(word)));
    }
    const path = parseJsonPath(pathText);
    if (!path) {
      this.fail(start + afterDot, Math.max(1, pathText.length), l10n.t("expected a path after 'json.', such as status, a.b or items[0]"));
    }
    const operator = word[operatorAt] === '!' ? '!=' : word[operatorAt]!;
    if (operator === '!=' && word[operatorAt + 1] !== '=') {
      this.fail(start + operatorAt, 1, l10n.t("expected '!=' (or = or :) after {0}", quoted(word.slice(0, operatorAt))));
    }
    const head = word.slice(0, operatorAt + operator.length);
    const wasQuoted = word.length === head.length && this.text[this.at] === '"';
    const value = this.value(head, word.slice(head.length), start, l10n.t('a value'));
    if (operator === ':') {
      return { kind: 'jsonContains', path, text: value.text.toLowerCase() };
    }
    const equals: QueryTerm = { kind: 'jsonEquals', path, value: wasQuoted ? value.text : jsonScalar(value.text) };
    return operator === '!=' ? { kind: 'not', term: equals } : equals;
  }

  /** A `"…"` phrase from the opening quote at `this.at`; `\"` and `\\` are its only escapes. */
  private quotedText(): string {
    const start = this.at;
    let text = '';
    this.at++;
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) {
        this.fail(start, this.text.length - start, l10n.t("expected a closing '\"' for this phrase"));
      }
      if (char === '"') {
        this.at++;
        return text;
      }
      if (char === '\\') {
        const next = this.text[this.at + 1];
        if (next !== '"' && next !== '\\') {
          this.fail(this.at, next === undefined ? 1 : 2, l10n.t("expected '\\\"' or '\\\\' (a backslash escapes only a quote or a backslash)"));
        }
        text += next;
        this.at += 2;
        continue;
      }
      text += char;
      this.at++;
    }
  }

  private atOr(): boolean {
    return this.text.startsWith('OR', this.at) && endsWord(this.text[this.at + 2]);
  }

  private skipSpace(): void {
    while (isSpace(this.text[this.at])) {
      this.at++;
    }
  }

  private fail(position: number, length: number, message: string): never {
    throw new QueryFailure({ position, length: Math.max(1, length), message });
  }
}

/** `-15m` (before the moment of matching) or an ISO time that names a date. */
function timeBound(text: string): TimeBound | undefined {
  const relative = RELATIVE_TIME.exec(text);
  if (relative) {
    return { kind: 'ago', ms: Number(relative[1]) * UNIT_MS[relative[2]!]! };
  }
  const ms = ISO_DATE.test(text) ? Date.parse(text) : NaN;
  return Number.isFinite(ms) ? { kind: 'at', ms } : undefined;
}

/** An unquoted value after `json.PATH=`: a number, true, false, null, or else the word as a string. */
function jsonScalar(text: string): JsonScalar {
  if (text === 'true' || text === 'false') {
    return text === 'true';
  }
  if (text === 'null') {
    return null;
  }
  return JSON_NUMBER.test(text) ? Number(text) : text;
}
