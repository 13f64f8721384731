import * as vscode from 'vscode';
import { previewData, shortSender } from '../core/messageText';
import type { NodeSubscriptions } from '../core/nodeSubscriptions';
import type { NodeMessage } from '../core/nodeMessage';
import { formatTime } from '../core/timeFormat';
import { Watch } from '../core/watches';

/** What a command that acts on a message may be given: a tree item, an awaited reply, or an ID. */
export type MessageArgument = NodeMessage | Watch | string | undefined;

export function isNodeMessage(value: unknown): value is NodeMessage {
  return typeof value === 'object' && value !== null && 'fromPubkey' in value && 'data' in value && 'id' in value;
}

/**
 * Resolves a command's argument to a held message: the message itself, an answered watch's reply,
 * or an ID looked up in every node; with no argument, a quick pick of recent messages.
 */
export async function resolveMessage(hub: NodeSubscriptions, argument: unknown, placeHolder: string): Promise<NodeMessage | undefined> {
  if (isNodeMessage(argument)) {
    return argument;
  }
  if (argument instanceof Watch) {
    if (argument.reply) {
      return argument.reply;
    }
    return hub.find(argument.messageId, argument.node);
  }
  if (typeof argument === 'string' && argument.trim() !== '') {
    const message = hub.find(argument.trim());
    if (!message) {
      void vscode.window.showWarningMessage(`No held message has the ID ${argument.trim()}.`);
    }
    return message;
  }
  return pickMessage(hub, placeHolder);
}

export async function pickMessage(hub: NodeSubscriptions, placeHolder: string): Promise<NodeMessage | undefined> {
  const recent = hub.messages().slice(-200).reverse();
  if (recent.length === 0) {
    void vscode.window.showInformationMessage('No messages are held yet.');
    return undefined;
  }
  const items = recent.map((message) => ({
    label: previewData(message, 80),
    description: `${shortSender(message.fromPubkey)} · ${formatTime(message.receivedAt)} · ${message.serviceType}`,
    detail: message.id,
    message,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.message;
}

/** Asks which node when there are several; the only one otherwise. */
export async function pickNode(hub: NodeSubscriptions, placeHolder: string): Promise<string | undefined> {
  const names = hub.nodeNames();
  if (names.length <= 1) {
    return names[0];
  }
  const picked = await vscode.window.showQuickPick(
    names.map((name) => ({ label: name, description: hub.connection(name)?.state ?? '' })),
    { placeHolder },
  );
  return picked?.label;
}
