import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as vscode from 'vscode';
import { encodeId } from '../../src/core/ids/idEncoding';
import { isMessage, type MessageElement } from '../../src/core/messages/messageTree';
import type { NodeMessage } from '../../src/core/nodeMessage';
import type { SimulatedMessage } from '../../src/core/simulator/simulatedMessage';
import type { SimulatedNode } from '../../src/core/simulator/simulatedNode';
import { REDRAW_INTERVAL_MS } from '../../src/vscode/messages/messagesView';
import { activateExtension, answerSends, connectToSimulator, setNodes, setSetting, TEST_NODE, text, waitUntil, type ExtensionExports } from './harness';
import { SPEC_COMMANDS } from '../shared/specCommands';
import { clearNotifications, notificationOnScreen } from './workbench';


const PEER = '02' + '4b'.repeat(32);

describe('commands and views in VS Code', () => {
  let api: ExtensionExports;
  let simulator: SimulatedNode;
  let root: SimulatedMessage;
  let reply: SimulatedMessage;
  let deepReply: SimulatedMessage;

  before(async () => {
    api = await activateExtension();
    simulator = await connectToSimulator(api);
    root = simulator.emit({ data: 'thread root', fromPubkey: PEER });
    reply = simulator.emit({ data: '{"answer": 42}', replyToId: root.id });
    deepReply = simulator.emit({ data: new Uint8Array([0, 1, 2, 250]), replyToId: reply.id });
    await waitUntil(() => api.messages(TEST_NODE).some((m) => m.id === deepReply.id), 'the thread to arrive');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setNodes([]);
    await simulator?.close();
  });

  const held = (id: string): NodeMessage => {
    const message = api.internals.subscriptions.find(id, TEST_NODE);
    assert.ok(message, `message ${id} is held`);
    return message;
  };
  /** The Messages view's item of a held message (its node and arrival number; no message object). */
  const item = (id: string): MessageElement => {
    const element = api.internals.messagesView.model.element(held(id));
    assert.ok(element, `message ${id} has an item`);
    return element;
  };
  /** Whether the view's selection is the item of `id` (items are made anew at each listing: compared by value). */
  const selected = (id: string): boolean => isDeepStrictEqual(api.internals.messagesView.treeView.selection[0], item(id));

  it('registers every command in SPEC.md', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(SPEC_COMMANDS.filter((command) => !registered.has(command)), []);
  });

  it('copies ID, reply-to ID, sender, data and JSON to the clipboard, given a message ID', async () => {
    await vscode.commands.executeCommand('impervious.copyMessageId', reply.id);
    assert.strictEqual(await vscode.env.clipboard.readText(), reply.id);
    await vscode.commands.executeCommand('impervious.copyReplyToId', reply.id);
    assert.strictEqual(await vscode.env.clipboard.readText(), root.id);
    await vscode.commands.executeCommand('impervious.copySenderPubkey', root.id);
    assert.strictEqual(await vscode.env.clipboard.readText(), PEER);
    await vscode.commands.executeCommand('impervious.copyData', reply.id);
    assert.strictEqual(await vscode.env.clipboard.readText(), '{"answer": 42}');
    await vscode.commands.executeCommand('impervious.copyData', deepReply.id);
    assert.strictEqual(await vscode.env.clipboard.readText(), Buffer.from([0, 1, 2, 250]).toString('base64'));
    await vscode.commands.executeCommand('impervious.copyMessageJson', held(root.id));
    const json = JSON.parse(await vscode.env.clipboard.readText());
    assert.deepStrictEqual([json.id, json.node, json.data], [root.id, TEST_NODE, Buffer.from('thread root').toString('base64')]);
  });

  it('opens a message as a read-only JSON document', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('impervious.openMessage', reply.id);
    assert.ok(editor);
    assert.strictEqual(editor.document.uri.scheme, 'impervious-message');
    assert.strictEqual(editor.document.languageId, 'json');
    const document = JSON.parse(editor.document.getText());
    assert.strictEqual(document.id, reply.id);
    assert.strictEqual(document.replyToId, root.id);
    assert.deepStrictEqual(document.dataJson, { answer: 42 });
    const binary = await vscode.commands.executeCommand<vscode.TextEditor>('impervious.openMessage', deepReply.id);
    assert.match(JSON.parse(binary!.document.getText()).dataHex[0], /^00000000 {2}00 01 02 fa/);
  });

  it('goes to the thread root and to the replied message, revealing and selecting them', async () => {
    const view = api.internals.messagesView;
    const rootMessage = await vscode.commands.executeCommand<NodeMessage>('impervious.goToThread', deepReply.id);
    assert.strictEqual(rootMessage?.id, root.id);
    await waitUntil(() => selected(root.id), 'the root to be selected');
    const parent = await vscode.commands.executeCommand<NodeMessage>('impervious.goToRepliedMessage', deepReply.id);
    assert.strictEqual(parent?.id, reply.id);
    await waitUntil(() => selected(reply.id), 'the replied message to be selected');
    assert.deepStrictEqual(view.getChildren(item(root.id)), [item(reply.id)], 'replies nest under what they answer');
  });

  it('labels tree items with a preview, sender, time, amount and service type, and stable IDs', () => {
    const view = api.internals.messagesView;
    const treeItem = view.getTreeItem(item(root.id));
    assert.strictEqual(treeItem.label, 'thread root');
    assert.match(String(treeItem.description), /^024b4b…b4b4b · \d\d:\d\d:\d\d · 1 sat · message$/);
    assert.strictEqual(treeItem.id, `m/${encodeId(TEST_NODE)}/${encodeId(root.id)}`);
    assert.strictEqual(view.getTreeItem(item(deepReply.id)).label, '4 bytes');
    // The tooltip comes on hover (VS Code parses every tooltip it is handed, on every redraw).
    assert.strictEqual(treeItem.tooltip, undefined);
    const tooltip = view.resolveTreeItem(treeItem, item(root.id)).tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    assert.strictEqual(tooltip.isTrusted, false);
    assert.match(tooltip.value, new RegExp(root.id));
  });

  it('acts on a tree item, and keeps its ID and selection as more messages arrive and its object is built anew', async () => {
    const view = api.internals.messagesView;
    // A context-menu command gets the item itself: its node and arrival number, not a message.
    await vscode.commands.executeCommand('impervious.copyMessageId', item(reply.id));
    assert.strictEqual(await vscode.env.clipboard.readText(), reply.id);
    await vscode.commands.executeCommand('impervious.goToRepliedMessage', item(deepReply.id));
    await waitUntil(() => selected(reply.id), 'the replied message to be selected');
    view.flush();
    const before = [root, reply, deepReply].map((message) => view.getTreeItem(item(message.id)).id);
    // Past the newest few, the store keeps no object: each lookup builds another.
    let last = simulator.emit({ data: 'later 0' });
    for (let i = 1; i < 100; i++) {
      last = simulator.emit({ data: `later ${i}` });
    }
    await waitUntil(() => api.internals.subscriptions.find(last.id, TEST_NODE) !== undefined, 'the later messages');
    assert.notStrictEqual(held(root.id), held(root.id));
    view.flush();
    assert.deepStrictEqual(
      [root, reply, deepReply].map((message) => view.getTreeItem(item(message.id)).id),
      before,
      'the same item IDs, so VS Code keeps what was expanded and selected',
    );
    await new Promise((resolve) => setTimeout(resolve, 3 * REDRAW_INTERVAL_MS));
    assert.ok(selected(reply.id), 'the selection stays on the same message across redraws');
  });

  it('watches an ID and notifies when the reply arrives', async () => {
    const watch = await vscode.commands.executeCommand<{ state: string; promise: Promise<NodeMessage> }>('impervious.watchReply', 'awaited-0001');
    assert.strictEqual(watch?.state, 'waiting');
    assert.ok(api.internals.subscriptions.watches.list().some((candidate) => candidate.messageId === 'awaited-0001'));
    await clearNotifications();
    simulator.emit({ replyToId: 'awaited-0001', data: 'your answer', fromPubkey: PEER });
    const answer = await watch.promise;
    assert.strictEqual(text(answer.data), 'your answer');
    assert.strictEqual(watch.state, 'answered');
    // What the user sees, then the extension's own record of it.
    const shown = await notificationOnScreen((line) => line.includes('your answer'), 'the reply notification');
    if (shown) {
      assert.match(shown.text, /^Reply to awaited-0001 from 024b4b…b4b4b, replied in [\d.]+ m?s: your answer$/);
    }
    await waitUntil(() => api.internals.testProbe.notifications.some((line) => line.includes('your answer')), 'the notification');
    const item = api.internals.watchesView.getTreeItem(api.internals.subscriptions.watches.list().find((w) => w.messageId === 'awaited-0001')!);
    assert.match(String(item.description), /^replied in [\d.]+ m?s by 024b4b…b4b4b: your answer$/);
    await vscode.commands.executeCommand('impervious.unwatch', 'awaited-0001');
    assert.ok(!api.internals.subscriptions.watches.list().some((candidate) => candidate.messageId === 'awaited-0001'));
  });

  it('sends and replies through the node, watching the returned ID automatically', async () => {
    // Arguments ask once before sending; the dialog is answered through Internals.
    const asked: string[] = [];
    answerSends(api, (send) => {
      asked.push(`${send.pubkey} ${send.amount} ${send.text}`);
      return true;
    });
    try {
      await sendAndReply(asked);
    } finally {
      answerSends(api, undefined);
    }
  });

  async function sendAndReply(asked: string[]): Promise<void> {
    const sentId = await vscode.commands.executeCommand<string>('impervious.sendMessage', { node: TEST_NODE, pubkey: PEER, text: 'hello node', amount: 2 });
    assert.deepStrictEqual(asked, [`${PEER} 2 hello node`]);
    assert.match(sentId ?? '', /^[0-9a-f]{64}$/);
    const watch = api.internals.subscriptions.watches.list().find((candidate) => candidate.messageId === sentId);
    assert.ok(watch, 'the sent ID is watched');
    const answer = await watch.promise;
    assert.strictEqual(answer.replyToId, sentId);

    const replyId = await vscode.commands.executeCommand<string>('impervious.reply', root.id, { text: 'a reply', amount: 1 });
    assert.match(replyId ?? '', /^[0-9a-f]{64}$/);
    const replyWatch = api.internals.subscriptions.watches.list().find((candidate) => candidate.messageId === replyId);
    assert.strictEqual((await replyWatch!.promise).fromPubkey, PEER, 'the reply went to the sender of the message');
    assert.strictEqual(asked.length, 2, 'the reply with arguments asked too');
  }

  it('filters, pauses with a count of what is new, resumes and groups', async () => {
    const view = api.internals.messagesView;
    await vscode.commands.executeCommand('impervious.filter', 'thread root');
    view.flush();
    assert.deepStrictEqual(view.getChildren().map((element) => (isMessage(element) ? view.model.message(element)?.id : element.kind)), [root.id]);
    assert.match(view.treeView.message ?? '', /^Filter "thread root": 1 of \d+ messages$/);
    await vscode.commands.executeCommand('impervious.clearFilter');
    assert.strictEqual(view.treeView.message, undefined);

    await vscode.commands.executeCommand('impervious.pause');
    simulator.emit({ data: 'while paused' });
    simulator.emit({ data: 'while paused too' });
    await waitUntil(() => view.treeView.message === 'Paused, 2 new', 'the paused count');
    const redraws = api.internals.testProbe.redraws;
    // A redraw comes at most one interval after the change that asks for it: wait out three.
    await new Promise((resolve) => setTimeout(resolve, 3 * REDRAW_INTERVAL_MS));
    assert.strictEqual(api.internals.testProbe.redraws, redraws, 'no redraws while paused');
    await vscode.commands.executeCommand('impervious.resume');
    await waitUntil(() => api.internals.testProbe.redraws > redraws, 'a redraw after resuming');

    await vscode.commands.executeCommand('impervious.groupBy', 'sender');
    await waitUntil(() => view.model.groupBy === 'sender', 'grouping by sender');
    assert.ok(view.getChildren().every((element) => 'kind' in element && element.kind === 'group'));
    await setSetting('groupBy', undefined);
    await waitUntil(() => view.model.groupBy === 'thread', 'grouping by thread again');
  });

  it('exports held messages as JSON and NDJSON', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-export-'));
    try {
      await vscode.commands.executeCommand('impervious.exportMessages', vscode.Uri.file(path.join(dir, 'out.json')));
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'));
      assert.strictEqual(json.length, api.messages().length);
      assert.ok(json.some((record: { id: string }) => record.id === root.id));
      await vscode.commands.executeCommand('impervious.exportMessages', vscode.Uri.file(path.join(dir, 'out.ndjson')));
      const lines = fs.readFileSync(path.join(dir, 'out.ndjson'), 'utf8').trim().split('\n');
      assert.strictEqual(lines.length, api.messages().length);
      assert.strictEqual(JSON.parse(lines[0]!).id, api.messages()[0]!.id);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts the simulated node in the extension host and receives its messages, then stops it', async () => {
    const url = await vscode.commands.executeCommand<string>('impervious.startSimulator');
    assert.match(url ?? '', /^ws:\/\/127\.0\.0\.1:\d+\/v1\/subscribe$/);
    await waitUntil(() => api.connectionState('Simulator') === 'connected', 'the simulator node to connect');
    await waitUntil(() => api.messages('Simulator').length >= 3, 'greeting messages from the simulator');
    await vscode.commands.executeCommand('impervious.stopSimulator');
    assert.ok(!api.internals.subscriptions.nodeNames().includes('Simulator'));
  });

  it('clears held messages', async () => {
    await vscode.commands.executeCommand('impervious.clear');
    assert.deepStrictEqual(api.messages(), []);
  });
});
