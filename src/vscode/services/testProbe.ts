/** What the views report so that the integration tests and the benchmark can read it back. */
export interface Probe {
  /** A notification was shown, with this text. */
  notified(text: string): void;
  /** The Messages view redrew. */
  redrew(): void;
}

/** The one `Probe` of a window, reached through `Internals`; nothing in the product reads it. */
export class TestProbe implements Probe {
  /** Shown notifications, newest last. */
  readonly notifications: string[] = [];
  /** Redraws of the Messages view so far. */
  redraws = 0;

  notified(text: string): void {
    this.notifications.push(text);
  }

  redrew(): void {
    this.redraws++;
  }
}
