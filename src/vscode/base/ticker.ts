import { systemClock, type Clock, type TimerHandle } from '../../core/base/clock';

/**
 * A once-a-second tick that runs only while it is needed: the status bar's countdown to the next
 * attempt and the Awaited Replies view's ages, both of which would otherwise wake the host forever.
 */
export class Ticker {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly tick: () => void,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Starts ticking, or stops, as `needed` says; the same value again changes nothing. */
  set(needed: boolean): void {
    if (needed && this.timer === undefined) {
      this.schedule();
    } else if (!needed && this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    this.set(false);
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      this.schedule();
      // The tick may decide it is no longer needed; it then clears the timer just scheduled.
      this.tick();
    }, 1000);
  }
}
