import * as l10n from '@vscode/l10n';
import { formatAmount } from '../sending/amount';
import { shortSender } from '../text/messageText';
import { cleanText } from '../text/safeText';
import { shown } from './references';
import type { PlannedSend, SpendQuestion } from './spendGuard';

/** A modal lists each send up to this many; past it, a count. */
export const LISTED_SENDS = 10;

/**
 * A spend question in words. A dialog shows `message` and `detail`; the command line, which asks
 * nobody, says `statement` and `facts` as it refuses.
 */
export interface SpendQuestionText {
  /** What would be sent, as a statement. */
  readonly statement: string;
  /** The statement and its question, for a dialog. */
  readonly message: string;
  /** Plain lines: each send, or their count, and the totals. */
  readonly facts: readonly string[];
  /** The facts, then what the dialog's answers do. */
  readonly detail: string;
}

/**
 * The words of a spend question. Block names and file names come from a file that may have been
 * cloned from anyone, recipients may come from a peer's reply: every piece is cut to one line.
 */
export function spendQuestionText(question: SpendQuestion): SpendQuestionText {
  switch (question.kind) {
    case 'run': {
      const { sends, total, limit, later, files } = question;
      const count = sends.length + later;
      const statement = question.askFirst
        ? files === 1
          ? l10n.t('Running all tests runs request files too: {0} sends from 1 request file, {1} in total (limit {2} per run).', count, formatAmount(total), formatAmount(limit))
          : l10n.t('Running all tests runs request files too: {0} sends from {1} request files, {2} in total (limit {3} per run).', count, files, formatAmount(total), formatAmount(limit))
        : files > 1
          ? l10n.t('This run sends {0} messages from {1} request files: {2} in total, against a limit of {3} per run.', count, files, formatAmount(total), formatAmount(limit))
          : count === 1
            ? l10n.t('This run sends 1 message: {0}, against a limit of {1} per run.', formatAmount(total), formatAmount(limit))
            : l10n.t('This run sends {0} messages: {1} in total, against a limit of {2} per run.', count, formatAmount(total), formatAmount(limit));
      const facts = sends.length <= LISTED_SENDS ? sends.map(sendLine) : [l10n.t('{0} sends to {1} recipients.', sends.length, new Set(sends.map((send) => send.recipient)).size)];
      const advice =
        later === 0
          ? []
          : [
              later === 1
                ? l10n.t('1 more send depends on a reply: it is counted when it is made, and you are asked again if it goes past what you approve now.')
                : l10n.t('{0} more sends depend on replies: each is counted when it is made, and you are asked again if it goes past what you approve now.', later),
            ];
      advice.push(l10n.t('An amount that a reply chooses is always asked about before it is sent.'));
      return worded(statement, count === 1 ? sendIt() : l10n.t('Send them?'), facts, advice);
    }
    case 'overBudget':
      return worded(
        l10n.t('The next send takes this run to {0}, past the {1} approved.', formatAmount(question.total), formatAmount(question.approved)),
        sendIt(),
        [sendLine(question.send)],
        [cancelEnds()],
      );
    case 'replyAmount':
      return worded(
        l10n.t('The amount of the next send, {0}, came from the reply to "{1}".', formatAmount(question.send.amount), named(question.send.amountFrom ?? '')),
        sendIt(),
        [sendLine(question.send), l10n.t('This run would have spent {0} with it (approved so far: {1}).', formatAmount(question.total), formatAmount(question.approved))],
        [cancelEnds()],
      );
  }
}

function worded(statement: string, ask: string, facts: readonly string[], advice: readonly string[]): SpendQuestionText {
  return { statement, message: `${statement} ${ask}`, facts, detail: [...facts, ...advice].join('\n') };
}

function sendIt(): string {
  return l10n.t('Send it?');
}

function cancelEnds(): string {
  return l10n.t('Cancel sends nothing more in this run.');
}

/** `• 03ed8b…d0e0: 10 sat ("pay", in a.imp), to the sender of "quote"'s reply` */
function sendLine(send: PlannedSend): string {
  const where = send.file !== undefined ? l10n.t('"{0}" in {1}', named(send.block), named(send.file)) : `"${named(send.block)}"`;
  const line = l10n.t('• {0}: {1} ({2})', shortSender(send.recipient), formatAmount(send.amount), where);
  return send.recipientFrom !== undefined ? l10n.t('{0}; the recipient came from the reply to "{1}"', line, named(send.recipientFrom)) : line;
}

/** A name from the file or a reply: escaped to one line, and no character that could disguise it. */
function named(text: string): string {
  return cleanText(shown(text));
}
