import * as assert from 'assert';
import type { NodeMessage } from '../../src/core/nodeMessage';
import type { SimulatedNode } from '../../src/core/simulator/simulatedNode';
import { activateExtension, connectToSimulator, setNodes, TEST_NODE, text, waitUntil, type ExtensionExports } from './harness';

const PEER = '03' + '7e'.repeat(32);

describe('exported API against the simulated node', () => {
  let api: ExtensionExports;
  let simulator: SimulatedNode;

  before(async () => {
    api = await activateExtension();
    simulator = await connectToSimulator(api);
  });

  after(async () => {
    await setNodes([]);
    await simulator?.close();
  });

  it('reports the connection state per node', () => {
    assert.strictEqual(api.connectionState(TEST_NODE), 'connected');
    assert.strictEqual(api.connectionState(), 'connected');
  });

  it('fires onDidReceiveMessage and holds what arrives, oldest first', async () => {
    const received: NodeMessage[] = [];
    const subscription = api.onDidReceiveMessage((message) => received.push(message));
    try {
      const first = simulator.emit({ data: 'hello from the stream' });
      const second = simulator.emit({ data: 'and again', replyToId: first.id });
      await waitUntil(() => received.length >= 2, 'two messages');
      assert.deepStrictEqual(received.map((m) => m.id), [first.id, second.id]);
      assert.strictEqual(received[0]!.node, TEST_NODE);
      assert.strictEqual(text(received[0]!.data), 'hello from the stream');
      assert.strictEqual(typeof received[0]!.amount, 'bigint');
      const held = api.messages(TEST_NODE).map((m) => m.id);
      assert.deepStrictEqual(held.slice(-2), [first.id, second.id]);
    } finally {
      subscription.dispose();
    }
  });

  it('sends a message and waitForReply resolves with the reply', async () => {
    const id = await api.sendMessage({ pubkey: PEER, data: 'ping from the API', amount: 3 });
    assert.match(id, /^[0-9a-f]{64}$/);
    const reply = await api.waitForReply(id, { timeoutMs: 10_000 });
    assert.strictEqual(reply.replyToId, id);
    assert.strictEqual(reply.fromPubkey, PEER);
  });

  it('waitForReply resolves at once with a reply already held', async () => {
    const question = simulator.emit({ data: 'question' });
    const answer = simulator.emit({ data: 'answer', replyToId: question.id });
    await waitUntil(() => api.messages().some((m) => m.id === answer.id), 'the answer to arrive');
    const reply = await api.waitForReply(question.id);
    assert.strictEqual(reply.id, answer.id);
  });

  it('waitForReply resolves with a message whose own id is the awaited ID', async () => {
    const wait = api.waitForReply('echoed-id-0001', { timeoutMs: 10_000 });
    simulator.emit({ id: 'echoed-id-0001', data: 'the same id came back' });
    assert.strictEqual((await wait).id, 'echoed-id-0001');
  });

  it('waitForReply rejects on timeout', async () => {
    await assert.rejects(api.waitForReply('never-answered', { timeoutMs: 200 }), /No reply to never-answered/);
  });

  it('sendMessage rejects with the node error', async () => {
    simulator.setApiKey('required-now');
    try {
      await assert.rejects(api.sendMessage({ pubkey: PEER, data: 'x' }), /HTTP 401, code 16/);
    } finally {
      simulator.setApiKey(undefined);
    }
  });
});
