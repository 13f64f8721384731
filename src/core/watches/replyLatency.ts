import * as l10n from '@vscode/l10n';
import { formatDuration } from '../text/duration';
import type { WatchState } from './watches';

/**
 * What the reply state is read from. A `Watch` fits as it is; `sentAt` is the moment the send that
 * made the watch returned, when the watch was made by a send.
 */
export interface ReplyWatch {
  readonly state: WatchState;
  readonly createdAt: number;
  readonly deadline?: number;
  readonly settledAt?: number;
  readonly sentAt?: number;
  /** Whether a held message answered it as it was made; `undefined`: judged by its clock readings. */
  readonly heldWhenWatched?: boolean | undefined;
  readonly reply?: { readonly fromPubkey: string };
}

/**
 * Milliseconds from the send returning (or, for a watch made from an ID, from watching) to the
 * reply; `undefined` while there is none, and for a reply that was already held when the watch was
 * made: that is no latency of the node's. Only the watch's own clock readings are used, so a
 * message's `receivedAt` from another clock cannot skew it.
 */
export function replyLatencyMs(watch: ReplyWatch): number | undefined {
  if (watch.state !== 'answered' || watch.settledAt === undefined) {
    return undefined;
  }
  // A reply can arrive within the millisecond the watch was made: equal clock readings alone do not
  // mean it was already held, so a watch made in this window says which it was.
  const heldWhenWatched = watch.heldWhenWatched ?? watch.settledAt === watch.createdAt;
  if (watch.sentAt === undefined) {
    return heldWhenWatched ? undefined : Math.max(0, watch.settledAt - watch.createdAt);
  }
  return Math.max(0, watch.settledAt - watch.sentAt);
}

export const LATENCY_WINDOW = 100;

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/**
 * The last `capacity` reply latencies of one node, in a fixed ring: memory does not grow with the
 * number of replies. Percentiles are nearest-rank (the smallest recorded value with at least p% of
 * the values at or below it), so every figure shown is a latency that really happened.
 */
export class LatencyRing {
  private readonly values: Float64Array;
  private next = 0;
  private size = 0;

  constructor(readonly capacity = LATENCY_WINDOW) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
    }
    this.values = new Float64Array(capacity);
  }

  get count(): number {
    return this.size;
  }

  /** Keeps a latency; a negative or non-finite one (a clock step) is dropped and `false` returned. */
  record(ms: number): boolean {
    if (!Number.isFinite(ms) || ms < 0) {
      return false;
    }
    this.values[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    return true;
  }

  summary(): LatencySummary | undefined {
    if (this.size === 0) {
      return undefined;
    }
    const sorted = this.values.slice(0, this.size).sort();
    return { count: this.size, p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95), max: sorted[this.size - 1] ?? 0 };
  }
}

/** One ring per node name; a node that is removed takes its latencies with it. */
export class NodeReplyLatencies {
  private readonly rings = new Map<string, LatencyRing>();

  constructor(private readonly capacity = LATENCY_WINDOW) {}

  record(node: string, ms: number): boolean {
    let ring = this.rings.get(node);
    if (!ring) {
      if (!Number.isFinite(ms) || ms < 0) {
        return false;
      }
      ring = new LatencyRing(this.capacity);
      this.rings.set(node, ring);
    }
    return ring.record(ms);
  }

  summary(node: string): LatencySummary | undefined {
    return this.rings.get(node)?.summary();
  }

  delete(node: string): void {
    this.rings.delete(node);
  }

  clear(): void {
    this.rings.clear();
  }
}

/** "p50 820 ms · p95 1.4 s · max 2.1 s" */
export function formatLatencySummary(summary: LatencySummary): string {
  return l10n.t('p50 {0} · p95 {1} · max {2}', formatDuration(summary.p50), formatDuration(summary.p95), formatDuration(summary.max));
}

/**
 * Nearest-rank percentile of values sorted ascending (not empty): rank ⌈p/100 · n⌉, counted from 1,
 * so every figure shown is a latency that really happened. The Timeline's lines use it too.
 */
export function nearestRank(sorted: ArrayLike<number>, percentile: number): number {
  // Integer arithmetic first: (95 / 100) * n can land a hair above a whole rank.
  const rank = Math.max(1, Math.ceil((percentile * sorted.length) / 100));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}
