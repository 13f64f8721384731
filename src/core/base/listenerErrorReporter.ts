import * as l10n from '@vscode/l10n';
import { singleLine, truncate } from '../text/safeText';

/** Distinct kinds remembered; past that, every new kind shares one count (a hostile message cannot grow the map). */
const MAX_KINDS = 100;
const MAX_DESCRIPTION = 300;

/**
 * Writes a log line for a listener that threw: the first error of each kind (event and error
 * message) with where it was thrown, then a count at the 10th, 100th, 1000th… time, so a listener
 * failing on every message costs a few lines, and still says how often it failed.
 */
export class ListenerErrorReporter {
  private readonly counts = new Map<string, number>();
  /** Every listener error seen. */
  total = 0;

  constructor(private readonly report: (line: string) => void) {}

  error(error: unknown, event: string): void {
    this.total++;
    const description = describe(error);
    const own = `${event}\n${description}`;
    const kind = this.counts.has(own) || this.counts.size < MAX_KINDS ? own : `${event}\n(other errors)`;
    const count = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, count);
    const what = kind === own ? description : l10n.t('{0} (and other errors counted with it)', description);
    if (count === 1) {
      this.report(l10n.t('A listener of {0} threw: {1}{2}. Other listeners still ran; the one that threw missed this event.', event, what, origin(error)));
    } else if (isPowerOfTen(count)) {
      this.report(l10n.t('A listener of {0} threw {1} times so far: {2}', event, count, what));
    }
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : l10n.t('non-error value {0}', String(error));
  return oneLine(text);
}

/** The first frame of the stack: where to look. */
function origin(error: unknown): string {
  const frame = error instanceof Error ? error.stack?.split('\n').find((line) => line.trimStart().startsWith('at ')) : undefined;
  return frame ? ` (${oneLine(frame.trim())})` : '';
}

/** Error text may quote a peer's bytes: one line (no forged log lines), cleaned and short. */
function oneLine(text: string): string {
  return truncate(singleLine(text), MAX_DESCRIPTION);
}

function isPowerOfTen(count: number): boolean {
  return /^10+$/.test(String(count));
}
