import type { DeepLinkOutcome } from '../../core/ids/deepLinks';

/** What the views report so that the integration tests and the benchmark can read it back. */
export interface Probe {
  /** A notification was shown, with this text. */
  notified(text: string): void;
  /** The Messages view redrew. */
  redrew(): void;
  /** A link into VS Code was followed to this outcome. */
  followedLink(outcome: DeepLinkOutcome): void;
}

/**
 * The one `Probe` of a window, reached through `Internals`; nothing in the product reads it. It
 * counts redraws, and keeps texts and outcomes only once a test asked it to (`record()`), so a
 * user's window does not collect every notification for its lifetime.
 */
export class TestProbe implements Probe {
  /** Shown notifications since `record()`, newest last. */
  readonly notifications: string[] = [];
  /** Links followed since `record()`, newest last. */
  readonly links: DeepLinkOutcome[] = [];
  /** Redraws of the Messages view so far. */
  redraws = 0;
  private recording = false;

  /** Keeps what is shown and followed from now on. */
  record(): void {
    this.recording = true;
  }

  notified(text: string): void {
    if (this.recording) {
      this.notifications.push(text);
    }
  }

  redrew(): void {
    this.redraws++;
  }

  followedLink(outcome: DeepLinkOutcome): void {
    if (this.recording) {
      this.links.push(outcome);
    }
  }
}
