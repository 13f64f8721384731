// A watch, the registry that answers and times watches out, its limits and the timeout the API
// accepts: one concept, and the registry is the only user of each part.
import * as l10n from '@vscode/l10n';
import { systemClock, type Clock, type TimerHandle } from '../base/clock';
import { Emitter, rethrowListenerError, type Event, type ListenerErrorHandler } from '../base/emitter';
import type { NodeMessage } from '../nodeMessage';
import { parseQuery, type MessageQuery } from '../query/query';

export type WatchState = 'waiting' | 'answered' | 'timedOut' | 'cancelled';

export interface WatchOptions {
  /** Only messages from this node answer the watch. */
  readonly node?: string;
  /** 0, `Infinity` or absent: wait forever. Any longer than a timer can wait is waited in steps. */
  readonly timeoutMs?: number;
  /** Shown in the Awaited Replies view and persisted; API waits are not. */
  readonly visible?: boolean;
  /**
   * When the send that made this watch returned (the registry's clock): reply latency counts from
   * here, not from the moment the watch was made.
   */
  readonly sentAt?: number;
}

/** A watch as persisted across window reloads. */
export interface WatchRecord {
  readonly messageId: string;
  readonly node?: string;
  readonly createdAt: number;
  readonly deadline?: number;
  readonly state: WatchState;
  readonly replyNode?: string;
  readonly replyId?: string;
  readonly settledAt?: number;
  readonly sentAt?: number;
  /** A query watch's query (its `messageId` is then `''`). */
  readonly query?: string;
}

/** How many watches may wait at once (API and UI), and how many the Awaited Replies view lists. */
export interface WatchLimits {
  readonly waiting: number;
  readonly visible: number;
  /** Query watches waiting at once (each is checked against every incoming message); 100 when absent. */
  readonly queries?: number;
}

export const DEFAULT_WATCH_LIMITS: WatchLimits = { waiting: 10_000, visible: 1_000, queries: 100 };

const DEFAULT_QUERY_WATCHES = 100;

/** The longest delay `setTimeout` takes (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The exported API's `timeoutMs`: any positive number of milliseconds, `Infinity` (or absent) for no
 * timeout. 0 is refused rather than read as "no timeout" (as `watchTimeoutSeconds` reads it): a
 * caller that computed a remaining time of 0 has run out of time, and must not wait forever.
 * Returns the timeout for `WatchOptions`, or throws a `TypeError`/`RangeError` that says what is wrong.
 */
export function checkTimeoutMs(timeoutMs: unknown): number | undefined {
  if (timeoutMs === undefined || timeoutMs === Number.POSITIVE_INFINITY) {
    return undefined;
  }
  if (typeof timeoutMs !== 'number') {
    throw new TypeError(`timeoutMs must be a number of milliseconds (or Infinity), not ${timeoutMs === null ? 'null' : typeof timeoutMs}`);
  }
  if (Number.isNaN(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`timeoutMs must be more than 0 ms (Infinity or no timeoutMs: no timeout), not ${timeoutMs}`);
  }
  return timeoutMs;
}

/** When a watch made at `now` times out: never for 0, a negative, `Infinity` or no timeout. */
function deadline(now: number, timeoutMs: number | undefined): number | undefined {
  return timeoutMs && timeoutMs > 0 && timeoutMs !== Number.POSITIVE_INFINITY ? now + timeoutMs : undefined;
}

/** A new watch would go over a bound; the caller is told, nothing already waiting is dropped. */
export class WatchLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WatchLimitError';
  }
}

export class WatchTimeoutError extends Error {
  constructor(readonly messageId: string, timeoutMs: number, query?: string) {
    super(
      query === undefined
        ? l10n.t('No reply to {0} within {1} s', messageId, Math.round(timeoutMs / 1000))
        : l10n.t('No message matching {0} within {1} s', JSON.stringify(query), Math.round(timeoutMs / 1000)),
    );
    this.name = 'WatchTimeoutError';
  }
}

/** Waits for the reply to one message ID, or (a query watch) for the next message matching a query. */
export class Watch {
  readonly promise: Promise<NodeMessage>;
  state: WatchState = 'waiting';
  reply: NodeMessage | undefined;
  /** The reply's address when restored from storage before the message itself is found. */
  replyRef: { node?: string; id: string } | undefined;
  settledAt: number | undefined;
  /**
   * Whether a held message answered it the moment it was made: no latency of the node's. Known for
   * a watch made in this window; `undefined` for one restored from storage.
   */
  heldWhenWatched: boolean | undefined;
  timer: TimerHandle | undefined;
  private resolvePromise!: (message: NodeMessage) => void;
  private rejectPromise!: (error: Error) => void;

  constructor(
    readonly messageId: string,
    readonly node: string | undefined,
    readonly createdAt: number,
    readonly deadline: number | undefined,
    readonly visible: boolean,
    readonly sentAt?: number,
    /** Set for a query watch, whose `messageId` is `''`. */
    readonly query?: MessageQuery,
  ) {
    this.promise = new Promise<NodeMessage>((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
    // A UI watch's promise may have no taker; its rejection is not an unhandled one.
    this.promise.catch(() => undefined);
  }

  settle(state: Exclude<WatchState, 'waiting'>, at: number, outcome: NodeMessage | Error): void {
    this.state = state;
    this.settledAt = at;
    if (outcome instanceof Error) {
      this.rejectPromise(outcome);
    } else {
      this.reply = outcome;
      this.replyRef = { node: outcome.node, id: outcome.id };
      this.resolvePromise(outcome);
    }
  }

  toRecord(): WatchRecord {
    return {
      messageId: this.messageId,
      node: this.node,
      createdAt: this.createdAt,
      deadline: this.deadline,
      state: this.state,
      replyNode: this.replyRef?.node,
      replyId: this.replyRef?.id,
      settledAt: this.settledAt,
      sentAt: this.sentAt,
      query: this.query?.text,
    };
  }

  /** What the watch waits for, for messages: the message ID, or the query. */
  get subject(): string {
    return this.query ? this.query.text : this.messageId;
  }

  private timeoutError(timeoutMs: number): WatchTimeoutError {
    return new WatchTimeoutError(this.messageId, timeoutMs, this.query?.text);
  }

  /** Times the watch out (the registry's timer, or a restored deadline that has passed). */
  timeOut(at: number): void {
    this.settle('timedOut', at, this.timeoutError((this.deadline ?? at) - this.createdAt));
  }
}

/**
 * Every watch, indexed by the awaited ID so an incoming message costs two map lookups.
 * `waitForReply(X)` semantics: a held message whose `replyToId` is X answers at once; otherwise the
 * next message whose `replyToId` or `id` is X (a node may hand the ID back either way).
 */
/** What `handle` returns for the common message that answers nothing: one array, never changed. */
const NONE_ANSWERED: readonly Watch[] = Object.freeze([]);

export class WatchRegistry {
  private readonly waiting = new Map<string, Set<Watch>>();
  /** The keys of `waiting`, for a look that rules most IDs out without hashing them. */
  private readonly waitingIds = new IdFilter();
  /** Query watches waiting, checked in order against every message (at most `limits.queries`). */
  private waitingQueries: Watch[] = [];
  private waitingTotal = 0;
  private visibleWatches: Watch[] = [];
  private readonly onDidChangeEmitter: Emitter<Watch>;
  /** Fires when a watch is added, answered, timed out, cancelled or removed. */
  readonly onDidChange: Event<Watch>;

  constructor(
    /** Finds a held reply to an ID (the store lookup). */
    private readonly findHeldReply: (messageId: string, node: string | undefined) => NodeMessage | undefined,
    private readonly clock: Clock = systemClock,
    private readonly limits: WatchLimits = DEFAULT_WATCH_LIMITS,
    onListenerError: ListenerErrorHandler = rethrowListenerError,
  ) {
    this.onDidChangeEmitter = new Emitter('WatchRegistry.onDidChange', onListenerError);
    this.onDidChange = this.onDidChangeEmitter.event;
  }

  /** The watches shown to the user, oldest first. */
  list(): readonly Watch[] {
    return this.visibleWatches;
  }

  /** How many watches are waiting, visible or not. */
  get waitingCount(): number {
    return this.waitingTotal;
  }

  /**
   * Watches `messageId`. Throws `WatchLimitError` when `limits.waiting` watches already wait, or
   * when the view's list is full of waiting watches; settled ones make room, the oldest first.
   */
  watch(messageId: string, options: WatchOptions = {}): Watch {
    const visible = options.visible ?? true;
    if (visible) {
      const existing = this.visibleWatches.find((watch) => watch.messageId === messageId && watch.state === 'waiting');
      if (existing) {
        return existing;
      }
    }
    if (this.waitingTotal >= this.limits.waiting) {
      throw new WatchLimitError(l10n.t('Already waiting for {0} replies; stop waiting for some before adding more', this.limits.waiting));
    }
    const now = this.clock.now();
    const sentAt = typeof options.sentAt === 'number' && Number.isFinite(options.sentAt) ? options.sentAt : undefined;
    const watch = new Watch(messageId, options.node, now, deadline(now, options.timeoutMs), visible, sentAt);
    if (visible) {
      this.addToList(watch, this.visibleWatches.filter((old) => old.messageId !== messageId));
    }
    const held = this.findHeldReply(messageId, options.node);
    watch.heldWhenWatched = held !== undefined;
    if (held) {
      watch.settle('answered', now, held);
    } else {
      this.arm(watch);
    }
    this.onDidChangeEmitter.fire(watch);
    return watch;
  }

  /**
   * Watches for the next message matching `query` (one already held does not answer: the watch
   * waits for what comes). Throws `WatchLimitError` when `limits.queries` query watches already
   * wait, or as `watch` does when the view's list is full.
   */
  watchQuery(query: MessageQuery, options: WatchOptions = {}): Watch {
    const visible = options.visible ?? true;
    if (visible) {
      const existing = this.visibleWatches.find((watch) => watch.state === 'waiting' && watch.query?.text === query.text && watch.node === options.node);
      if (existing) {
        return existing;
      }
    }
    const queryLimit = this.limits.queries ?? DEFAULT_QUERY_WATCHES;
    if (this.waitingQueries.length >= queryLimit) {
      throw new WatchLimitError(l10n.t('Already waiting for {0} queries; stop waiting for some before adding more', queryLimit));
    }
    if (this.waitingTotal >= this.limits.waiting) {
      throw new WatchLimitError(l10n.t('Already waiting for {0} replies; stop waiting for some before adding more', this.limits.waiting));
    }
    const now = this.clock.now();
    const watch = new Watch('', options.node, now, deadline(now, options.timeoutMs), visible, undefined, query);
    watch.heldWhenWatched = false;
    if (visible) {
      this.addToList(watch, [...this.visibleWatches]);
    }
    this.arm(watch);
    this.onDidChangeEmitter.fire(watch);
    return watch;
  }

  /** Offers an incoming message to the watches; returns those it answered. */
  handle(message: NodeMessage): readonly Watch[] {
    if (this.waiting.size === 0 && this.waitingQueries.length === 0) {
      return NONE_ANSWERED;
    }
    // For the common message that answers nothing: a filter, at most two lookups, no allocation.
    const ids = this.waitingIds;
    const byReply = message.replyToId && ids.mayHave(message.replyToId) ? this.waiting.get(message.replyToId) : undefined;
    const byId = ids.mayHave(message.id) ? this.waiting.get(message.id) : undefined;
    const matched = this.waitingQueries.length > 0 ? this.matchingQueries(message) : undefined;
    if (!byReply && !byId && !matched) {
      return NONE_ANSWERED;
    }
    const answered: Watch[] = [];
    for (const watches of [byReply, byId, matched]) {
      for (const watch of watches ?? []) {
        if (watch.node === undefined || watch.node === message.node) {
          this.disarm(watch);
          watch.settle('answered', this.clock.now(), message);
          answered.push(watch);
        }
      }
    }
    for (const watch of answered) {
      this.onDidChangeEmitter.fire(watch);
    }
    return answered;
  }

  /** Stops waiting (the promise rejects); the watch stays listed as cancelled. */
  cancel(watch: Watch): void {
    if (watch.state !== 'waiting') {
      return;
    }
    this.disarm(watch);
    const reason = watch.query ? l10n.t('Stopped waiting for a message matching {0}', JSON.stringify(watch.query.text)) : l10n.t('Stopped waiting for a reply to {0}', watch.messageId);
    watch.settle('cancelled', this.clock.now(), new Error(reason));
    this.onDidChangeEmitter.fire(watch);
  }

  /** Cancels and removes a watch from the list. */
  remove(watch: Watch): void {
    this.cancel(watch);
    this.visibleWatches = this.visibleWatches.filter((candidate) => candidate !== watch);
    this.onDidChangeEmitter.fire(watch);
  }

  toRecords(): WatchRecord[] {
    return this.visibleWatches.map((watch) => watch.toRecord());
  }

  /**
   * Brings back persisted watches; waiting ones wait again for what is left of their timeout. Only
   * the newest that fit the limits come back.
   */
  restore(records: readonly WatchRecord[], findMessage: (node: string | undefined, id: string) => NodeMessage | undefined): void {
    const now = this.clock.now();
    for (const record of Array.isArray(records) ? records.slice(-this.limits.visible) : []) {
      if (typeof record?.messageId !== 'string' || typeof record.createdAt !== 'number') {
        continue;
      }
      const sentAt = typeof record.sentAt === 'number' && Number.isFinite(record.sentAt) ? record.sentAt : undefined;
      // A query that no longer parses (storage edited, or an older grammar) is not brought back.
      const parsed = typeof record.query === 'string' ? parseQuery(record.query) : undefined;
      if (parsed && !parsed.ok) {
        continue;
      }
      const query = parsed?.query;
      if (record.state === 'waiting') {
        if (this.waitingTotal >= this.limits.waiting || (query && this.waitingQueries.length >= (this.limits.queries ?? DEFAULT_QUERY_WATCHES))) {
          continue;
        }
        const watch = new Watch(query ? '' : record.messageId, record.node, record.createdAt, record.deadline, true, sentAt, query);
        this.visibleWatches.push(watch);
        // A query watch waits for what comes; what arrived while the window was closed is not replayed.
        const held = query ? undefined : this.findHeldReply(record.messageId, record.node);
        if (held) {
          watch.settle('answered', now, held);
        } else if (record.deadline !== undefined && record.deadline <= now) {
          watch.timeOut(now);
        } else {
          this.arm(watch);
        }
      } else {
        const watch = new Watch(query ? '' : record.messageId, record.node, record.createdAt, record.deadline, true, sentAt, query);
        watch.state = record.state;
        watch.settledAt = record.settledAt;
        if (record.replyId) {
          watch.replyRef = { node: record.replyNode, id: record.replyId };
          watch.reply = findMessage(record.replyNode, record.replyId);
        }
        this.visibleWatches.push(watch);
      }
    }
    this.dropOldestSettled(this.visibleWatches, this.visibleWatches.length - this.limits.visible);
    const last = this.visibleWatches[this.visibleWatches.length - 1];
    if (last) {
      this.onDidChangeEmitter.fire(last);
    }
  }

  dispose(): void {
    for (const watch of [...this.waitingQueries]) {
      this.cancel(watch);
    }
    for (const watches of [...this.waiting.values()]) {
      for (const watch of watches) {
        this.cancel(watch);
      }
    }
    this.onDidChangeEmitter.dispose();
  }

  /** The waiting query watches `message` matches; `undefined` when none does (no allocation then). */
  private matchingQueries(message: NodeMessage): Watch[] | undefined {
    const now = this.clock.now();
    let matched: Watch[] | undefined;
    for (const watch of this.waitingQueries) {
      if ((watch.query as MessageQuery).matches(message, now)) {
        (matched ??= []).push(watch);
      }
    }
    return matched;
  }

  /**
   * Lists `watch` after `kept` (the listed watches it does not replace), making room by dropping
   * the oldest settled ones; throws `WatchLimitError` when only waiting watches fill the list.
   */
  private addToList(watch: Watch, kept: Watch[]): void {
    if (kept.length >= this.limits.visible && !this.dropOldestSettled(kept, kept.length - this.limits.visible + 1)) {
      throw new WatchLimitError(l10n.t('The Awaited Replies view already lists {0} waiting watches; stop some before adding more', this.limits.visible));
    }
    this.visibleWatches = [...kept, watch];
  }

  /** Removes up to `count` settled watches from `list` (in place), oldest first; true when that many went. */
  private dropOldestSettled(list: Watch[], count: number): boolean {
    let dropped = 0;
    for (let i = 0; i < list.length && dropped < count; ) {
      if ((list[i] as Watch).state !== 'waiting') {
        list.splice(i, 1);
        dropped++;
      } else {
        i++;
      }
    }
    return dropped >= count;
  }

  private arm(watch: Watch): void {
    if (watch.query) {
      if (!this.waitingQueries.includes(watch)) {
        this.waitingQueries.push(watch);
        this.waitingTotal++;
      }
      if (watch.deadline !== undefined) {
        this.armTimer(watch, watch.deadline);
      }
      return;
    }
    let watches = this.waiting.get(watch.messageId);
    if (!watches) {
      watches = new Set();
      this.waiting.set(watch.messageId, watches);
      this.waitingIds.add(watch.messageId);
    }
    if (!watches.has(watch)) {
      watches.add(watch);
      this.waitingTotal++;
    }
    if (watch.deadline !== undefined) {
      this.armTimer(watch, watch.deadline);
    }
  }

  /** A deadline further off than a timer can wait is reached in steps of the longest timer. */
  private armTimer(watch: Watch, deadline: number): void {
    watch.timer = this.clock.setTimeout(() => {
      watch.timer = undefined;
      if (this.clock.now() < deadline) {
        this.armTimer(watch, deadline);
        return;
      }
      this.disarm(watch);
      watch.timeOut(this.clock.now());
      this.onDidChangeEmitter.fire(watch);
    }, Math.min(MAX_TIMER_MS, Math.max(0, deadline - this.clock.now())));
  }

  private disarm(watch: Watch): void {
    if (watch.timer !== undefined) {
      this.clock.clearTimeout(watch.timer);
      watch.timer = undefined;
    }
    if (watch.query) {
      const index = this.waitingQueries.indexOf(watch);
      if (index >= 0) {
        this.waitingQueries.splice(index, 1);
        this.waitingTotal--;
      }
      return;
    }
    const watches = this.waiting.get(watch.messageId);
    if (watches?.delete(watch)) {
      this.waitingTotal--;
    }
    if (watches?.size === 0) {
      this.waiting.delete(watch.messageId);
      this.waitingIds.remove(watch.messageId);
    }
  }
}

/** Places in an `IdFilter`. */
const FILTER_PLACES = 4096;

/**
 * The IDs being waited for, as counts over a few thousand places picked by an ID's length and a
 * few of its characters: an ID whose place counts none is surely not waited for, found without
 * hashing the whole string as a map lookup would. IDs that share a place (chosen by a peer or not)
 * only mean the map is asked.
 */
class IdFilter {
  private readonly counts = new Uint32Array(FILTER_PLACES);

  add(id: string): void {
    const place = placeOf(id);
    this.counts[place] = (this.counts[place] as number) + 1;
  }

  remove(id: string): void {
    const place = placeOf(id);
    this.counts[place] = (this.counts[place] as number) - 1;
  }

  mayHave(id: string): boolean {
    return this.counts[placeOf(id)] !== 0;
  }
}

function placeOf(id: string): number {
  const length = id.length;
  if (length === 0) {
    return 0;
  }
  const h = Math.imul(length ^ (id.charCodeAt(0) << 8) ^ (id.charCodeAt(length - 1) << 16), 0x9e3779b1) ^ Math.imul(id.charCodeAt(length >> 1) ^ (id.charCodeAt(length - 2) << 8), 0x85ebca6b);
  return (h ^ (h >>> 16)) & (FILTER_PLACES - 1);
}
