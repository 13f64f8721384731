import * as l10n from '@vscode/l10n';
import { formatDuration } from '../text/duration';
import type { NodeMessage } from '../nodeMessage';
import { lookupJsonPath, replyJson } from './jsonPath';
import { oneLine, resolveSpan, type ResolveContext } from './references';
import type { Assertion, Expectation } from './requestFile';

/** Values in failure texts are cut here: enough to see the difference, never a wall of peer data. */
const SHOWN_VALUE_CHARS = 120;

export interface ReplyOutcome {
  /** What `waitForReply` resolved with, or `undefined` when it did not. */
  readonly reply: NodeMessage | undefined;
  /** From the send to the reply; `undefined` without a reply. */
  readonly latencyMs: number | undefined;
  /** How long the runner waited (the reply wait, see `replyWaitMs`). */
  readonly waitedMs: number;
  /** For each `message matching` expectation (by its position) that was met: the first message that matched. */
  readonly matched?: ReadonlyMap<number, MatchedMessage>;
}

export interface MatchedMessage {
  readonly message: NodeMessage;
  /** From the send to its arrival. */
  readonly latencyMs: number;
}

/** `message matching` waits for a message of its own; every other assertion is about the reply. */
export function isReplyAssertion(assertion: Assertion): boolean {
  return assertion.kind !== 'messageMatching';
}

/**
 * How long to wait for a block's reply. The timeout is how long to wait when nothing says
 * otherwise; a `reply within D` or `no reply within D` longer than it extends the wait so the
 * assertion can be checked in full (a reply after D then fails `reply within D` as late). A block
 * whose only expectations are `no reply within D` waits the longest D and not the timeout.
 */
export function replyWaitMs(all: readonly Expectation[], timeoutMs: number): number {
  const expectations = all.filter(({ assertion }) => isReplyAssertion(assertion));
  const durations = expectations.flatMap(({ assertion }) => (assertion.kind === 'replyWithin' || assertion.kind === 'noReplyWithin' ? [assertion.ms] : []));
  const onlyNoReply = expectations.length > 0 && expectations.every(({ assertion }) => assertion.kind === 'noReplyWithin');
  return onlyNoReply ? Math.max(...durations) : Math.max(timeoutMs, ...durations);
}

/** An expectation that does not hold. */
export interface ExpectationFailure {
  /** Its position among the block's expectations. */
  readonly expectation: number;
  /** What failed, in words (the run result's failure text). */
  readonly text: string;
  /** For a failed `==`: the two values as `text` shows them, for a side-by-side comparison. */
  readonly comparison?: { readonly expected: string; readonly actual: string };
}

type Failure = Omit<ExpectationFailure, 'expectation'>;

/** One failure per expectation that does not hold, in their order; empty when all hold. */
export function checkExpectations(expectations: readonly Expectation[], outcome: ReplyOutcome, context: ResolveContext): ExpectationFailure[] {
  const failures: ExpectationFailure[] = [];
  for (const [index, expectation] of expectations.entries()) {
    const failure = check(expectation, index, outcome, context);
    if (failure !== undefined) {
      failures.push({ expectation: index, ...failure });
    }
  }
  return failures;
}

/** A failed `==`: the sentence, and the values it compared. */
function differs(label: string, expected: string, actual: string): Failure {
  return { text: l10n.t('{0}: expected {1}, got {2}', label, expected, actual), comparison: { expected, actual } };
}

function check({ assertion, text }: Expectation, index: number, outcome: ReplyOutcome, context: ResolveContext): Failure | undefined {
  const { reply, latencyMs } = outcome;
  if (assertion.kind === 'messageMatching') {
    const matched = outcome.matched?.get(index);
    return matched && matched.latencyMs <= assertion.ms ? undefined : { text: l10n.t('{0}: no matching message within {1}', text, formatDuration(assertion.ms)) };
  }
  if (assertion.kind === 'noReplyWithin') {
    return reply && latencyMs !== undefined && latencyMs <= assertion.ms
      ? { text: l10n.t('{0}: a reply came after {1} (ID {2})', text, formatDuration(latencyMs), shownValue(reply.id)) }
      : undefined;
  }
  if (!reply || latencyMs === undefined) {
    return { text: l10n.t('{0}: no reply within {1}', text, formatDuration(outcome.waitedMs)) };
  }
  return checkReply(assertion, reply, latencyMs, context);
}

function checkReply(assertion: Exclude<Assertion, { kind: 'noReplyWithin' | 'messageMatching' }>, reply: NodeMessage, latencyMs: number, context: ResolveContext): Failure | undefined {
  switch (assertion.kind) {
    case 'replyWithin':
      return latencyMs <= assertion.ms ? undefined : { text: l10n.t('reply within {0}: the reply came after {1}', formatDuration(assertion.ms), formatDuration(latencyMs)) };
    case 'dataContains': {
      const data = Buffer.from(reply.data).toString('utf8');
      return data.includes(assertion.value) ? undefined : { text: l10n.t('{0}: expected to contain {1}, got {2}', 'reply.data', shownValue(assertion.value), shownValue(data)) };
    }
    case 'dataEquals': {
      const data = Buffer.from(reply.data).toString('utf8');
      return data === assertion.value ? undefined : differs('reply.data', shownValue(assertion.value), shownValue(data));
    }
    case 'json':
      return checkJson(assertion, reply);
    case 'fromEquals': {
      const expected = resolveSpan(assertion.pubkey, context);
      if (expected.failures.length > 0) {
        return { text: l10n.t('{0}: cannot tell what to expect: {1}', 'reply.from', expected.failures.join('; ')) };
      }
      const want = expected.text.trim().toLowerCase();
      return reply.fromPubkey.toLowerCase() === want ? undefined : differs('reply.from', shownValue(want), shownValue(reply.fromPubkey));
    }
    case 'amount': {
      const holds = assertion.operator === '>=' ? reply.amount >= assertion.value : reply.amount === assertion.value;
      if (holds) {
        return undefined;
      }
      const [expected, got] = [assertion.value.toString(), reply.amount.toString()];
      return assertion.operator === '>=' ? { text: l10n.t('{0}: expected >= {1}, got {2}', 'reply.amount', expected, got) } : differs('reply.amount', expected, got);
    }
  }
}

function checkJson(assertion: Extract<Assertion, { kind: 'json' }>, reply: NodeMessage): Failure | undefined {
  const label = `reply.json.${assertion.pathText}`;
  const equals = assertion.operator === '==';
  const expected = shownValue(assertion.value);
  const json = replyJson(reply);
  if (!json.ok) {
    const data = shownValue(Buffer.from(reply.data).toString('utf8'));
    return {
      text: equals
        ? l10n.t('{0}: expected {1}, but the reply is not JSON: {2}', label, expected, data)
        : l10n.t('{0}: expected anything but {1}, but the reply is not JSON: {2}', label, expected, data),
    };
  }
  const found = lookupJsonPath(json.value, assertion.path);
  if (!found.found) {
    return equals ? { text: l10n.t('{0}: expected {1}, but the reply has no {2}', label, expected, found.missing) } : undefined;
  }
  const equal = jsonEqual(found.value, assertion.value);
  if (equal === undefined) {
    return { text: l10n.t('{0}: the reply is nested too deeply to compare', label) };
  }
  if (equal === equals) {
    return undefined;
  }
  const got = shownValue(found.value);
  return equals ? differs(label, expected, got) : { text: l10n.t('{0}: expected anything but {1}, got {2}', label, expected, got) };
}

/** Deep equality of JSON values, without recursion; `undefined` past a sane depth of peer data. */
export function jsonEqual(a: unknown, b: unknown): boolean | undefined {
  const pending: [unknown, unknown, number][] = [[a, b, 0]];
  while (pending.length > 0) {
    const [x, y, depth] = pending.pop()!;
    if (depth > 1000) {
      return undefined;
    }
    if (x === y) {
      continue;
    }
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || Array.isArray(x) !== Array.isArray(y)) {
      return false;
    }
    const xKeys = Object.keys(x);
    const yKeys = Object.keys(y);
    if (xKeys.length !== yKeys.length) {
      return false;
    }
    for (const key of xKeys) {
      if (!Object.prototype.hasOwnProperty.call(y, key)) {
        return false;
      }
      pending.push([(x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return true;
}

/** A value as JSON on one line (control characters escaped), cut to SHOWN_VALUE_CHARS. */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > SHOWN_VALUE_CHARS ? `${oneLine(JSON.stringify(value.slice(0, SHOWN_VALUE_CHARS)))}…` : oneLine(JSON.stringify(value));
  }
  const text = oneLine(safeStringify(value));
  return text.length > SHOWN_VALUE_CHARS ? `${text.slice(0, SHOWN_VALUE_CHARS)}…` : text;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return l10n.t('(too deeply nested to show)');
  }
}
