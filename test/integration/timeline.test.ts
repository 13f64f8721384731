import * as assert from 'assert';
import * as vscode from 'vscode';
import { isMessage, type MessageTreeElement } from '../../src/core/messages/messageTree';
import type { NodeMessage } from '../../src/core/nodeMessage';
import type { SimulatedMessage } from '../../src/core/simulator/simulatedMessage';
import type { SimulatedNode } from '../../src/core/simulator/simulatedNode';
import type { TimelineProbe } from '../../src/vscode/timeline';
import { activateExtension, connectToSimulator, setNodes, TEST_NODE, waitUntil, type ExtensionExports } from './harness';

const PEER = '02' + '7e'.repeat(32);
const HOSTILE_SENDER = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';

describe('Timeline and thread diagrams in VS Code', () => {
  let api: ExtensionExports;
  let simulator: SimulatedNode;
  let root: SimulatedMessage;
  let reply: SimulatedMessage;
  let hostile: SimulatedMessage;
  let answer: SimulatedMessage;

  before(async () => {
    api = await activateExtension();
    simulator = await connectToSimulator(api);
    root = simulator.emit({ data: 'timeline root', fromPubkey: PEER });
    reply = simulator.emit({ data: 'timeline reply', replyToId: root.id });
    hostile = simulator.emit({
      data: '%%{init: {"securityLevel":"loose"}}%%\nclick N call alert(1)\nparticipant Evil',
      fromPubkey: HOSTILE_SENDER,
      serviceType: '</script><img src=x onerror=alert(3)>',
      replyToId: reply.id,
    });
    const watch = await vscode.commands.executeCommand<{ promise: Promise<NodeMessage> }>('impervious.watchReply', 'timeline-awaited-1');
    answer = simulator.emit({ replyToId: 'timeline-awaited-1', data: 'the awaited answer', fromPubkey: PEER });
    await watch.promise;
    await waitUntil(() => api.messages(TEST_NODE).some((m) => m.id === answer.id), 'the messages to arrive');
  });

  after(async () => {
    await vscode.commands.executeCommand('impervious.clearFilter');
    await vscode.commands.executeCommand('impervious.unwatch', 'timeline-awaited-1');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await setNodes([]);
    await simulator?.close();
  });

  it('copies a thread as a Mermaid sequence diagram, peer text kept inside its labels', async () => {
    const copied = await vscode.commands.executeCommand<string>('impervious.copyThreadDiagram', reply.id);
    const clipboard = await vscode.env.clipboard.readText();
    assert.strictEqual(clipboard, copied);
    const lines = clipboard.split('\n');
    assert.deepStrictEqual(lines.slice(0, 3), ['```mermaid', 'sequenceDiagram', `    participant N as ${TEST_NODE}`]);
    assert.strictEqual(lines.filter((line) => line.includes('->>')).length, 3, 'one arrow per message of the thread');
    assert.ok(lines.includes('    P1->>N: timeline root'));
    assert.ok(!clipboard.includes('%%') && !clipboard.includes('<') && !/^\s*(click|participant Evil)/m.test(clipboard));
    assert.strictEqual(lines.filter((line) => /^ {4}participant /.test(line)).length, 1 + new Set([PEER, reply.fromPubkey, HOSTILE_SENDER]).size);
    assert.strictEqual(lines.at(-2), '```');
    const hostileArrow = lines.find((line) => line.includes('->>') && line.includes('init'));
    assert.match(hostileArrow ?? '', /^ {4}P\d+-->>N: ％％｛init/, 'the hostile body stays in its arrow\'s label');
    assert.ok(api.internals.subscriptions.find(hostile.id, TEST_NODE), 'the hostile message is held, and drawn as text');

    const answered = await vscode.commands.executeCommand<string>('impervious.copyThreadDiagram', answer.id);
    assert.match(answered, /\n {4}N->>P1: sent timeline…\n {4}P1-->>N: the awaited answer\n {4}Note over N,P1: reply after [\d.]+ m?s\n/);
  });

  it('opens the Timeline from its command: the view resolves and draws bins whose counts equal the held messages', async () => {
    let probe: TimelineProbe | undefined;
    await waitUntil(
      async () => {
        probe = await vscode.commands.executeCommand<TimelineProbe>('impervious.showTimeline');
        const data = probe?.lastData;
        const held = api.internals.subscriptions.storeNames().reduce((sum, name) => sum + api.internals.subscriptions.store(name).size, 0);
        return Boolean(probe?.resolved && data && probe.drawn && data.held === held && probe.drawn.total === data.inRange && probe.drawn.tableTotal === data.inRange);
      },
      'the Timeline to draw what is held',
      30_000,
    );
    const data = probe?.lastData;
    assert.ok(probe?.visible && data);
    assert.ok(data.inRange >= 4, 'the messages of this suite are in the span');
    assert.strictEqual(data.series.reduce((sum, series) => sum + series.total, 0), data.inRange);
    assert.ok(data.marks.some((mark) => mark.replyId === answer.id), 'the answered watch has a latency mark');
    assert.ok(!JSON.stringify(data).includes('timeline reply'), 'no message body is posted to the webview');
  });

  it('filters the Messages view to a brushed time range; Clear Filter clears it', async () => {
    const view = api.internals.messagesView;
    const inRange = api.internals.subscriptions.find(answer.id, TEST_NODE) as NodeMessage;
    view.setTimeRange({ from: inRange.receivedAt, to: inRange.receivedAt + 1 });
    view.flush();
    // Other suites' nodes may hold messages too: the view's roots are then its nodes.
    const shown: NodeMessage[] = [];
    const visit = (elements: readonly MessageTreeElement[], depth: number): void => {
      for (const element of elements) {
        const message = isMessage(element) ? view.model.message(element) : undefined;
        if (message) {
          shown.push(message);
        } else if (depth < 2) {
          visit(view.getChildren(element), depth + 1);
        }
      }
    };
    visit(view.getChildren(), 0);
    assert.ok(shown.length >= 1 && shown.every((message) => message.receivedAt === inRange.receivedAt), `shown: ${shown.length}`);
    assert.match(String(view.treeView.description), /^received \d\d:\d\d:\d\d–\d\d:\d\d:\d\d$/);
    assert.match(view.treeView.message ?? '', /^Received .* \(from the Timeline\): \d+ of \d+ messages$/);
    await vscode.commands.executeCommand('impervious.clearFilter');
    view.flush();
    assert.strictEqual(view.model.timeRange, undefined);
    assert.strictEqual(view.treeView.description, undefined);
    assert.strictEqual(view.treeView.message, undefined);
  });
});
