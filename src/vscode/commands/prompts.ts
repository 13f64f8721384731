// How a command gets what it acts on: its argument resolved, else a quick pick or an input box;
// each prompt resolves `undefined` when dismissed.
import * as vscode from 'vscode';
import { isNodePubkey, looksLikeMessageId } from '../../core/messageIds';
import { previewData, shortId, shortSender } from '../../core/messageText';
import { notificationText, promptText } from '../../core/safeText';
import { formatTime } from '../../core/timeFormat';
import type { GroupBy } from '../../core/messageTree';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { NodeMessage } from '../../core/nodeMessage';
import { Watch } from '../../core/watches';

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
      void vscode.window.showWarningMessage(notificationText(`No held message has the ID ${argument.trim()}.`));
    }
    return message;
  }
  return pickMessage(hub, placeHolder);
}

async function pickMessage(hub: NodeSubscriptions, placeHolder: string): Promise<NodeMessage | undefined> {
  const recent = hub.messages().slice(-200).reverse();
  if (recent.length === 0) {
    void vscode.window.showInformationMessage('No messages are held yet.');
    return undefined;
  }
  const items = recent.map((message) => ({
    label: promptText(previewData(message, 80), 80),
    description: promptText(`${shortSender(message.fromPubkey)} · ${formatTime(message.receivedAt)} · ${message.serviceType}`),
    detail: promptText(message.id, 200),
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
    names.map((name) => ({ label: promptText(name), description: hub.connection(name)?.state ?? '', name })),
    { placeHolder },
  );
  return picked?.name;
}

/** A node's API key; an empty string means remove it. */
export function askForApiKey(node: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: promptText(`API key for ${node}`),
    prompt: 'Kept in VS Code secret storage. Leave empty to remove the key.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (/\s/.test(value) ? 'An API key has no spaces.' : undefined),
  });
}

/** Offers the editor selection, else the clipboard, when it looks like a message ID. */
export async function askForMessageId(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  const clipboard = selection ? '' : await vscode.env.clipboard.readText();
  const suggestion = [selection, clipboard].map((text) => text.trim()).find((text) => looksLikeMessageId(text)) ?? '';
  const value = await vscode.window.showInputBox({
    title: 'Watch for a Reply',
    prompt: 'The ID of a message you sent; you are notified when its reply arrives.',
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' ? 'Enter a message ID.' : undefined),
  });
  return value?.trim() || undefined;
}

/** Newest watch first. */
export async function pickWatch(watches: readonly Watch[]): Promise<Watch | undefined> {
  const picked = await vscode.window.showQuickPick(
    [...watches].reverse().map((candidate) => ({ label: promptText(candidate.messageId, 200), description: candidate.state, watch: candidate })),
    { placeHolder: 'Stop watching which ID?' },
  );
  return picked?.watch;
}

/** Known senders first (newest first), or a pubkey typed in. */
export async function askForPubkey(hub: NodeSubscriptions): Promise<string | undefined> {
  const senders = [...new Set(hub.messages().reverse().map((message) => message.fromPubkey).filter(Boolean))];
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { pubkey: string }>();
  quickPick.title = 'Send a Message';
  quickPick.placeholder = 'Recipient: pick a known sender or type a 66-character node pubkey (or a DID)';
  quickPick.ignoreFocusOut = true;
  const known = senders.slice(0, 50).map((pubkey) => ({ label: promptText(shortSender(pubkey)), description: promptText(pubkey, 200), pubkey }));
  quickPick.items = known;
  quickPick.matchOnDescription = true;
  return new Promise((resolve) => {
    quickPick.onDidChangeValue((value) => {
      const typed = value.trim();
      const valid = isNodePubkey(typed) || typed.startsWith('did:');
      quickPick.items = valid ? [{ label: promptText(typed, 200), description: 'typed', pubkey: typed }, ...known] : known;
      quickPick.title = typed && !valid ? 'Send a Message: a node pubkey is 66 hex characters starting 02 or 03' : 'Send a Message';
    });
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.pubkey);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}

/** The text of a new message, or of a reply to `replyTo`. */
export function askForText(pubkey: string, replyTo?: NodeMessage): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: promptText(replyTo ? `Reply to ${shortId(replyTo.id)} from ${shortSender(replyTo.fromPubkey)}` : `Send to ${shortSender(pubkey)}`),
    prompt: 'The message text.',
    ignoreFocusOut: true,
    validateInput: (value) => (value === '' ? 'Enter the text to send.' : undefined),
  });
}

/** Satoshis to pay, at least `minimum`; the minimum is offered. */
export async function askForAmount(minimum: bigint): Promise<number | undefined> {
  const entered = await vscode.window.showInputBox({
    title: 'Amount (satoshis)',
    prompt: `At least 1 sat per 900 bytes: ${minimum} for this message.`,
    value: minimum.toString(),
    ignoreFocusOut: true,
    validateInput: (value) => (/^\d+$/.test(value.trim()) && BigInt(value.trim()) >= minimum ? undefined : `Enter a whole number of at least ${minimum}.`),
  });
  return entered === undefined ? undefined : Number(entered.trim());
}

export function askForFilter(current: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Filter Messages',
    prompt: 'Show messages whose text, ID, sender or service type contains this.',
    value: current,
  });
}

export async function pickGroupBy(): Promise<GroupBy | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Thread', description: 'replies under the message they answer', value: 'thread' as const },
      { label: 'Sender', value: 'sender' as const },
      { label: 'Service Type', value: 'serviceType' as const },
    ],
    { placeHolder: 'Group messages by' },
  );
  return picked?.value;
}
