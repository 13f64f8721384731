import { systemClock, type Clock, type TimerHandle } from '../base/clock';
import { Throttle } from '../base/throttle';
import { buildTimeline, type TimelineInput } from './timelineBins';
import type { TimelineGrouping, TimelineSpan, TimelineUpdate } from './timelineData';

/** The webview gets at most one update per this interval: 4 a second, whatever the message rate. */
export const POST_INTERVAL_MS = 250;
/** With nothing arriving, the time axis still moves: one update a second while shown. */
export const TICK_MS = 1000;

export interface TimelinePublisherOptions {
  /** What is held now: read only when an update is posted. */
  readonly read: () => TimelineInput;
  readonly grouping: () => TimelineGrouping;
  readonly post: (update: TimelineUpdate) => void;
  readonly clock?: Clock;
}

/**
 * Decides when the Timeline webview gets new numbers. Arrivals only mark it stale; an update is
 * aggregated (bins and marks, never messages) and posted at most once per `POST_INTERVAL_MS`, and
 * only while the view is shown and the Messages view is not paused. The bins are built from the
 * store at posting time, so a burst of 20,000 messages costs a handful of aggregations, not 20,000.
 */
export class TimelinePublisher {
  private readonly throttle: Throttle;
  private readonly clock: Clock;
  private tick: TimerHandle | undefined;
  private visible = false;
  private paused = false;
  private stale = true;
  private spanValue: TimelineSpan = '5m';
  /** How many updates were posted (the benchmark and tests read it). */
  posted = 0;

  constructor(private readonly options: TimelinePublisherOptions) {
    this.clock = options.clock ?? systemClock;
    this.throttle = new Throttle(() => this.publish(), POST_INTERVAL_MS, this.clock, true);
  }

  get span(): TimelineSpan {
    return this.spanValue;
  }

  /** Something the Timeline shows changed (a message, a watch, the grouping, a clear). */
  changed(): void {
    this.stale = true;
    if (this.visible && !this.paused) {
      this.throttle.schedule();
    }
  }

  setSpan(span: TimelineSpan): void {
    this.spanValue = span;
    this.changed();
  }

  /** The webview was shown (or loaded anew, and asks for everything): post soon; hidden: post nothing. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) {
      this.stale = true;
      this.startTicking();
      this.changed();
    } else {
      this.throttle.dispose();
      this.stopTicking();
    }
  }

  /** Follows the Messages view's pause: the chart stays as it was until resumed. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) {
      return;
    }
    this.paused = paused;
    if (paused) {
      this.throttle.dispose();
    }
    this.options.post({ type: 'paused', paused });
    if (!paused) {
      this.changed();
    }
  }

  dispose(): void {
    this.throttle.dispose();
    this.stopTicking();
  }

  private publish(): void {
    if (!this.visible || this.paused || !this.stale) {
      return;
    }
    this.stale = false;
    const data = buildTimeline(this.options.read(), this.spanValue, this.options.grouping());
    this.posted++;
    this.options.post({ type: 'data', data, paused: this.paused });
  }

  private startTicking(): void {
    if (this.tick !== undefined) {
      return;
    }
    const next = (): void => {
      this.tick = this.clock.setTimeout(() => {
        this.tick = undefined;
        this.changed();
        next();
      }, TICK_MS);
    };
    next();
  }

  private stopTicking(): void {
    if (this.tick !== undefined) {
      this.clock.clearTimeout(this.tick);
      this.tick = undefined;
    }
  }
}
