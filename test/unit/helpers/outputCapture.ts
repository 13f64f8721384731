import { Terminal, type OutputStream } from '../../../src/cli/terminal';

/** A stdout or stderr that keeps what the command line writes; a terminal or not. */
export class OutputCapture implements OutputStream {
  text = '';

  constructor(readonly isTTY = false) {}

  write(text: string): boolean {
    this.text += text;
    return true;
  }
}

/** A command line's terminal over two captures (no TTY: plain lines, no colour). */
export function capturedTerminal(env: NodeJS.ProcessEnv = {}): { terminal: Terminal; stdout: OutputCapture; stderr: OutputCapture } {
  const stdout = new OutputCapture();
  const stderr = new OutputCapture();
  return { terminal: new Terminal({ stdout, stderr, env }), stdout, stderr };
}
