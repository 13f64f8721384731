import * as assert from 'assert';
import * as vscode from 'vscode';
import type { NodeMessage } from '../../src/core/nodeMessage';
import type { SimulatedMessage } from '../../src/core/simulator/simulatedMessage';
import type { SimulatedNode } from '../../src/core/simulator/simulatedNode';
import { activateExtension, connectToSimulator, outputChannelLog, setNodes, TEST_NODE, waitUntil, type ExtensionExports } from './harness';

describe('No gaps on v1 nodes in VS Code', () => {
  let api: ExtensionExports;
  let simulator: SimulatedNode;

  before(async () => {
    api = await activateExtension();
    simulator = await connectToSimulator(api, { apiVersion: 'v1' });
  });

  after(async () => {
    await setNodes([]);
    await simulator?.close();
  });

  it('a v1 simulated node dropped mid-traffic: what it sent during the gap comes back, marked recovered, and answers a watch', async function () {
    this.timeout(60_000);
    const held = (id: string): NodeMessage | undefined => api.internals.subscriptions.find(id, TEST_NODE);
    // The stream shows it speaks v1 with its first message.
    const first = simulator.emit({ data: 'before the drop' });
    await waitUntil(() => held(first.id) !== undefined, 'the first message');
    const duringGap: SimulatedMessage[] = [];
    const sending = simulator.onDidSend((message) => {
      if (simulator.stats.subscribers === 0) {
        duringGap.push(message);
      }
    });
    simulator.setRate(10);
    const reply = api.waitForReply('backfill-awaited-1', { timeoutMs: 45_000 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const back = simulator.refuse(1500);
      await waitUntil(() => api.connectionState(TEST_NODE) !== 'connected', 'the drop');
      simulator.emit({ data: 'the awaited answer, sent during the gap', replyToId: 'backfill-awaited-1' });
      await back;
      await waitUntil(() => api.connectionState(TEST_NODE) === 'connected', 'the reconnect', 40_000);
      await waitUntil(() => duringGap.every((message) => held(message.id) !== undefined), 'every message of the gap to be held', 10_000);
    } finally {
      simulator.setRate(0);
      sending.dispose();
    }
    assert.ok(duringGap.length >= 2, `${duringGap.length} messages sent during the gap`);
    assert.strictEqual((await reply).data.length > 0, true);
    assert.strictEqual(Buffer.from((await reply).data).toString().includes('the awaited answer'), true);

    const view = api.internals.messagesView;
    view.flush();
    for (const message of duringGap) {
      const recovered = held(message.id)!;
      assert.ok(api.internals.subscriptions.isRecovered(recovered), `${message.id} is marked recovered`);
      const element = view.model.element(recovered)!;
      const item = view.getTreeItem(element);
      assert.match(String(item.description), /^recovered · (?:↩ reply to an earlier message · )?did:key:/);
      const tooltip = view.resolveTreeItem(item, element).tooltip as vscode.MarkdownString;
      assert.match(tooltip.value, /\n_Recovered\\: it arrived while the stream was reconnecting, and was fetched from the node\\'s stored messages\\._$/);
    }
    assert.doesNotMatch(String(view.getTreeItem(view.model.element(held(first.id)!)!).description), /recovered/);
    const ids = api.messages(TEST_NODE).map((message) => message.id);
    assert.strictEqual(new Set(ids).size, ids.length, 'nothing held twice');
    const log = outputChannelLog(api);
    // Messages sent as the old stream was closing count too: they were lost on it.
    const line = new RegExp(`\\[${TEST_NODE}\\] Recovered (\\d+) messages missed while reconnecting`).exec(log);
    assert.ok(line && Number(line[1]) >= duringGap.length, `the log says how many were recovered: ${line?.[0]}`);
  });
});
