/**
 * A once-a-second tick that runs only while it is needed: the status bar's countdown to the next
 * attempt and the Awaited Replies view's ages, both of which would otherwise wake the host forever.
 */
export class Ticker {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly tick: () => void) {}

  /** Starts ticking, or stops, as `needed` says; calling it again with the same value does nothing. */
  set(needed: boolean): void {
    if (needed && !this.timer) {
      this.timer = setInterval(this.tick, 1000);
    } else if (!needed && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    this.set(false);
  }
}
