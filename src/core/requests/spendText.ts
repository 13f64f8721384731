import * as l10n from '@vscode/l10n';
import { formatAmount } from '../sending/amount';
import { shortSender } from '../text/messageText';
import { cleanText } from '../text/safeText';
import { shown } from './references';
import type { PlannedSend, SpendQuestion } from './spendGuard';

/** A modal lists each send up to this many; past it, a count. */
export const LISTED_SENDS = 10;

/** A spend question as a dialog shows it: one sentence, and a detail of plain lines. */
export interface SpendQuestionText {
  readonly message: string;
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
      const message = question.askFirst
        ? files === 1
          ? l10n.t('Running all tests runs request files too: {0} sends from 1 request file, {1} in total (limit {2} per run). Send them?', count, formatAmount(total), formatAmount(limit))
          : l10n.t('Running all tests runs request files too: {0} sends from {1} request files, {2} in total (limit {3} per run). Send them?', count, files, formatAmount(total), formatAmount(limit))
        : files > 1
          ? l10n.t('This run sends {0} messages from {1} request files: {2} in total, against a limit of {3} per run. Send them?', count, files, formatAmount(total), formatAmount(limit))
          : count === 1
            ? l10n.t('This run sends 1 message: {0}, against a limit of {1} per run. Send it?', formatAmount(total), formatAmount(limit))
            : l10n.t('This run sends {0} messages: {1} in total, against a limit of {2} per run. Send them?', count, formatAmount(total), formatAmount(limit));
      const lines = sends.length <= LISTED_SENDS ? sends.map(sendLine) : [l10n.t('{0} sends to {1} recipients.', sends.length, new Set(sends.map((send) => send.recipient)).size)];
      if (later > 0) {
        lines.push(
          later === 1
            ? l10n.t('1 more send depends on a reply: it is counted when it is made, and you are asked again if it goes past what you approve now.')
            : l10n.t('{0} more sends depend on replies: each is counted when it is made, and you are asked again if it goes past what you approve now.', later),
        );
      }
      lines.push(l10n.t('An amount that a reply chooses is always asked about before it is sent.'));
      return { message, detail: lines.join('\n') };
    }
    case 'overBudget':
      return {
        message: l10n.t('The next send takes this run to {0}, past the {1} approved. Send it?', formatAmount(question.total), formatAmount(question.approved)),
        detail: [sendLine(question.send), l10n.t('Cancel sends nothing more in this run.')].join('\n'),
      };
    case 'replyAmount':
      return {
        message: l10n.t('The amount of the next send, {0}, came from the reply to "{1}". Send it?', formatAmount(question.send.amount), named(question.send.amountFrom ?? '')),
        detail: [
          sendLine(question.send),
          l10n.t('This run would have spent {0} with it (approved so far: {1}).', formatAmount(question.total), formatAmount(question.approved)),
          l10n.t('Cancel sends nothing more in this run.'),
        ].join('\n'),
      };
  }
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
