// One v1 node's gaps: when its stream was last known to deliver, and the one recovery per
// reconnect that fetches what the node stored meanwhile.
import type { ApiVersion, NodeMessage } from '../nodeMessage';
import { readStoredMessages } from './storedMessages';

/** Stored messages this much older than the gap's start still count: the node's clock and ours differ a little, and IDs already held are skipped anyway. */
export const GAP_SLACK_MS = 2000;

/** What one recovery found, for the log line. */
export interface RecoveryReport {
  readonly node: string;
  /** When the gap began (the last moment the stream was known to deliver). */
  readonly gapStart: number;
  /** Messages held and marked recovered. */
  readonly recovered: number;
  /** Received in the gap but older than the newest `maxMessages`, so not held. */
  readonly overLimit: number;
  /** Stored entries that are no message (unreadable, without a sender or a time). */
  readonly unreadable: number;
  /** Why nothing could be recovered: the node's error, a refused answer, a timeout. */
  readonly error?: string;
}

/** What a node's recovery needs from the pipeline. */
export interface BackfillHost {
  readonly node: string;
  now(): number;
  /** `GET /v1/message`: the node's JSON answer, bounded in bytes and time; rejects with a sentence. */
  fetchStored(): Promise<unknown>;
  /** Whether a message with this ID is held for the node. */
  isHeld(id: string): boolean;
  /** The node's message bound: at most this many are recovered per gap. */
  capacity(): number;
  /** IDs the node returned for sends made through the extension. */
  readonly sentIds: ReadonlySet<string>;
  /** Holds a recovered message the way the stream's are held (store, watches, event), marked. */
  recover(message: NodeMessage): void;
  report(report: RecoveryReport): void;
}

/**
 * A v1 node keeps every message but its stream publishes only to subscribers connected at that
 * moment. After each (re)connect this fetches the stored messages once and recovers the ones
 * received since the gap began that are not held. The first connection's gap begins at the
 * newest held message (restored from the last session), if any. While the API generation is not
 * yet known (`auto` before the first frame) the recovery waits for the first message; a v0.1.x
 * node, which keeps nothing, is never asked. One recovery runs at a time; a reconnect during one
 * queues the next, from the earlier gap start.
 */
export class GapBackfill {
  /** The last moment the stream was known to deliver: connected, or a message arrived. */
  private lastAlive: number | undefined;
  /** A gap waiting for the API generation to be known. */
  private pendingGap: number | undefined;
  private queuedGap: number | undefined;
  private running = false;
  private disposed = false;

  constructor(private readonly host: BackfillHost) {}

  /** The stream (re)connected; `newestHeldAt` is the newest held message's time, if any. */
  connected(version: ApiVersion | undefined, newestHeldAt: number | undefined): void {
    const gapStart = this.lastAlive ?? newestHeldAt;
    this.lastAlive = this.host.now();
    if (gapStart === undefined || version === 'v0') {
      return;
    }
    if (version === 'v1') {
      this.start(gapStart);
    } else {
      this.pendingGap = Math.min(this.pendingGap ?? gapStart, gapStart);
    }
  }

  /** A message arrived on the stream: it delivers, and the API generation may now be known. */
  delivered(version: ApiVersion | undefined, receivedAt: number): void {
    this.lastAlive = receivedAt;
    if (this.pendingGap === undefined || version === undefined) {
      return;
    }
    const gapStart = this.pendingGap;
    this.pendingGap = undefined;
    if (version === 'v1') {
      this.start(gapStart);
    }
  }

  /** The node went away: a recovery in flight holds nothing. */
  dispose(): void {
    this.disposed = true;
  }

  private start(gapStart: number): void {
    if (this.running) {
      this.queuedGap = Math.min(this.queuedGap ?? gapStart, gapStart);
      return;
    }
    this.running = true;
    void this.run(gapStart).finally(() => {
      this.running = false;
      const queued = this.queuedGap;
      this.queuedGap = undefined;
      if (queued !== undefined && !this.disposed) {
        this.start(queued);
      }
    });
  }

  private async run(gapStart: number): Promise<void> {
    const host = this.host;
    let answer: unknown;
    try {
      answer = await host.fetchStored();
    } catch (error) {
      if (!this.disposed) {
        host.report({ node: host.node, gapStart, recovered: 0, overLimit: 0, unreadable: 0, error: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    if (this.disposed) {
      return;
    }
    const stored = readStoredMessages(answer, { node: host.node, now: host.now(), sentIds: host.sentIds });
    const since = gapStart - GAP_SLACK_MS;
    const seen = new Set<string>();
    const missed: NodeMessage[] = [];
    for (const message of stored.received) {
      if (message.receivedAt > since && !seen.has(message.id) && !host.isHeld(message.id)) {
        seen.add(message.id);
        missed.push(message);
      }
    }
    // The newest within the bound: older ones would be the first evicted anyway.
    const kept = missed.slice(Math.max(0, missed.length - Math.max(1, host.capacity())));
    for (const message of kept) {
      host.recover(message);
    }
    host.report({ node: host.node, gapStart, recovered: kept.length, overLimit: missed.length - kept.length, unreadable: stored.unreadable });
  }
}
