import * as vscode from 'vscode';
import { buildMessageLink } from '../../core/ids/deepLinks';
import { messageToJson } from '../../core/journal/messageJson';
import { shortId } from '../../core/text/messageText';
import { notificationText } from '../../core/text/safeText';
import type { NodeMessage } from '../../core/nodeMessage';
import { copyToClipboard, dataAsText } from '../base/clipboard';
import { heldIdAtCursor } from '../messageIds/cursorIds';
import { CommandId } from '../contributionIds';
import { openMessageDocument } from '../messages/messageDocuments';
import { updateGroupBy } from '../services/settings';
import { resolveMessage } from './prompts';
import type { CommandServices, CommandTable } from './services';

/** Commands on one held message: copy a field, open it, go to its thread or to what it replies to. */
export function messageCommands(services: CommandServices): CommandTable {
  return [
    [CommandId.CopyMessageId, (arg?: unknown) => copy(services, arg, vscode.l10n.t('message ID'), (m) => m.id)],
    [CommandId.CopyReplyToId, (arg?: unknown) => copy(services, arg, vscode.l10n.t('reply-to ID'), (m) => m.replyToId)],
    [CommandId.CopySenderPubkey, (arg?: unknown) => copy(services, arg, vscode.l10n.t('sender'), (m) => m.fromPubkey)],
    [CommandId.CopyData, (arg?: unknown) => copy(services, arg, vscode.l10n.t('data'), dataAsText)],
    [CommandId.CopyMessageJson, (arg?: unknown) => copy(services, arg, vscode.l10n.t('message JSON'), (m) => JSON.stringify(messageToJson(m), null, 2))],
    [CommandId.GoToThread, (arg?: unknown) => goToThread(services, arg)],
    [CommandId.GoToRepliedMessage, (arg?: unknown) => goToRepliedMessage(services, arg)],
    [CommandId.OpenMessage, (arg?: unknown) => openMessage(services, arg)],
    [CommandId.CopyMessageLink, (arg?: unknown) => copyMessageLink(services, arg)],
  ];
}

async function copy(
  { dialogs, subscriptions }: CommandServices,
  argument: unknown,
  what: string,
  select: (message: NodeMessage) => string,
): Promise<string | undefined> {
  const message = await resolveMessage(dialogs, subscriptions, argument, vscode.l10n.t('Copy the {0} of which message?', what));
  if (!message) {
    return undefined;
  }
  const text = select(message);
  if (!text) {
    vscode.window.setStatusBarMessage(`$(info) ${vscode.l10n.t('This message has no {0}', what)}`, 3000);
    return undefined;
  }
  await copyToClipboard(text, what);
  return text;
}

async function goToThread({ dialogs, subscriptions, messagesView }: CommandServices, argument: unknown): Promise<NodeMessage | undefined> {
  const message = await resolveMessage(dialogs, subscriptions, argument, vscode.l10n.t('Go to the thread of which message?'));
  if (!message) {
    return undefined;
  }
  if (messagesView.model.groupBy !== 'thread') {
    await updateGroupBy('thread');
    messagesView.setGroupBy('thread');
  }
  // The root the view shows it under: for a reply loop, the loop's oldest message.
  messagesView.flush();
  const element = messagesView.model.element(message);
  const root = element && messagesView.model.threadRoot(element);
  if (!root) {
    return undefined;
  }
  await messagesView.reveal(root, { expand: 3 });
  return messagesView.model.message(root);
}

async function goToRepliedMessage({ dialogs, subscriptions, messagesView }: CommandServices, argument: unknown): Promise<NodeMessage | undefined> {
  const message = await resolveMessage(dialogs, subscriptions, argument, vscode.l10n.t('Go to the message that which message replies to?'));
  if (!message) {
    return undefined;
  }
  if (!message.replyToId) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This message is not a reply.'));
    return undefined;
  }
  const parent = subscriptions.store(message.node).parentOf(message);
  if (!parent) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The message it replies to ({0}) is not held.', notificationText(shortId(message.replyToId))));
    return undefined;
  }
  await messagesView.reveal(parent);
  return parent;
}

async function openMessage({ dialogs, subscriptions, ids }: CommandServices, argument: unknown): Promise<vscode.TextEditor | undefined> {
  // From the editor context menu the argument is the document's URI: the message is the one whose
  // ID is at the cursor; with no ID held there, the quick pick.
  const target = argument === undefined || argument instanceof vscode.Uri ? heldIdAtCursor(ids) : argument;
  const message = await resolveMessage(dialogs, subscriptions, target, vscode.l10n.t('Open which message?'));
  return message ? openMessageDocument(subscriptions, message) : undefined;
}

/** Copies the message's link (`<scheme>://imp-tools.impervious-events/message?id=…&node=…`). */
async function copyMessageLink({ dialogs, subscriptions }: CommandServices, argument: unknown): Promise<string | undefined> {
  const message = await resolveMessage(dialogs, subscriptions, argument, vscode.l10n.t('Copy the link of which message?'));
  if (!message) {
    return undefined;
  }
  const link = buildMessageLink(vscode.env.uriScheme, message.id, message.node);
  if (!link) {
    void vscode.window.showWarningMessage(vscode.l10n.t('This message cannot be linked: its ID or node name is too long.'));
    return undefined;
  }
  await copyToClipboard(link, vscode.l10n.t('message link'));
  return link;
}
