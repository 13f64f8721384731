import * as vscode from 'vscode';
import { shortId } from '../../core/text/messageText';
import { promptText } from '../../core/text/safeText';
import { Watch } from '../../core/watches/watches';
import { idAtEditorCursor } from '../messageIds/cursorIds';
import { CommandId } from '../contributionIds';
import { askForMessageId, isNodeMessage, pickWatch } from './prompts';
import type { CommandServices, CommandTable } from './services';

/** Watching for the reply to a message ID, and stopping. */
export function watchCommands(services: CommandServices): CommandTable {
  return [
    [CommandId.WatchReply, (arg?: unknown) => watchReply(services, arg)],
    [CommandId.Unwatch, (arg?: unknown) => unwatch(services, arg)],
  ];
}

async function watchReply({ dialogs, subscriptions, settings }: CommandServices, argument: unknown): Promise<Watch | undefined> {
  let messageId: string | undefined;
  if (isNodeMessage(argument)) {
    messageId = argument.id;
  } else if (typeof argument === 'string' && argument.trim()) {
    messageId = argument.trim();
  } else {
    // No ID given (the palette, a keybinding, the editor context menu): the editor's selection or
    // the ID at its cursor, before asking.
    messageId = idAtEditorCursor() ?? (await askForMessageId(dialogs));
  }
  if (!messageId) {
    return undefined;
  }
  const watch = subscriptions.watches.watch(messageId, { timeoutMs: settings().watchTimeoutSeconds * 1000 });
  vscode.window.setStatusBarMessage(
    watch.state === 'answered'
      ? `$(pass-filled) ${vscode.l10n.t('The reply to {0} is already here', promptText(shortId(messageId)))}`
      : `$(watch) ${vscode.l10n.t('Watching for the reply to {0}', promptText(shortId(messageId)))}`,
    3000,
  );
  return watch;
}

async function unwatch({ dialogs, subscriptions }: CommandServices, argument: unknown): Promise<void> {
  let watch: Watch | undefined;
  if (argument instanceof Watch) {
    watch = argument;
  } else if (typeof argument === 'string') {
    watch = subscriptions.watches.list().find((candidate) => candidate.messageId === argument);
  } else {
    watch = await pickWatch(dialogs, subscriptions.watches.list());
  }
  if (watch) {
    subscriptions.watches.remove(watch);
  }
}
