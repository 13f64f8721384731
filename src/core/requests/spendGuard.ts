import type { PreparedSend } from './runner';

/** Past this many times the minimum in one run, the user is asked first. */
export const SPEND_CONFIRM_FACTOR = 10n;

/** Asks `confirmSpend` at most once per run, when the run's total passes 10x its minimum. */
export class SpendGuard {
  private asked = false;
  private answer = true;
  private total = 0n;
  private minimum = 0n;

  constructor(private readonly confirm: (total: bigint, minimum: bigint) => Promise<boolean>) {}

  /** Before the run: the sends known so far. */
  async allow(sends: readonly PreparedSend[]): Promise<boolean> {
    const total = sends.reduce((sum, send) => sum + send.amount, 0n);
    const minimum = sends.reduce((sum, send) => sum + send.minimum, 0n);
    return this.check(total, minimum);
  }

  /** Before each send: the run so far plus this send. */
  async allowMore(send: PreparedSend): Promise<boolean> {
    this.total += send.amount;
    this.minimum += send.minimum;
    return this.check(this.total, this.minimum);
  }

  private async check(total: bigint, minimum: bigint): Promise<boolean> {
    if (this.asked) {
      return this.answer;
    }
    if (total > SPEND_CONFIRM_FACTOR * minimum) {
      this.asked = true;
      this.answer = await this.confirm(total, minimum);
    }
    return this.answer;
  }
}
