// How a command gets what it acts on: its argument resolved, else a quick pick or an input box;
// each prompt resolves `undefined` when dismissed.
import * as vscode from 'vscode';
import { stateLabel } from '../../core/connection/connectionProblems';
import { isIdInText } from '../../core/ids/messageIdTokens';
import { isNodePubkey } from '../../core/sending/nodePubkey';
import { previewData, shortId, shortSender } from '../../core/text/messageText';
import { notificationText, promptText } from '../../core/text/safeText';
import { formatTime } from '../../core/text/timeFormat';
import { isMessageElement, type GroupBy, type MessageElement } from '../../core/messages/messageTree';
import { describeQueryError, parseQuery, type QueryError } from '../../core/query/query';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { NodeMessage } from '../../core/nodeMessage';
import type { Dialogs } from '../services/dialogs';
import { Watch, type WatchState } from '../../core/watches/watches';

export function isNodeMessage(value: unknown): value is NodeMessage {
  return typeof value === 'object' && value !== null && 'fromPubkey' in value && 'data' in value && 'id' in value;
}

/**
 * Resolves a command's argument to a held message: the message itself, an item of the Messages
 * view, an answered watch's reply, or an ID looked up in every node; with no argument, a quick
 * pick of recent messages.
 */
export async function resolveMessage(dialogs: Dialogs, subscriptions: NodeSubscriptions, argument: unknown, placeHolder: string): Promise<NodeMessage | undefined> {
  if (isNodeMessage(argument)) {
    return argument;
  }
  if (isMessageElement(argument)) {
    return itemMessage(subscriptions, argument);
  }
  if (argument instanceof Watch) {
    if (argument.reply) {
      return argument.reply;
    }
    return subscriptions.find(argument.messageId, argument.node);
  }
  if (typeof argument === 'string' && argument.trim() !== '') {
    const message = subscriptions.find(argument.trim());
    if (!message) {
      void vscode.window.showWarningMessage(vscode.l10n.t('No held message has the ID {0}.', notificationText(argument.trim())));
    }
    return message;
  }
  return pickMessage(dialogs, subscriptions, placeHolder);
}

/** The message of an item of the Messages view, built from the store; a warning when it went since. */
export function itemMessage(subscriptions: NodeSubscriptions, element: MessageElement): NodeMessage | undefined {
  const message = subscriptions.storeNames().includes(element.node) ? subscriptions.store(element.node).at(element.sequence) : undefined;
  if (!message) {
    void vscode.window.showWarningMessage(vscode.l10n.t('This message is no longer held (cleared or evicted).'));
  }
  return message;
}

async function pickMessage(dialogs: Dialogs, subscriptions: NodeSubscriptions, placeHolder: string): Promise<NodeMessage | undefined> {
  const recent = subscriptions.messages().slice(-200).reverse();
  if (recent.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No messages are held yet.'));
    return undefined;
  }
  const items = recent.map((message) => ({
    label: promptText(previewData(message, 80), 80),
    description: promptText(`${shortSender(message.fromPubkey)} · ${formatTime(message.receivedAt)} · ${message.serviceType}`),
    detail: promptText(message.id, 200),
    message,
  }));
  const picked = await dialogs.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.message;
}

/** Asks which node when there are several; the only one otherwise. */
export async function pickNode(dialogs: Dialogs, subscriptions: NodeSubscriptions, placeHolder: string): Promise<string | undefined> {
  const names = subscriptions.nodeNames();
  if (names.length <= 1) {
    return names[0];
  }
  const picked = await dialogs.showQuickPick(
    names.map((name) => {
      const status = subscriptions.connection(name)?.status;
      return { label: promptText(name), description: status ? stateLabel(status) : '', name };
    }),
    { placeHolder },
  );
  return picked?.name;
}

/** A node's API key; an empty string means remove it. */
export function askForApiKey(dialogs: Dialogs, node: string): Thenable<string | undefined> {
  return dialogs.showInputBox({
    title: vscode.l10n.t('API key for {0}', promptText(node)),
    prompt: vscode.l10n.t('Kept in VS Code secret storage. Leave empty to remove the key.'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (/\s/.test(value) ? vscode.l10n.t('An API key has no spaces.') : undefined),
  });
}

/** Offers the editor selection, else the clipboard, when it is a message ID by the rule of IDs in text (`isIdInText`). */
export async function askForMessageId(dialogs: Dialogs): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  const clipboard = selection ? '' : await vscode.env.clipboard.readText();
  const suggestion = [selection, clipboard].map((text) => text.trim()).find((text) => isIdInText(text)) ?? '';
  const value = await dialogs.showInputBox({
    title: vscode.l10n.t('Watch for a Reply'),
    prompt: vscode.l10n.t('The ID of a message you sent; you are notified when its reply arrives.'),
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' ? vscode.l10n.t('Enter a message ID.') : undefined),
  });
  return value?.trim() || undefined;
}

/** Newest watch first. */
export async function pickWatch(dialogs: Dialogs, watches: readonly Watch[]): Promise<Watch | undefined> {
  const picked = await dialogs.showQuickPick(
    [...watches].reverse().map((candidate) => ({ label: promptText(candidate.subject, 200), description: watchStateLabel(candidate.state), watch: candidate })),
    { placeHolder: vscode.l10n.t('Stop watching which ID?') },
  );
  return picked?.watch;
}

/** A watch's state in a word, as the Awaited Replies view says it. */
function watchStateLabel(state: WatchState): string {
  switch (state) {
    case 'waiting':
      return vscode.l10n.t('waiting');
    case 'answered':
      return vscode.l10n.t('replied');
    case 'timedOut':
      return vscode.l10n.t('timed out');
    case 'cancelled':
      return vscode.l10n.t('stopped');
  }
}

/** Known senders first (newest first), or a pubkey typed in. */
export async function askForPubkey(dialogs: Dialogs, subscriptions: NodeSubscriptions): Promise<string | undefined> {
  const senders = [...new Set(subscriptions.messages().reverse().map((message) => message.fromPubkey).filter(Boolean))];
  const quickPick = dialogs.createQuickPick<vscode.QuickPickItem & { pubkey: string }>();
  quickPick.title = vscode.l10n.t('Send a Message');
  quickPick.placeholder = vscode.l10n.t('Recipient: pick a known sender or type a 66-character node pubkey (or a DID)');
  quickPick.ignoreFocusOut = true;
  const known = senders.slice(0, 50).map((pubkey) => ({ label: promptText(shortSender(pubkey)), description: promptText(pubkey, 200), pubkey }));
  quickPick.items = known;
  quickPick.matchOnDescription = true;
  return new Promise((resolve) => {
    quickPick.onDidChangeValue((value) => {
      const typed = value.trim();
      const valid = isNodePubkey(typed) || typed.startsWith('did:');
      quickPick.items = valid ? [{ label: promptText(typed, 200), description: vscode.l10n.t('typed'), pubkey: typed }, ...known] : known;
      quickPick.title =
        typed && !valid ? vscode.l10n.t('Send a Message: a node pubkey is 66 hex characters starting 02 or 03') : vscode.l10n.t('Send a Message');
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
export function askForText(dialogs: Dialogs, pubkey: string, replyTo?: NodeMessage): Thenable<string | undefined> {
  return dialogs.showInputBox({
    title: replyTo
      ? vscode.l10n.t('Reply to {0} from {1}', promptText(shortId(replyTo.id)), promptText(shortSender(replyTo.fromPubkey)))
      : vscode.l10n.t('Send to {0}', promptText(shortSender(pubkey))),
    prompt: vscode.l10n.t('The message text.'),
    ignoreFocusOut: true,
    validateInput: (value) => (value === '' ? vscode.l10n.t('Enter the text to send.') : undefined),
  });
}

/** Satoshis to pay, at least `minimum`; the minimum is offered. */
export async function askForAmount(dialogs: Dialogs, minimum: bigint): Promise<number | undefined> {
  const entered = await dialogs.showInputBox({
    title: vscode.l10n.t('Amount (satoshis)'),
    prompt: vscode.l10n.t('At least 1 sat per 900 bytes: {0} for this message.', minimum.toString()),
    value: minimum.toString(),
    ignoreFocusOut: true,
    validateInput: (value) => (/^\d+$/.test(value.trim()) && BigInt(value.trim()) >= minimum ? undefined : vscode.l10n.t('Enter a whole number of at least {0}.', minimum.toString())),
  });
  return entered === undefined ? undefined : Number(entered.trim());
}

/** Asks for a query (docs/queries.md); the box says where a malformed one goes wrong. */
export function askForFilter(dialogs: Dialogs, current: string): Thenable<string | undefined> {
  return dialogs.showInputBox({
    title: vscode.l10n.t('Filter Messages'),
    prompt: vscode.l10n.t('A query: words to find, or from:, type:, node:, id:, reply:, is:reply, amount>10, after:-15m, json.status=ok, OR, -, ( ).'),
    placeHolder: vscode.l10n.t('e.g. type:invoice amount>=10 -json.status=ok'),
    value: current,
    validateInput: queryValidation,
  });
}

/** Asks for the query a new watch waits for. */
export async function askForWatchQuery(dialogs: Dialogs): Promise<string | undefined> {
  const value = await dialogs.showInputBox({
    title: vscode.l10n.t('Watch for a Message Matching…'),
    prompt: vscode.l10n.t('You are notified when the next message matching this query arrives.'),
    placeHolder: vscode.l10n.t('e.g. type:invoice from:03ab'),
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' ? vscode.l10n.t('Enter a query.') : queryValidation(text)),
  });
  return value?.trim() || undefined;
}

/** The input box's validation message for a query: the column and what was expected there. */
export function queryValidation(text: string): string | undefined {
  const parsed = parseQuery(text);
  return parsed.ok ? undefined : queryErrorText(parsed.error);
}

export function queryErrorText(error: QueryError): string {
  return promptText(describeQueryError(error), 300);
}

export async function pickGroupBy(dialogs: Dialogs): Promise<GroupBy | undefined> {
  const picked = await dialogs.showQuickPick(
    [
      { label: vscode.l10n.t('Thread'), description: vscode.l10n.t('replies under the message they answer'), value: 'thread' as const },
      { label: vscode.l10n.t('Sender'), value: 'sender' as const },
      { label: vscode.l10n.t('Service Type'), value: 'serviceType' as const },
    ],
    { placeHolder: vscode.l10n.t('Group messages by') },
  );
  return picked?.value;
}
