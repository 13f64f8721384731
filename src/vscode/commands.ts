import * as fs from 'fs';
import * as vscode from 'vscode';
import { minimumAmount } from '../core/amount';
import { isNodePubkey, looksLikeMessageId } from '../core/messageIds';
import { messageToJson } from '../core/messageJson';
import { shortId, shortSender, viewData } from '../core/messageText';
import type { GroupBy } from '../core/messageTree';
import type { NodeSubscriptions } from '../core/nodeSubscriptions';
import type { NodeMessage } from '../core/nodeMessage';
import { Watch } from '../core/watches';
import type { ApiKeys } from './apiKeys';
import { CommandId, ContextKey } from './commandIds';
import type { Log } from './log';
import { openMessageDocument } from './messageDocuments';
import { isNodeMessage, pickNode, resolveMessage } from './messagePicker';
import type { MessagesView } from './messagesView';
import { updateGroupBy, type Settings } from './settings';
import type { SimulatorControl } from './simulatorControl';
import { STATUS_ACTIONS_COMMAND } from './statusBar';

export interface CommandServices {
  readonly hub: NodeSubscriptions;
  readonly messagesView: MessagesView;
  readonly log: Log;
  readonly apiKeys: ApiKeys;
  readonly simulator: SimulatorControl;
  readonly settings: () => Settings;
  /** Re-reads settings, keys and the simulator into the hub's node set. */
  readonly applyNodes: () => Promise<void>;
}

/** Arguments that let tests and keybindings send without the prompts. */
export interface SendArguments {
  readonly node?: string;
  readonly pubkey?: string;
  readonly text?: string;
  readonly amount?: number;
}

/** Registers every command in one place; each returns what it did, for tests and other extensions. */
export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const { hub, messagesView, log } = services;
  const commands: [string, (...args: never[]) => unknown][] = [
    [CommandId.Connect, (node?: string) => connect(services, node)],
    [CommandId.Disconnect, (node?: string) => disconnect(services, node)],
    [CommandId.SetApiKey, (node?: string) => setApiKey(services, node)],
    [CommandId.CopyMessageId, (arg?: unknown) => copy(services, arg, 'message ID', (m) => m.id)],
    [CommandId.CopyReplyToId, (arg?: unknown) => copy(services, arg, 'reply-to ID', (m) => m.replyToId)],
    [CommandId.CopySenderPubkey, (arg?: unknown) => copy(services, arg, 'sender', (m) => m.fromPubkey)],
    [CommandId.CopyData, (arg?: unknown) => copy(services, arg, 'data', dataAsText)],
    [CommandId.CopyMessageJson, (arg?: unknown) => copy(services, arg, 'message JSON', (m) => JSON.stringify(messageToJson(m), null, 2))],
    [CommandId.WatchReply, (arg?: unknown) => watchReply(services, arg)],
    [CommandId.Unwatch, (arg?: unknown) => unwatch(services, arg)],
    [CommandId.GoToThread, (arg?: unknown) => goToThread(services, arg)],
    [CommandId.GoToRepliedMessage, (arg?: unknown) => goToRepliedMessage(services, arg)],
    [CommandId.OpenMessage, (arg?: unknown) => openMessage(services, arg)],
    [CommandId.SendMessage, (args?: SendArguments) => send(services, args ?? {})],
    [CommandId.Reply, (arg?: unknown, args?: SendArguments) => reply(services, arg, args ?? {})],
    [CommandId.Filter, (text?: string) => filter(services, text)],
    [CommandId.ClearFilter, () => messagesView.setFilter('')],
    [CommandId.GroupBy, (groupBy?: GroupBy) => groupMessagesBy(groupBy)],
    [CommandId.Pause, () => messagesView.pause()],
    [CommandId.Resume, () => messagesView.resume()],
    [CommandId.Clear, () => hub.clear()],
    [CommandId.ExportMessages, (target?: vscode.Uri) => exportMessages(services, target)],
    [CommandId.StartSimulator, () => startSimulator(services)],
    [CommandId.StopSimulator, () => stopSimulator(services)],
    [CommandId.ShowLog, () => log.show()],
    [STATUS_ACTIONS_COMMAND, (node: string) => statusActions(services, node)],
  ];
  return commands.map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(message);
        return undefined;
      }
    }),
  );
}

async function connect({ hub, log }: CommandServices, node?: string): Promise<void> {
  const names = node ? [node] : hub.nodeNames();
  if (names.length === 0) {
    void vscode.window.showWarningMessage('No node is configured: add one to impervious.nodes, or start the simulated node.');
    return;
  }
  for (const name of names) {
    log.info(`[${name}] Connect requested.`);
    hub.connect(name);
  }
}

function disconnect({ hub, log }: CommandServices, node?: string): void {
  for (const name of node ? [node] : hub.nodeNames()) {
    log.info(`[${name}] Disconnect requested.`);
    hub.disconnect(name);
  }
}

async function setApiKey(services: CommandServices, node?: string): Promise<void> {
  const { hub, apiKeys, applyNodes, log } = services;
  const name = node ?? (await pickNode(hub, 'Set the API key of which node?'));
  if (!name) {
    return;
  }
  const key = await vscode.window.showInputBox({
    title: `API key for ${name}`,
    prompt: 'Kept in VS Code secret storage. Leave empty to remove the key.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (/\s/.test(value) ? 'An API key has no spaces.' : undefined),
  });
  if (key === undefined) {
    return;
  }
  await apiKeys.set(name, key.trim() || undefined);
  log.info(`[${name}] API key ${key.trim() ? 'set' : 'removed'}; reconnecting.`);
  await applyNodes();
  hub.connect(name);
  vscode.window.setStatusBarMessage(`$(key) API key for ${name} ${key.trim() ? 'saved' : 'removed'}`, 3000);
}

async function copy(
  { hub }: CommandServices,
  argument: unknown,
  what: string,
  select: (message: NodeMessage) => string,
): Promise<string | undefined> {
  const message = await resolveMessage(hub, argument, `Copy the ${what} of which message?`);
  if (!message) {
    return undefined;
  }
  const text = select(message);
  if (!text) {
    vscode.window.setStatusBarMessage(`$(info) This message has no ${what}`, 3000);
    return undefined;
  }
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`$(check) Copied ${what}`, 2000);
  return text;
}

/** Text data as text; binary data as base64. */
export function dataAsText(message: NodeMessage): string {
  const view = viewData(message.data);
  return view.kind === 'text' ? view.text : Buffer.from(message.data).toString('base64');
}

async function watchReply(services: CommandServices, argument: unknown): Promise<Watch | undefined> {
  const { hub, settings } = services;
  let messageId: string | undefined;
  if (isNodeMessage(argument)) {
    messageId = argument.id;
  } else if (typeof argument === 'string' && argument.trim()) {
    messageId = argument.trim();
  } else {
    messageId = await askForMessageId();
  }
  if (!messageId) {
    return undefined;
  }
  const timeoutSeconds = settings().watchTimeoutSeconds;
  const watch = hub.watches.watch(messageId, { timeoutMs: timeoutSeconds * 1000 });
  vscode.window.setStatusBarMessage(
    watch.state === 'answered' ? `$(pass-filled) The reply to ${shortId(messageId)} is already here` : `$(watch) Watching for the reply to ${shortId(messageId)}`,
    3000,
  );
  return watch;
}

/** Offers the editor selection, else the clipboard, when it looks like a message ID. */
async function askForMessageId(): Promise<string | undefined> {
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

async function unwatch({ hub }: CommandServices, argument: unknown): Promise<void> {
  let watch: Watch | undefined;
  if (argument instanceof Watch) {
    watch = argument;
  } else if (typeof argument === 'string') {
    watch = hub.watches.list().find((candidate) => candidate.messageId === argument);
  } else {
    const picked = await vscode.window.showQuickPick(
      [...hub.watches.list()].reverse().map((candidate) => ({ label: candidate.messageId, description: candidate.state, watch: candidate })),
      { placeHolder: 'Stop watching which ID?' },
    );
    watch = picked?.watch;
  }
  if (watch) {
    hub.watches.remove(watch);
  }
}

async function goToThread({ hub, messagesView }: CommandServices, argument: unknown): Promise<NodeMessage | undefined> {
  const message = await resolveMessage(hub, argument, 'Go to the thread of which message?');
  if (!message) {
    return undefined;
  }
  if (messagesView.model.groupBy !== 'thread') {
    await updateGroupBy('thread');
    messagesView.setGroupBy('thread');
  }
  const root = hub.store(message.node).rootOf(message);
  await messagesView.reveal(root, { expand: 3 });
  return root;
}

async function goToRepliedMessage({ hub, messagesView }: CommandServices, argument: unknown): Promise<NodeMessage | undefined> {
  const message = await resolveMessage(hub, argument, 'Go to the message that which message replies to?');
  if (!message) {
    return undefined;
  }
  if (!message.replyToId) {
    void vscode.window.showInformationMessage('This message is not a reply.');
    return undefined;
  }
  const parent = hub.store(message.node).parentOf(message);
  if (!parent) {
    void vscode.window.showInformationMessage(`The message it replies to (${shortId(message.replyToId)}) is not held.`);
    return undefined;
  }
  await messagesView.reveal(parent);
  return parent;
}

async function openMessage({ hub }: CommandServices, argument: unknown): Promise<vscode.TextEditor | undefined> {
  const message = await resolveMessage(hub, argument, 'Open which message?');
  return message ? openMessageDocument(message) : undefined;
}

async function send(services: CommandServices, args: SendArguments, replyTo?: NodeMessage): Promise<string | undefined> {
  const { hub, log, settings } = services;
  const node = replyTo?.node ?? args.node ?? (await pickNode(hub, 'Send through which node?'));
  if (!node) {
    return undefined;
  }
  const pubkey = replyTo?.fromPubkey ?? args.pubkey ?? (await askForPubkey(hub));
  if (!pubkey) {
    return undefined;
  }
  const text =
    args.text ??
    (await vscode.window.showInputBox({
      title: replyTo ? `Reply to ${shortId(replyTo.id)} from ${shortSender(replyTo.fromPubkey)}` : `Send to ${shortSender(pubkey)}`,
      prompt: 'The message text.',
      ignoreFocusOut: true,
      validateInput: (value) => (value === '' ? 'Enter the text to send.' : undefined),
    }));
  if (text === undefined) {
    return undefined;
  }
  const minimum = minimumAmount(Buffer.byteLength(text));
  let amount = args.amount;
  if (amount === undefined) {
    const entered = await vscode.window.showInputBox({
      title: 'Amount (satoshis)',
      prompt: `At least 1 sat per 900 bytes: ${minimum} for this message.`,
      value: minimum.toString(),
      ignoreFocusOut: true,
      validateInput: (value) => (/^\d+$/.test(value.trim()) && BigInt(value.trim()) >= minimum ? undefined : `Enter a whole number of at least ${minimum}.`),
    });
    if (entered === undefined) {
      return undefined;
    }
    amount = Number(entered.trim());
  }
  const id = await hub.sendMessage({ node, pubkey, data: text, amount, replyToId: replyTo?.id });
  log.info(`[${node}] Sent ${shortId(id)} to ${shortSender(pubkey)}${replyTo ? ` in reply to ${shortId(replyTo.id)}` : ''}; watching for its reply.`);
  hub.watches.watch(id, { node, timeoutMs: settings().watchTimeoutSeconds * 1000 });
  vscode.window.setStatusBarMessage(`$(send) Sent ${shortId(id)}; watching for the reply`, 4000);
  return id;
}

async function reply(services: CommandServices, argument: unknown, args: SendArguments): Promise<string | undefined> {
  const message = await resolveMessage(services.hub, argument, 'Reply to which message?');
  return message ? send(services, args, message) : undefined;
}

/** Known senders first (newest first), or a pubkey typed in. */
async function askForPubkey(hub: NodeSubscriptions): Promise<string | undefined> {
  const senders = [...new Set(hub.messages().reverse().map((message) => message.fromPubkey).filter(Boolean))];
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { pubkey: string }>();
  quickPick.title = 'Send a Message';
  quickPick.placeholder = 'Recipient: pick a known sender or type a 66-character node pubkey (or a DID)';
  quickPick.ignoreFocusOut = true;
  const known = senders.slice(0, 50).map((pubkey) => ({ label: shortSender(pubkey), description: pubkey, pubkey }));
  quickPick.items = known;
  quickPick.matchOnDescription = true;
  return new Promise((resolve) => {
    quickPick.onDidChangeValue((value) => {
      const typed = value.trim();
      const valid = isNodePubkey(typed) || typed.startsWith('did:');
      quickPick.items = valid ? [{ label: typed, description: 'typed', pubkey: typed }, ...known] : known;
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

async function filter({ messagesView }: CommandServices, text?: string): Promise<void> {
  const value =
    text ??
    (await vscode.window.showInputBox({
      title: 'Filter Messages',
      prompt: 'Show messages whose text, ID, sender or service type contains this.',
      value: messagesView.model.filter,
    }));
  if (value !== undefined) {
    messagesView.setFilter(value);
  }
}

async function groupMessagesBy(groupBy?: GroupBy): Promise<void> {
  const choice =
    groupBy ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'Thread', description: 'replies under the message they answer', value: 'thread' as const },
          { label: 'Sender', value: 'sender' as const },
          { label: 'Service Type', value: 'serviceType' as const },
        ],
        { placeHolder: 'Group messages by' },
      )
    )?.value;
  if (choice) {
    await updateGroupBy(choice);
  }
}

async function exportMessages({ hub }: CommandServices, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const messages = hub.messages();
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: `Export ${messages.length} Messages`,
      saveLabel: 'Export',
      defaultUri: vscode.Uri.file(`impervious-messages.json`),
      filters: { JSON: ['json'], 'NDJSON (one message per line)': ['ndjson', 'jsonl'] },
    }));
  if (!uri) {
    return undefined;
  }
  const records = messages.map(messageToJson);
  const ndjson = /\.(ndjson|jsonl)$/i.test(uri.path);
  const body = ndjson ? records.map((record) => JSON.stringify(record)).join('\n') + '\n' : `${JSON.stringify(records, null, 2)}\n`;
  if (uri.scheme === 'file') {
    await fs.promises.writeFile(uri.fsPath, body);
  } else {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(body));
  }
  vscode.window.setStatusBarMessage(`$(check) Exported ${messages.length} messages`, 3000);
  return uri;
}

async function startSimulator(services: CommandServices): Promise<string> {
  const { simulator, applyNodes, hub, log } = services;
  const instance = await simulator.start();
  await vscode.commands.executeCommand('setContext', ContextKey.SimulatorRunning, true);
  log.info(`Simulated node listening at ${instance.subscribeUrl} (REST ${instance.restUrl}).`);
  await applyNodes();
  const node = simulator.node!.name;
  hub.connect(node);
  void simulator.greet().catch(() => undefined);
  void vscode.commands.executeCommand('impervious.messages.focus');
  return instance.subscribeUrl;
}

async function stopSimulator({ simulator, applyNodes, log }: CommandServices): Promise<void> {
  await simulator.stop();
  await vscode.commands.executeCommand('setContext', ContextKey.SimulatorRunning, false);
  await applyNodes();
  log.info('Simulated node stopped.');
}

async function statusActions(services: CommandServices, node: string): Promise<void> {
  const connection = services.hub.connection(node);
  const live = connection && connection.state !== 'disconnected';
  const picked = await vscode.window.showQuickPick(
    [
      live ? { label: '$(debug-disconnect) Disconnect', run: () => disconnect(services, node) } : { label: '$(plug) Connect', run: () => connect(services, node) },
      { label: '$(key) Set API Key…', run: () => setApiKey(services, node) },
      { label: '$(output) Show Log', run: () => services.log.show() },
    ],
    { title: `${node}: ${connection?.status.detail ?? ''}` },
  );
  await picked?.run();
}
