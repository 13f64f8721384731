import * as vscode from 'vscode';
import { shortId } from '../../core/text/messageText';
import { promptText } from '../../core/text/safeText';
import { Watch } from '../../core/watches/watches';
import { idAtEditorCursor } from '../messageIds/cursorIds';
import { CommandId } from '../contributionIds';
import { parseQuery } from '../../core/query/query';
import { isMessageElement } from '../../core/messages/messageTree';
import { askForMessageId, askForWatchQuery, isNodeMessage, itemMessage, pickWatch, queryErrorText } from './prompts';
import type { CommandServices, CommandTable } from './services';

/** Watching for the reply to a message ID, and stopping. */
export function watchCommands(services: CommandServices): CommandTable {
  return [
    [CommandId.WatchReply, (arg?: unknown) => watchReply(services, arg)],
    [CommandId.WatchQuery, (arg?: unknown) => watchQuery(services, arg)],
    [CommandId.Unwatch, (arg?: unknown) => unwatch(services, arg)],
  ];
}

/** Watches for the next message matching a query (an argument, or asked for). */
async function watchQuery({ dialogs, subscriptions, settings, notifier }: CommandServices, argument: unknown): Promise<Watch | undefined> {
  const text = typeof argument === 'string' && argument.trim() ? argument : await askForWatchQuery(dialogs);
  if (!text) {
    return undefined;
  }
  const parsed = parseQuery(text);
  if (!parsed.ok) {
    void notifier.warn(vscode.l10n.t('Not watching: {0}', queryErrorText(parsed.error)));
    return undefined;
  }
  const watch = subscriptions.watches.watchQuery(parsed.query, { timeoutMs: settings().watchTimeoutSeconds * 1000 });
  vscode.window.setStatusBarMessage(`$(search) ${vscode.l10n.t('Watching for a message matching {0}', promptText(parsed.query.text, 60))}`, 3000);
  return watch;
}

async function watchReply({ dialogs, subscriptions, settings }: CommandServices, argument: unknown): Promise<Watch | undefined> {
  let messageId: string | undefined;
  if (isNodeMessage(argument)) {
    messageId = argument.id;
  } else if (isMessageElement(argument)) {
    messageId = itemMessage(subscriptions, argument)?.id;
    if (messageId === undefined) {
      return undefined;
    }
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
    watch = subscriptions.watches.list().find((candidate) => candidate.subject === argument);
  } else {
    watch = await pickWatch(dialogs, subscriptions.watches.list());
  }
  if (watch) {
    subscriptions.watches.remove(watch);
  }
}
