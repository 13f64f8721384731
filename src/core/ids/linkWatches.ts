import { systemClock, type Clock } from '../base/clock';
import { WatchLimitError, type Watch, type WatchRegistry } from '../watches/watches';

/** How many watches `/watch` links may add in any 60 s; the links beyond are refused. */
export const LINK_WATCHES_PER_MINUTE = 3;
/** A link's watch times out after `impervious.watchTimeoutSeconds`, or after this when that is 0. */
export const LINK_WATCH_TIMEOUT_MS = 10 * 60 * 1000;
const WINDOW_MS = 60 * 1000;
/** How many refusals of links may be said in any 60 s; past it they are refused without a word. */
export const LINK_REFUSALS_SHOWN_PER_MINUTE = 20;

/** At most `limit` events in any `windowMs`: the count a page opening links cannot push past. */
export class RateWindow {
  /** When each of the window's events happened, oldest first. */
  private readonly times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  remaining(): number {
    this.forgetOld(this.clock.now());
    return this.limit - this.times.length;
  }

  /** Counts one event and resolves `true`, or `false` when the window is full. */
  take(): boolean {
    if (this.remaining() <= 0) {
      return false;
    }
    this.times.push(this.clock.now());
    return true;
  }

  /** A clock that went back (the system time was set) also ends the window: nothing waits for it. */
  private forgetOld(now: number): void {
    let oldest = this.times[0];
    while (oldest !== undefined && (now - oldest >= this.windowMs || now < oldest)) {
      this.times.shift();
      oldest = this.times[0];
    }
  }
}

export type LinkWatchOutcome =
  | { readonly watching: Watch }
  /**
   * `rate`: links already added their watches for this minute; `limit`: the registry is full
   * (`reason` says how). `tell` is false when the user was already told of a refusal since the
   * last watch a link added, so a burst of links makes one message, not one per link.
   */
  | { readonly refused: 'rate'; readonly tell: boolean }
  | { readonly refused: 'limit'; readonly reason: string; readonly tell: boolean };

/** The timeout of a link's watch, from the user's watch timeout in ms (0: none set). */
export function linkWatchTimeoutMs(settingMs: number): number {
  return Number.isFinite(settingMs) && settingMs > 0 ? settingMs : LINK_WATCH_TIMEOUT_MS;
}

/**
 * Watches made from `/watch` links. Any web page can open such a link, and once the user ticked
 * VS Code's "don't ask again" for this extension, it opens without a question. So a page must not
 * be able to fill Awaited Replies: links add at most `LINK_WATCHES_PER_MINUTE` watches in any 60 s,
 * each one times out, and a full registry refuses the link instead of throwing out of the handler.
 */
export class LinkWatches {
  private readonly added: RateWindow;
  private toldOfRefusal = false;

  constructor(
    private readonly watches: WatchRegistry,
    clock: Pick<Clock, 'now'> = systemClock,
  ) {
    this.added = new RateWindow(LINK_WATCHES_PER_MINUTE, WINDOW_MS, clock);
  }

  /** How many more watches links may add now. */
  remaining(): number {
    return this.added.remaining();
  }

  /** Watches `messageId` for a link, timing out after `linkWatchTimeoutMs(timeoutSettingMs)`. */
  watch(messageId: string, node: string | undefined, timeoutSettingMs: number): LinkWatchOutcome {
    if (this.added.remaining() <= 0) {
      return { refused: 'rate', tell: this.tell() };
    }
    let watch: Watch;
    try {
      watch = this.watches.watch(messageId, { node, timeoutMs: linkWatchTimeoutMs(timeoutSettingMs) });
    } catch (error) {
      if (error instanceof WatchLimitError) {
        return { refused: 'limit', reason: error.message, tell: this.tell() };
      }
      throw error;
    }
    this.added.take();
    this.toldOfRefusal = false;
    return { watching: watch };
  }

  private tell(): boolean {
    const tell = !this.toldOfRefusal;
    this.toldOfRefusal = true;
    return tell;
  }
}
