/** The span `downMs` looks back over: the status tooltip says "in the last hour". */
export const DOWNTIME_WINDOW_MS = 60 * 60_000;
/** Intervals kept per node: a stream that flaps more often than this in an hour is down most of it anyway. */
const MAX_INTERVALS = 64;

/**
 * When one node's stream was down, after having been up: a v0.1.x node keeps nothing, so what its
 * peers sent meanwhile is lost, and the user should know a gap was possible. A bounded list of
 * intervals; the open one (the stream is down now) counts up to now.
 */
export class StreamDowntime {
  /** Closed intervals `[from, to)`, oldest first. */
  private readonly intervals: { readonly from: number; readonly to: number }[] = [];
  private downSince: number | undefined;

  /** The stream dropped (a connected stream ended without the user asking). */
  down(at: number): void {
    this.downSince ??= at;
  }

  /** The stream is up again, or the user stopped it (no longer a gap the extension owes). */
  up(at: number): void {
    if (this.downSince === undefined) {
      return;
    }
    this.intervals.push({ from: this.downSince, to: Math.max(at, this.downSince) });
    this.downSince = undefined;
    while (this.intervals.length > MAX_INTERVALS || (this.intervals[0] && this.intervals[0].to < at - DOWNTIME_WINDOW_MS)) {
      this.intervals.shift();
    }
  }

  get isDown(): boolean {
    return this.downSince !== undefined;
  }

  /** How long the stream was down in `[now - windowMs, now]`. */
  downMs(now: number, windowMs = DOWNTIME_WINDOW_MS): number {
    const start = now - windowMs;
    let total = 0;
    const overlap = (from: number, to: number): void => {
      total += Math.max(0, Math.min(to, now) - Math.max(from, start));
    };
    for (const interval of this.intervals) {
      overlap(interval.from, interval.to);
    }
    if (this.downSince !== undefined) {
      overlap(this.downSince, now);
    }
    return total;
  }
}
