import * as vscode from 'vscode';
import { idTokensIn, looksLikeNodeMessageId } from '../../core/ids/messageIdTokens';
import { shortId } from '../../core/text/messageText';
import { CommandId } from '../contributionIds';
import type { KnownIds } from './knownIds';
import type { Probe } from '../services/testProbe';

/** A terminal line rarely names more IDs than this; the rest of a pathological line gets no links. */
const MAX_LINKS_PER_LINE = 20;

export interface IdTerminalLink extends vscode.TerminalLink {
  readonly messageId: string;
}

/**
 * Message IDs printed in the integrated terminal (the `{"id":…}` of a send) become links. Only IDs
 * that resolve do, as GitLens does for commit SHAs: one we hold or watch, or the exact shape of a
 * node's message ID; every other word stays plain, so the terminal is not littered.
 */
export class IdTerminalLinkProvider implements vscode.TerminalLinkProvider<IdTerminalLink> {
  constructor(
    private readonly ids: KnownIds,
    private readonly probe: Probe,
  ) {}

  provideTerminalLinks(context: vscode.TerminalLinkContext): IdTerminalLink[] {
    const accept = (text: string): boolean => looksLikeNodeMessageId(text) || this.ids.isKnown(text);
    return idTokensIn(context.line, accept, MAX_LINKS_PER_LINE).map((token) => ({
      startIndex: token.start,
      length: token.end - token.start,
      tooltip: this.ids.resolve(token.text)?.message ? vscode.l10n.t('Open Message') : vscode.l10n.t('Watch for Reply'),
      messageId: token.text,
    }));
  }

  /** Opens the message if it is held, else offers to watch for its reply. */
  async handleTerminalLink(link: IdTerminalLink): Promise<void> {
    const id = link.messageId;
    const known = this.ids.resolve(id);
    if (known?.message) {
      await vscode.commands.executeCommand(CommandId.OpenMessage, id);
      return;
    }
    if (known?.watch?.state === 'waiting') {
      vscode.window.setStatusBarMessage(`$(watch) ${vscode.l10n.t('Already watching for the reply to {0}', shortId(id))}`, 3000);
      return;
    }
    const watch = vscode.l10n.t('Watch for Reply');
    const text = vscode.l10n.t('Message {0} is not held. Watch for its reply?', shortId(id));
    this.probe.notified(text);
    const choice = await vscode.window.showInformationMessage(text, watch);
    if (choice === watch) {
      await vscode.commands.executeCommand(CommandId.WatchReply, id);
    }
  }
}
