import * as vscode from 'vscode';
import { notificationText } from '../../core/text/safeText';
import type { Dialogs, PendingSend } from '../services/dialogs';

/**
 * The one question before a send whose recipient, text or amount came from a command's arguments
 * (a keybinding, a command link, another extension): a modal naming the pubkey, the amount and a
 * preview of the text, with a "Send" button. Without arguments the prompts themselves are the
 * confirmation; the exported API's sendMessage never asks.
 */
export function confirmSend(dialogs: Dialogs, send: PendingSend): Thenable<boolean> {
  return dialogs.confirm({
    about: { kind: 'send', send },
    message: notificationText(vscode.l10n.t('Send {0} sat to {1}?', send.amount, send.pubkey)),
    detail: describe(send),
    button: vscode.l10n.t('Send'),
  });
}

/** The dialog's detail: plain text, one line per field, all of it cut and cleaned. */
function describe(send: PendingSend): string {
  const lines = [
    vscode.l10n.t('Text: {0}', notificationText(send.text, 200) || vscode.l10n.t('(empty)')),
    vscode.l10n.t('Node: {0}', notificationText(send.node, 80)),
  ];
  if (send.replyToId) {
    lines.push(vscode.l10n.t('In reply to: {0}', notificationText(send.replyToId, 100)));
  }
  lines.push(
    BigInt(send.amount) > send.minimum
      ? vscode.l10n.t('{0} sat is more than the minimum of {1} sat for this message.', send.amount, send.minimum.toString())
      : vscode.l10n.t('{0} sat is the minimum for this message.', send.amount),
  );
  lines.push(vscode.l10n.t('This send was started by a command with arguments (a keybinding, a link or another extension).'));
  return lines.join('\n');
}
