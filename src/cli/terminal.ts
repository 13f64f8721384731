// What the command line writes, and how: colour only on a terminal and never with NO_COLOR, a live
// "waiting 3 s" line only on a terminal, plain lines otherwise (CI logs, pipes). Every piece of
// peer or node text goes through `terminalText` first.
import { logText } from '../core/text/safeText';

/** Where the command writes: stdout and stderr as Node gives them, or a test's capture. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface TerminalOptions {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: NodeJS.ProcessEnv;
}

type Colour = 'red' | 'green' | 'yellow' | 'dim' | 'bold';
const CODES: Record<Colour, [number, number]> = { red: [31, 39], green: [32, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22] };

/**
 * Peer or node text made safe for a terminal, on one line: control characters (ESC and CSI among
 * them, so no escape sequence), line breaks and bidirectional overrides show as visible escapes
 * (`\u001b`, `\n`, `\u202e`), the same rule as the extension's log; cut to `maxLength`.
 */
export function terminalText(text: string, maxLength = 500): string {
  return logText(text, maxLength);
}

export class Terminal {
  /** Colour on stdout: a terminal, and no NO_COLOR (https://no-color.org: any non-empty value). */
  readonly colour: boolean;
  readonly live: boolean;
  private liveLine = false;

  constructor(private readonly options: TerminalOptions) {
    const noColour = (options.env.NO_COLOR ?? '') !== '' || options.env.TERM === 'dumb';
    this.live = options.stdout.isTTY === true && options.env.TERM !== 'dumb';
    this.colour = this.live && !noColour;
  }

  /** One line on stdout (our own words and already-safe text). */
  line(text = ''): void {
    this.clearLive();
    this.options.stdout.write(`${text}\n`);
  }

  /** One line on stderr: errors and what to do next, connection news. */
  error(text: string): void {
    this.clearLive();
    this.options.stderr.write(`${text}\n`);
  }

  /** A line rewritten in place on a terminal ("waiting 3 s"); nothing elsewhere. */
  status(text: string): void {
    if (!this.live) {
      return;
    }
    this.options.stdout.write(`\r\u001b[2K${text}`);
    this.liveLine = true;
  }

  clearLive(): void {
    if (this.liveLine) {
      this.options.stdout.write('\r\u001b[2K');
      this.liveLine = false;
    }
  }

  paint(colour: Colour, text: string): string {
    if (!this.colour) {
      return text;
    }
    const [open, close] = CODES[colour];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  }
}
