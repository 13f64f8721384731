// The spend rules without a prompt: the core's `SpendGuard` asks its questions, and the command
// line answers them from its options alone, saying on stderr what it refused.
import { SpendGuard, type ConfirmSpend, type SpendQuestion } from '../core/requests/spendGuard';
import { spendQuestionText } from '../core/requests/spendText';
import { terminalText } from './terminal';

export interface CommandLineSpendOptions {
  readonly limit: bigint;
  /** `--allow-reply-amounts`: an amount a reply chose may be sent, still within the limit. */
  readonly allowReplyAmounts: boolean;
  /** Told, line by line, what was refused and how to allow it. */
  readonly refused: (lines: readonly string[]) => void;
}

/**
 * The answer to each question, with nobody to ask: past the limit, no (the limit is the approval);
 * an amount a reply chose, no unless `--allow-reply-amounts`, and even then not past the limit.
 */
export function commandLineAnswer(question: SpendQuestion, options: Pick<CommandLineSpendOptions, 'allowReplyAmounts'>): boolean {
  switch (question.kind) {
    case 'run':
    case 'overBudget':
      return false;
    case 'replyAmount':
      return options.allowReplyAmounts && question.total <= question.approved;
  }
}

/** Why a question was refused, as lines for stderr: the core's words for what would have been sent, and the option that allows it. */
export function refusalLines(question: SpendQuestion, options: Pick<CommandLineSpendOptions, 'allowReplyAmounts' | 'limit'>): string[] {
  const { statement, facts } = spendQuestionText(question);
  const lines = [`Not sent (spend rules): ${statement}`, ...facts.map((line) => `  ${line}`)];
  if (question.kind === 'replyAmount' && !options.allowReplyAmounts) {
    lines.push('A reply chose this amount: the command line sends such an amount only with --allow-reply-amounts.');
  } else {
    lines.push(`Over --spend-limit ${options.limit} sat: raise --spend-limit if this run may spend more.`);
  }
  return lines.map((line) => terminalText(line, 1000));
}

export const commandLineConfirm =
  (options: CommandLineSpendOptions): ConfirmSpend =>
  async (question) => {
    const answer = commandLineAnswer(question, options);
    if (!answer) {
      options.refused(refusalLines(question, options));
    }
    return answer;
  };

/** One command-line invocation's budget: the run's, or one `send`'s. */
export function commandLineSpendGuard(options: CommandLineSpendOptions): SpendGuard {
  return new SpendGuard(options.limit, commandLineConfirm(options));
}
