/** The command line's exit codes: documented in the README and `--help`, and part of its contract. */
export const ExitCode = {
  /** Every block passed; `wait` got its reply; `send` was accepted. */
  Passed: 0,
  /** A block failed: the node refused a send, an expectation failed, no reply came in time. */
  Failed: 1,
  /** A usage error, or a request file with problems (nothing was sent). */
  Usage: 2,
  /** No node reachable, or the node refused the API key. */
  Unreachable: 3,
  /** Stopped by the spend rules (--spend-limit, --allow-reply-amounts). */
  SpendRefused: 4,
  /** Stopped by Ctrl+C (128 + SIGINT), as shells report it. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A usage error: said on stderr with what to do next, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An error that ends the command with a given exit code, its message on stderr. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}
