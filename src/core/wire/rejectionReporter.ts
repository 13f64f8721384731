import * as l10n from '@vscode/l10n';
import { systemClock, type Clock, type TimerHandle } from '../base/clock';

export interface RejectionReporterOptions {
  /** Rejections reported one by one per window. */
  readonly burst?: number;
  readonly windowMs?: number;
  readonly clock?: Clock;
}

/**
 * Rate-limits the log lines about frames that could not be decoded: the first few in a window are
 * reported with their reason, the rest as one count when the window ends. A node sending garbage
 * costs a line every few seconds, not a line per frame.
 */
export class RejectionReporter {
  private readonly burst: number;
  private readonly windowMs: number;
  private readonly clock: Clock;
  private inWindow = 0;
  private suppressed = 0;
  private lastReason = '';
  private timer: TimerHandle | undefined;
  /** Every rejection ever seen, reported or not. */
  total = 0;

  constructor(
    private readonly report: (line: string) => void,
    options: RejectionReporterOptions = {},
  ) {
    this.burst = options.burst ?? 5;
    this.windowMs = options.windowMs ?? 10_000;
    this.clock = options.clock ?? systemClock;
  }

  reject(node: string, reason: string): void {
    this.total++;
    if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => this.endWindow(), this.windowMs);
    }
    if (this.inWindow < this.burst) {
      this.inWindow++;
      this.report(l10n.t('[{0}] Rejected a frame: {1}', node, reason));
    } else {
      this.suppressed++;
      this.lastReason = `[${node}] ${reason}`;
    }
  }

  dispose(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
    }
    this.endWindow();
  }

  private endWindow(): void {
    this.timer = undefined;
    this.inWindow = 0;
    if (this.suppressed > 0) {
      this.report(l10n.t('Rejected {0} more frames in the last {1} s (the last: {2})', this.suppressed, Math.round(this.windowMs / 1000), this.lastReason));
      this.suppressed = 0;
    }
  }
}
