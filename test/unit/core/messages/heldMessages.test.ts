import * as assert from 'assert';
import { HeldMessages } from '../../../../src/core/messages/heldMessages';
import { messageBytes } from '../../../../src/core/messages/messageStore';
import { NodeSubscriptions, TOTAL_BUDGET_IN_NODES } from '../../../../src/core/nodeSubscriptions';
import { startSimulatedNode } from '../../../../src/core/simulator/simulatedNode';
import { nodeMessage } from '../../helpers/messages';
import { nextEvent, until } from '../../helpers/waitFor';

/** A message of exactly `bytes` by `messageBytes`. */
const sized = (node: string, id: string, bytes: number, receivedAt: number) =>
  nodeMessage({ node, id, replyToId: '', fromPubkey: '', serviceType: '', data: new Uint8Array(bytes - 2 * id.length), receivedAt });

describe('the byte budget of held messages', () => {
  it('is kept by HeldMessages on its own: the oldest message goes first, whichever node holds it', () => {
    const held = new HeldMessages(1000, 250);
    for (let i = 0; i < 12; i++) {
      held.hold(sized(`n${i % 6}`, `m${i}`, 100, i));
    }
    assert.strictEqual(held.bytes, held.totalByteBudget);
    assert.deepStrictEqual(held.messages().map((message) => message.id), ['m2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11']);
    held.clear('n2');
    assert.strictEqual(held.bytes, 800);
  });

  it('holds every node within its own budget and all nodes within the total, oldest first wherever they are', () => {
    const subscriptions = new NodeSubscriptions({ maxMessages: 1000, maxBytes: 1000 });
    assert.strictEqual(subscriptions.totalByteBudget, 1000 * TOTAL_BUDGET_IN_NODES);
    const messages = [];
    for (let i = 0; i < 60; i++) {
      // 100 bytes each, across six nodes in turn.
      messages.push(sized(`n${i % 6}`, `m${i}`, 100, i));
    }
    subscriptions.restore(messages);
    const names = subscriptions.storeNames();
    assert.strictEqual(names.length, 6);
    for (const name of names) {
      assert.ok(subscriptions.store(name).bytes <= 1000, `${name} holds ${subscriptions.store(name).bytes} bytes`);
    }
    assert.ok(subscriptions.bytes <= subscriptions.totalByteBudget, `${subscriptions.bytes} bytes in all`);
    assert.strictEqual(subscriptions.bytes, subscriptions.messages().reduce((sum, message) => sum + messageBytes(message), 0));
    // 4000 bytes of 100-byte messages: the newest 40 of 60, whichever node they came from.
    assert.deepStrictEqual(subscriptions.messages().map((message) => message.receivedAt), Array.from({ length: 40 }, (_, i) => i + 20));
    const evicted = names.reduce((sum, name) => sum + subscriptions.store(name).evicted, 0);
    assert.strictEqual(evicted, 20, 'evictions for the total are counted like the others');
    subscriptions.dispose();
  });

  it('shrinks and grows with the setting, and clearing gives the bytes back', () => {
    const subscriptions = new NodeSubscriptions({ maxMessages: 1000, maxBytes: 10_000 });
    subscriptions.restore(Array.from({ length: 20 }, (_, i) => sized('a', `m${i}`, 100, i)));
    assert.strictEqual(subscriptions.bytes, 2000);
    subscriptions.setBounds(1000, 500);
    assert.deepStrictEqual(subscriptions.messages('a').map((message) => message.id), ['m15', 'm16', 'm17', 'm18', 'm19']);
    assert.strictEqual(subscriptions.bytes, 500);
    assert.strictEqual(subscriptions.store('a').evicted, 15);
    subscriptions.setBounds(3, 500);
    assert.strictEqual(subscriptions.messages('a').length, 3);
    subscriptions.clear();
    assert.strictEqual(subscriptions.bytes, 0);
    subscriptions.dispose();
  });

  it('evicts by bytes on the receive path, counting each eviction once', async () => {
    const simulator = await startSimulatedNode({ port: 0, seed: 5 });
    const subscriptions = new NodeSubscriptions({ maxMessages: 10_000, maxBytes: 64 * 1024 });
    try {
      subscriptions.setNodes([{ name: 'sim', url: simulator.subscribeUrl }], new Map());
      subscriptions.connect();
      await nextEvent(subscriptions.onDidChangeStatus, (event) => event.status.state === 'connected');
      await simulator.waitForSubscribers(1);
      for (let i = 0; i < 40; i++) {
        simulator.emit({ data: 'x'.repeat(8000) });
      }
      await until(() => subscriptions.connection('sim')!.counters.accepted === 40, 'forty 8 kB messages');
      const store = subscriptions.store('sim');
      assert.ok(store.bytes <= 64 * 1024, `${store.bytes} bytes held`);
      assert.ok(store.size >= 7 && store.size <= 8, `${store.size} held`);
      assert.strictEqual(store.size + store.evicted, 40);
    } finally {
      subscriptions.dispose();
      await simulator.close();
    }
  });
});
