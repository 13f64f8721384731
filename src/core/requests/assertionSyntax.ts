import * as l10n from '@vscode/l10n';
import { parseQuery } from '../query/query';
import { isNodePubkey } from '../sending/nodePubkey';
import { parseJsonPath } from './jsonPath';
import { shown } from './references';
import type { Assertion, TextSpan } from './requestFile';

/** The assertions the grammar knows, as completion offers them. */
export const ASSERTION_FORMS = [
  'reply within 10s',
  'no reply within 10s',
  'reply.data contains ""',
  'reply.data == ""',
  'reply.json.status == "ok"',
  'reply.json.status != "error"',
  'reply.from == ',
  'reply.amount >= 1',
  'reply.amount == 1',
  'message matching type:invoice within 10s',
] as const;

const DURATION = /^(\d{1,9})(ms|s|m)$/;
const WITHIN = /^(no )?reply within\s+(.+)$/s;
const DATA = /^reply\.data\s+(contains|==)\s*(.*)$/s;
const JSON_PATH = /^reply\.json\.([^\s=!]+)\s*(==|!=)\s*(.*)$/s;
const FROM = /^reply\.from\s*==\s*(.*)$/s;
const AMOUNT = /^reply\.amount\s*(>=|==)\s*(.*)$/s;

const MESSAGE_MATCHING = /^message matching\b/;
const WITHIN_TAIL = /\swithin\s+(\S+)$/;

/** A problem with a part of the assertion: `offset` and `length` in its text. */
export interface PlacedProblem {
  readonly problem: string;
  readonly offset: number;
  readonly length: number;
}

/**
 * Parses the text after `> expect`; a string is the problem with it (a `PlacedProblem` when it
 * lies in a part, such as a query's column). `pubkeySpan` makes the span of
 * a `reply.from` value (at `offset` in the text) so its references are found like the SEND line's.
 */
export function parseAssertion(text: string, pubkeySpan: (value: string, offset: number) => TextSpan): Assertion | string | PlacedProblem {
  if (MESSAGE_MATCHING.test(text)) {
    return messageMatching(text);
  }
  let match = WITHIN.exec(text);
  if (match) {
    const ms = parseDuration(match[2]!);
    if (ms === undefined) {
      return l10n.t('"{0}" is not a duration (a whole number followed by ms, s or m, e.g. 10s, at most 24 hours)', shown(match[2]!));
    }
    return match[1] ? { kind: 'noReplyWithin', ms } : { kind: 'replyWithin', ms };
  }
  match = DATA.exec(text);
  if (match) {
    const value = jsonString(match[2]!);
    if (value === undefined) {
      return l10n.t('{0} takes a JSON string literal, e.g. "pong"', `reply.data ${match[1]}`);
    }
    return match[1] === 'contains' ? { kind: 'dataContains', value } : { kind: 'dataEquals', value };
  }
  match = JSON_PATH.exec(text);
  if (match) {
    const path = parseJsonPath(match[1]!);
    if (!path) {
      return l10n.t('"{0}" is not a JSON path (key, then .key or [index], e.g. items[0].id)', shown(match[1]!));
    }
    const json = parseJson(match[3]!);
    if (!json.ok) {
      return l10n.t('{0} takes a JSON value, e.g. "ok", 42, true or null', `reply.json.${match[1]} ${match[2]}`);
    }
    return { kind: 'json', path, pathText: match[1]!, operator: match[2] as '==' | '!=', value: json.value };
  }
  match = FROM.exec(text);
  if (match) {
    const value = match[1]!.trim();
    const span = pubkeySpan(value, text.length - match[1]!.trimStart().length);
    if (span.references.length === 0 && !isNodePubkey(value)) {
      return l10n.t('"{0}" is not a node pubkey (66 hex digits starting 02 or 03)', shown(value));
    }
    return { kind: 'fromEquals', pubkey: span };
  }
  match = AMOUNT.exec(text);
  if (match) {
    const value = match[2]!.trim();
    if (!/^\d{1,18}$/.test(value)) {
      return l10n.t('"{0}" is not an amount (a whole number of satoshis)', shown(value));
    }
    return { kind: 'amount', operator: match[1] as '>=' | '==', value: BigInt(value) };
  }
  return l10n.t(
    'Unknown assertion "{0}" (expected reply within D, no reply within D, reply.data contains|== "text", reply.json.PATH ==|!= JSON, reply.from == pubkey, reply.amount >=|== N or message matching QUERY within D)',
    shown(text),
  );
}

/**
 * `message matching QUERY within D`: the query is everything between, so it may hold the word
 * `within` itself; its errors point at their column in the line.
 */
function messageMatching(text: string): Assertion | string | PlacedProblem {
  const queryStart = 'message matching'.length;
  const tail = WITHIN_TAIL.exec(text);
  if (!tail || tail.index < queryStart) {
    return l10n.t('message matching takes a query and a time: message matching QUERY within D, e.g. message matching type:invoice within 10s');
  }
  const ms = parseDuration(tail[1]!);
  if (ms === undefined) {
    return l10n.t('"{0}" is not a duration (a whole number followed by ms, s or m, e.g. 10s, at most 24 hours)', shown(tail[1]!));
  }
  const queryText = text.slice(queryStart, tail.index);
  if (queryText.trim() === '') {
    return l10n.t('message matching needs a query before "within", e.g. message matching type:invoice within 10s');
  }
  const parsed = parseQuery(queryText);
  if (!parsed.ok) {
    const { position, length, message } = parsed.error;
    return { problem: l10n.t('Query: {0}', message), offset: queryStart + position, length };
  }
  return { kind: 'messageMatching', query: parsed.query, ms };
}

function jsonString(text: string): string | undefined {
  const json = parseJson(text);
  return json.ok && typeof json.value === 'string' ? json.value : undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Timers past 2^31 ms fire at once in Node; a day is longer than any wait a file needs. */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

/** `10s` → 10000; `undefined` when not a DURATION or longer than MAX_DURATION_MS. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) {
    return undefined;
  }
  const count = Number(match[1]);
  const ms = match[2] === 'ms' ? count : match[2] === 's' ? count * 1000 : count * 60_000;
  return ms <= MAX_DURATION_MS ? ms : undefined;
}
