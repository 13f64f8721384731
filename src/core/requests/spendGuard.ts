/** What one run may spend: the spend limit, what the user approved, and the questions between. */

/** `impervious.spendLimitSats` when unset: what one run may spend without a question. */
export const DEFAULT_SPEND_LIMIT_SATS = 100n;

/** One send as a question names it. */
export interface PlannedSend {
  /** The block's result name. */
  readonly block: string;
  /** The file the block is in, for a run over several files (the Test Explorer's); else `undefined`. */
  readonly file?: string;
  readonly recipient: string;
  readonly amount: bigint;
  /** The block whose reply (or the node's answer to it) the amount was read from: a peer chose it. */
  readonly amountFrom?: string;
  /** The block whose reply named the recipient. */
  readonly recipientFrom?: string;
}

/** What the user is asked, and when. */
export type SpendQuestion =
  /** Before the run's first send: the sends known now pass the limit (or the run asks first anyway). */
  | {
      readonly kind: 'run';
      readonly sends: readonly PlannedSend[];
      readonly total: bigint;
      readonly limit: bigint;
      /** Sends whose amount or recipient only a reply reveals: each is counted again before it is sent. */
      readonly later: number;
      /** How many files the sends are in. */
      readonly files: number;
      /** Asked because the run was not aimed at request files (Run All Tests), whatever its total. */
      readonly askFirst: boolean;
    }
  /** Before a send that takes the run's total past what the user approved. */
  | { readonly kind: 'overBudget'; readonly send: PlannedSend; readonly total: bigint; readonly approved: bigint }
  /** Before a send whose amount came from a reply, whatever the budget. */
  | { readonly kind: 'replyAmount'; readonly send: PlannedSend; readonly total: bigint; readonly approved: bigint };

/** Resolves `true` to go on. */
export type ConfirmSpend = (question: SpendQuestion) => Promise<boolean>;

export interface SpendGuardOptions {
  /** Ask before the first send even under the limit: a run the user did not aim at request files (Run All Tests). */
  readonly askFirst?: boolean;
}

/**
 * One run's budget: a click, a Test Explorer run request, a command invocation. The limit is what
 * the run may spend without a question; past it, and before every send whose amount a peer chose,
 * the user is asked, so a reply can never steer what a run spends. A "no" ends the run: nothing
 * more is sent.
 */
export class SpendGuard {
  private approved: bigint;
  private spent = 0n;
  private begun = false;
  private refused = false;

  constructor(
    readonly limit: bigint,
    private readonly confirm: ConfirmSpend,
    private readonly options: SpendGuardOptions = {},
  ) {
    this.approved = limit;
  }

  /** Whether the user said no: every send after that is refused. */
  get declined(): boolean {
    return this.refused;
  }

  /** What the run has let through so far. */
  get total(): bigint {
    return this.spent;
  }

  /**
   * Before the run's first send, with the sends known now (`later` more that only replies reveal).
   * Asks once per run; a later call (the next file of a test run) only reports the answer.
   */
  async begin(sends: readonly PlannedSend[], later: number, files = 1): Promise<boolean> {
    if (this.begun || this.refused) {
      return !this.refused;
    }
    this.begun = true;
    const total = sends.reduce((sum, send) => sum + send.amount, 0n);
    const nothingToSend = sends.length === 0 && later === 0;
    if (total > this.limit || (this.options.askFirst === true && !nothingToSend)) {
      if (!(await this.ask({ kind: 'run', sends, total, limit: this.limit, later, files, askFirst: this.options.askFirst === true }))) {
        return false;
      }
      this.approved = max(this.approved, total);
    }
    return true;
  }

  /** Just before a send: asks when its amount came from a reply, or when it takes the run past what was approved. */
  async allow(send: PlannedSend): Promise<boolean> {
    if (this.refused) {
      return false;
    }
    const total = this.spent + send.amount;
    if (send.amountFrom !== undefined) {
      if (!(await this.ask({ kind: 'replyAmount', send, total, approved: this.approved }))) {
        return false;
      }
    } else if (total > this.approved) {
      if (!(await this.ask({ kind: 'overBudget', send, total, approved: this.approved }))) {
        return false;
      }
    }
    this.approved = max(this.approved, total);
    // Counted when let through, sent or not: a send that fails after the node took it may still have spent.
    this.spent = total;
    return true;
  }

  private async ask(question: SpendQuestion): Promise<boolean> {
    let answer = false;
    try {
      answer = (await this.confirm(question)) === true;
    } finally {
      this.refused ||= !answer;
    }
    return answer;
  }
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
