import * as vscode from 'vscode';
import { notificationText } from '../../core/text/safeText';

/** What a send is about to do, as the confirmation shows it. */
export interface PendingSend {
  readonly node: string;
  readonly pubkey: string;
  readonly text: string;
  readonly amount: number;
  /** The node's minimum for this text. */
  readonly minimum: bigint;
  readonly replyToId?: string;
}

/** Answers a confirmation in place of the dialog: resolves `true` to send. */
export type SendAnswerer = (send: PendingSend) => Thenable<boolean> | boolean;

/**
 * The one question before a send whose recipient, text or amount came from a command's arguments
 * (a keybinding, a command link, another extension): a modal dialog naming the pubkey, the amount
 * and a preview of the text, with a "Send" button. Without arguments the prompts themselves are
 * the confirmation; the exported API's sendMessage never asks.
 */
export class SendConfirmation {
  private answerer: SendAnswerer | undefined;

  /**
   * For the integration tests, through `Internals`: a modal dialog cannot be answered from the
   * extension host, so this answers (and sees) each question instead; `undefined` restores the dialog.
   */
  answerWith(answerer: SendAnswerer | undefined): void {
    this.answerer = answerer;
  }

  async confirm(send: PendingSend): Promise<boolean> {
    if (this.answerer) {
      return (await this.answerer(send)) === true;
    }
    const sendButton = vscode.l10n.t('Send');
    const choice = await vscode.window.showWarningMessage(
      notificationText(vscode.l10n.t('Send {0} sat to {1}?', send.amount, send.pubkey)),
      { modal: true, detail: describe(send) },
      sendButton,
    );
    return choice === sendButton;
  }
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
