import { systemClock, type Clock, type TimerHandle } from './clock';

/**
 * Runs a function at most once per interval however often it is asked to (redraws, log flushes,
 * saves, batched notifications). The first change in a quiet period runs on the next tick of the
 * interval, later ones ride along: a burst of 20,000 messages redraws the tree about ten times a
 * second, not 20,000 times.
 *
 * With `leading` (the default) the first change of a quiet period runs at once, so a burst of
 * length D gets 1 + D / interval runs; without it, every run waits an interval after the change
 * that asked for it, and a burst gets no more than D / interval.
 */
export class Throttle {
  private timer: TimerHandle | undefined;
  private lastRun = -Infinity;

  constructor(
    private readonly run: () => void,
    readonly intervalMs = 100,
    private readonly clock: Clock = systemClock,
    private readonly leading = true,
  ) {}

  schedule(): void {
    if (this.timer !== undefined) {
      return;
    }
    const wait = this.leading ? Math.max(0, this.lastRun + this.intervalMs - this.clock.now()) : this.intervalMs;
    this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  /** Runs now if a run is pending. */
  flush(): void {
    if (this.timer === undefined) {
      return;
    }
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.lastRun = this.clock.now();
    this.run();
  }

  dispose(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
