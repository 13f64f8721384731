import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { encodeId } from '../../src/core/ids/idEncoding';
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
    await waitUntil(() => view.treeView.selection[0] === held(root.id), 'the root to be selected');
    const parent = await vscode.commands.executeCommand<NodeMessage>('impervious.goToRepliedMessage', deepReply.id);
    assert.strictEqual(parent?.id, reply.id);
    await waitUntil(() => view.treeView.selection[0] === held(reply.id), 'the replied message to be selected');
    assert.deepStrictEqual(view.getChildren(held(root.id)), [held(reply.id)], 'replies nest under what they answer');
  });

  it('labels tree items with a preview, sender, time, amount and service type, and stable IDs', () => {
    const view = api.internals.messagesView;
    const item = view.getTreeItem(held(root.id));
    assert.strictEqual(item.label, 'thread root');
    assert.match(String(item.description), /^024b4b…b4b4b · \d\d:\d\d:\d\d · 1 sat · message$/);
    assert.strictEqual(item.id, `m/${encodeId(TEST_NODE)}/${encodeId(root.id)}`);
    assert.strictEqual(view.getTreeItem(held(deepReply.id)).label, '4 bytes');
    // The tooltip comes on hover (VS Code parses every tooltip it is handed, on every redraw).
    assert.strictEqual(item.tooltip, undefined);
    const tooltip = view.resolveTreeItem(item, held(root.id)).tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    assert.strictEqual(tooltip.isTrusted, false);
    assert.match(tooltip.value, new RegExp(root.id));
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
    assert.deepStrictEqual(view.getChildren().map((element) => (element as NodeMessage).id), [root.id]);
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
