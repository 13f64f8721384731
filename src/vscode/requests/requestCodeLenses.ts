import * as vscode from 'vscode';
import { blockFingerprint, blockKeys } from '../../core/requests/blockKeys';
import { displayName } from '../../core/requests/requestFile';
import { CommandId, InternalCommandId } from '../contributionIds';
import type { RequestSession } from './requestSession';

/** Above each block: Send, Send and Check (with expectations), and Show Reply once a reply came. */
export class RequestCodeLenses implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly session: RequestSession) {
    this.onDidChangeCodeLenses = (listener, thisArgs, disposables) => session.onDidChange(() => listener.call(thisArgs, undefined), undefined, disposables);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    const file = this.session.file(document);
    const keys = blockKeys(file);
    for (const block of file.blocks) {
      if (!block.sendRange) {
        continue;
      }
      const range = new vscode.Range(block.range.start.line, 0, block.range.start.line, 0);
      // The block's fingerprint goes with its index: a click that lands after an edit moved another block there is refused.
      const fingerprint = blockFingerprint(keys[block.index]!, block);
      const lens = (title: string, command: string, args: unknown[], tooltip: string) => lenses.push(new vscode.CodeLens(range, { title, command, arguments: args, tooltip }));
      lens(vscode.l10n.t('$(play) Send'), InternalCommandId.SendRequestBlock, [document.uri, block.index, false, fingerprint], vscode.l10n.t('Send this block (and the blocks it uses that have not run yet)'));
      if (block.expectations.length > 0) {
        lens(vscode.l10n.t('$(beaker) Send and Check'), InternalCommandId.SendRequestBlock, [document.uri, block.index, true, fingerprint], vscode.l10n.t('Send this block, wait for the reply and check its expectations'));
      }
      const reply = this.session.state(document.uri, displayName(block))?.reply;
      if (reply) {
        lens(vscode.l10n.t('Show Reply'), CommandId.OpenMessage, [reply.id], vscode.l10n.t('Open the reply as a message document'));
      }
    }
    return lenses;
  }
}
