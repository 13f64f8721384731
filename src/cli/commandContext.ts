import type { Disposable } from '../core/base/emitter';
import type { Terminal } from './terminal';

/** Ctrl+C: the first asks the command to stop cleanly (reports still written); main.ts quits at once on the second. */
export class Interruption {
  private stopped = false;
  private readonly handlers = new Set<() => void>();

  get interrupted(): boolean {
    return this.stopped;
  }

  /** Called once on the first Ctrl+C (at once if it already came). */
  onInterrupt(handler: () => void): Disposable {
    if (this.stopped) {
      handler();
      return { dispose: () => undefined };
    }
    this.handlers.add(handler);
    return { dispose: () => this.handlers.delete(handler) };
  }

  interrupt(): void {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    for (const handler of [...this.handlers]) {
      handler();
    }
    this.handlers.clear();
  }
}

/** What a command gets from main.ts: where to write, where it runs, and Ctrl+C. */
export interface CommandContext {
  readonly terminal: Terminal;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadableStream;
  readonly interruption: Interruption;
}
