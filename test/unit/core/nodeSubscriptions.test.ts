import * as assert from 'assert';
import { NodeSubscriptions } from '../../../src/core/nodeSubscriptions';
import type { NodeMessage } from '../../../src/core/nodeMessage';
import { NodeRequestError, sendMessage } from '../../../src/core/sending/restClient';
import { startSimulatedNode, type SimulatedNode } from '../../../src/core/simulator/simulatedNode';
import { nextEvent, until } from '../helpers/waitFor';

const PEER = '02' + '5a'.repeat(32);

describe('NodeSubscriptions against the simulated node', () => {
  let simulator: SimulatedNode;
  let subscriptions: NodeSubscriptions;

  beforeEach(async () => {
    simulator = await startSimulatedNode({ port: 0, seed: 11, replyDelayMs: 20 });
    subscriptions = new NodeSubscriptions({ maxMessages: 50 });
  });

  afterEach(async () => {
    subscriptions.dispose();
    await simulator.close();
  });

  async function connected(name = 'sim', url = simulator.subscribeUrl): Promise<void> {
    subscriptions.setNodes([{ name, url }], new Map());
    subscriptions.connect();
    await nextEvent(subscriptions.onDidChangeStatus, (event) => event.status.state === 'connected');
    await simulator.waitForSubscribers(1);
  }

  it('holds what arrives, oldest first, and raises one event per message', async () => {
    await connected();
    const seen: NodeMessage[] = [];
    subscriptions.onDidReceiveMessage((message) => seen.push(message));
    const sent = [simulator.emit({ data: 'one' }), simulator.emit({ data: 'two' })];
    await until(() => seen.length === 2, 'two messages');
    assert.deepStrictEqual(subscriptions.messages('sim').map((m) => m.id), sent.map((m) => m.id));
    assert.deepStrictEqual(seen.map((m) => Buffer.from(m.data).toString()), ['one', 'two']);
    assert.strictEqual(subscriptions.find(sent[1]!.id)?.node, 'sim');
  });

  it('sends through REST and the watch gets the reply the simulated peer sends back', async () => {
    await connected();
    const id = await subscriptions.sendMessage({ pubkey: PEER, data: 'ping' });
    assert.match(id, /^[0-9a-f]{64}$/);
    const reply = await subscriptions.watches.watch(id, { timeoutMs: 5000 }).promise;
    assert.strictEqual(reply.replyToId, id);
    assert.strictEqual(reply.fromPubkey, PEER);
    assert.strictEqual(subscriptions.store('sim').repliesTo(id)[0], reply);
  });

  it('times a reply from the moment the send returned, once per reply, per node', async () => {
    await connected();
    const watch = await subscriptions.sendAndWatch({ pubkey: PEER, data: 'ping' }, { node: 'sim' });
    assert.strictEqual(typeof watch.sentAt, 'number');
    // A second watch on the same ID (an API wait) must not count the reply twice.
    subscriptions.watches.watch(watch.messageId, { visible: false });
    const reply = await watch.promise;
    assert.strictEqual(reply.replyToId, watch.messageId);
    const summary = subscriptions.replyLatencies.summary('sim');
    assert.strictEqual(summary?.count, 1);
    assert.strictEqual(summary.max, watch.settledAt! - watch.sentAt!);
    // A reply already held when watched is no latency of the node's.
    subscriptions.watches.watch(watch.messageId);
    assert.strictEqual(subscriptions.replyLatencies.summary('sim')?.count, 1);
    subscriptions.removeNode('sim');
    assert.strictEqual(subscriptions.replyLatencies.summary('sim'), undefined, 'a removed node takes its latencies with it');
  });

  it('answers a wait for a reply that already arrived from the store', async () => {
    await connected();
    const parent = simulator.emit({ data: 'question' });
    simulator.emit({ replyToId: parent.id, data: 'answer' });
    await until(() => subscriptions.messages().length === 2, 'both messages');
    const reply = await subscriptions.watches.watch(parent.id, { visible: false }).promise;
    assert.strictEqual(Buffer.from(reply.data).toString(), 'answer');
  });

  it('holds restored messages without a message event, and says once per call how many came back', () => {
    const restored: number[] = [];
    const received: NodeMessage[] = [];
    subscriptions.onDidRestore((count) => restored.push(count));
    subscriptions.onDidReceiveMessage((message) => received.push(message));
    const message = (id: string, node: string): NodeMessage => ({ node, id, replyToId: '', fromPubkey: PEER, data: Buffer.from(id), serviceType: 'message', amount: 0n, receivedAt: 1 });
    subscriptions.restore([message('a', 'x'), message('b', 'y'), message('c', 'x')]);
    subscriptions.restore([]);
    assert.deepStrictEqual(restored, [3], 'one event for the three, none for nothing');
    assert.deepStrictEqual(received, [], 'restored messages are not new messages');
    assert.deepStrictEqual(subscriptions.messages('x').map((held) => held.id), ['a', 'c']);
  });

  it('keeps to maxMessages per node and counts what it evicted', async () => {
    await connected();
    await simulator.burst(120);
    await until(() => subscriptions.connection('sim')!.counters.accepted === 120, 'the burst');
    assert.strictEqual(subscriptions.messages('sim').length, 50);
    assert.strictEqual(subscriptions.store('sim').evicted, 70);
  });

  it('reconnects only the nodes whose settings changed', async () => {
    await connected();
    const first = subscriptions.connection('sim');
    subscriptions.setNodes([{ name: 'sim', url: simulator.subscribeUrl }], new Map());
    assert.strictEqual(subscriptions.connection('sim'), first, 'same settings, same connection');
    const created = subscriptions.setNodes([{ name: 'sim', url: simulator.subscribeUrl }], new Map([['sim', 'new-key']]));
    assert.deepStrictEqual(created, ['sim'], 'a new key makes a new connection');
    await nextEvent(subscriptions.onDidChangeStatus, (event) => event.status.state === 'connected');
    subscriptions.setNodes([], new Map());
    assert.deepStrictEqual(subscriptions.nodeNames(), []);
    assert.strictEqual(subscriptions.connectionState(), 'disconnected');
  });

  it('reports the most alive state over several nodes', async () => {
    subscriptions.setNodes([{ name: 'a', url: simulator.subscribeUrl }, { name: 'down', url: 'ws://127.0.0.1:1/v1/subscribe' }], new Map());
    subscriptions.connect();
    await nextEvent(subscriptions.onDidChangeStatus, (event) => event.node === 'a' && event.status.state === 'connected');
    assert.strictEqual(subscriptions.connectionState(), 'connected');
    assert.notStrictEqual(subscriptions.connectionState('down'), 'connected');
  });
});

describe('REST client against the simulated node', () => {
  let simulator: SimulatedNode;

  afterEach(async () => simulator?.close());

  it('posts base64 msg, pubkey, amount and reply_to_id, and returns the id', async () => {
    simulator = await startSimulatedNode({ port: 0, replyDelayMs: 10_000 });
    const node = { name: 's', url: simulator.subscribeUrl };
    const id = await sendMessage(node, { pubkey: PEER, data: new Uint8Array([1, 2, 3]), amount: 5, replyToId: 'abc' });
    assert.match(id, /^[0-9a-f]{64}$/);
  });

  it('carries the node error: HTTP status, gRPC code and message', async () => {
    simulator = await startSimulatedNode({ port: 0, apiKey: 'sekrit' });
    const node = { name: 's', url: simulator.subscribeUrl };
    await assert.rejects(sendMessage(node, { pubkey: PEER, data: 'x' }), (error: NodeRequestError) => {
      assert.ok(error instanceof NodeRequestError);
      assert.strictEqual(error.status, 401);
      assert.strictEqual(error.code, 16);
      assert.match(error.message, /^The node answered HTTP 401, code 16: /);
      return true;
    });
    assert.match(await sendMessage(node, { pubkey: PEER, data: 'x' }, { apiKey: 'sekrit' }), /^[0-9a-f]{64}$/);
  });

  it('says clearly when the node cannot be reached, without the key', async () => {
    simulator = await startSimulatedNode({ port: 0 });
    const url = simulator.subscribeUrl;
    await simulator.close();
    await assert.rejects(sendMessage({ name: 's', url }, { pubkey: PEER, data: 'x' }, { apiKey: 'sekrit' }), (error: Error) => {
      assert.match(error.message, /Cannot reach the node at 127\.0\.0\.1:\d+: connection refused/);
      assert.doesNotMatch(error.message, /sekrit/);
      return true;
    });
  });
});
