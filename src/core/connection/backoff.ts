/** A source of uniform random numbers in [0, 1); tests pass a seeded one. */
export type Random = () => number;

export interface BackoffOptions {
  readonly baseMs?: number;
  readonly capMs?: number;
  readonly random?: Random;
}

/**
 * Exponential backoff with full jitter: the n-th retry waits a uniform random time in
 * [0, min(cap, base * 2^n)), so many clients that lost the same node do not return in step.
 */
export class Backoff {
  readonly baseMs: number;
  readonly capMs: number;
  private readonly random: Random;
  private failures = 0;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 1000;
    this.capMs = options.capMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  /** How many delays were handed out since the last reset. */
  get attempt(): number {
    return this.failures;
  }

  /** The ceiling of the next delay. */
  get ceilingMs(): number {
    return Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures, 30));
  }

  next(): number {
    const delay = Math.floor(this.random() * this.ceilingMs);
    this.failures++;
    return delay;
  }

  reset(): void {
    this.failures = 0;
  }
}
