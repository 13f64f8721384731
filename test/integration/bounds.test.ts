import * as assert from 'assert';
import type { SimulatedNode } from '../../src/core/simulator/simulatedNode';
import { activateExtension, connectToSimulator, setNodes, setSetting, TEST_NODE, waitUntil, type ExtensionExports } from './harness';

// The suites share one store per node name; a node of its own would add a level to the Messages
// view that later suites do not expect.
const NODE = TEST_NODE;
const PEER = '03' + '4b'.repeat(32);

describe('API input checks and the byte budget', () => {
  let api: ExtensionExports;
  let simulator: SimulatedNode;

  before(async () => {
    api = await activateExtension();
    simulator = await connectToSimulator(api, {}, NODE);
  });

  after(async () => {
    await setSetting('maxMegabytes', undefined);
    await setNodes([]);
    await simulator?.close();
  });

  it('waitForReply refuses 0, negative, NaN and non-number timeouts with a clear error', async () => {
    for (const timeoutMs of [0, -1, NaN]) {
      await assert.rejects(api.waitForReply('bounds-x', { timeoutMs }), (error: Error) => error instanceof RangeError && /timeoutMs must be more than 0 ms/.test(error.message));
    }
    for (const timeoutMs of ['1000', null, {}]) {
      await assert.rejects(api.waitForReply('bounds-x', { timeoutMs: timeoutMs as unknown as number }), (error: Error) => error instanceof TypeError && /timeoutMs must be a number/.test(error.message));
    }
    await assert.rejects(api.waitForReply('' as string), /needs a message ID/);
  });

  it('waitForReply waits past 2^31 ms and without end (Infinity), and the reply answers both', async () => {
    const id = await api.sendMessage({ node: NODE, pubkey: PEER, data: 'ping from the bounds suite' });
    const [long, endless] = await Promise.all([api.waitForReply(id, { timeoutMs: 2 ** 31 + 1000 }), api.waitForReply(id, { timeoutMs: Infinity })]);
    assert.strictEqual(long.replyToId, id);
    assert.strictEqual(endless.replyToId, id);
  });

  it('sendMessage refuses a bad pubkey, oversized data and a bad amount before any network', async () => {
    const before = simulator.stats.restRequests;
    const bad: [Parameters<ExtensionExports['sendMessage']>[0], RegExp][] = [
      [{ node: NODE, pubkey: 'not a pubkey', data: 'x' }, /recipient must be/],
      [{ node: NODE, pubkey: PEER.slice(0, 64), data: 'x' }, /recipient must be/],
      [{ node: NODE, pubkey: PEER, data: new Uint8Array(480_001) }, /480,001 bytes; a message carries at most 480,000/],
      [{ node: NODE, pubkey: PEER, data: 'x', amount: 0 }, /at least 1 sat/],
      [{ node: NODE, pubkey: PEER, data: 'x', amount: 1.5 }, /whole number of satoshis/],
      [{ node: NODE, pubkey: PEER, data: 42 as unknown as string }, /string or a Uint8Array/],
    ];
    for (const [request, message] of bad) {
      await assert.rejects(api.sendMessage(request), message);
    }
    await assert.rejects(api.sendMessage(null as unknown as Parameters<ExtensionExports['sendMessage']>[0]), /sendMessage needs a request/);
    assert.strictEqual(simulator.stats.restRequests, before, 'no request reached the node');
  });

  it('holds a node within impervious.maxMegabytes, evicting the oldest and counting them', async () => {
    await setSetting('maxMegabytes', 1);
    const store = () => api.internals.subscriptions.store(NODE);
    await waitUntil(() => store().byteBudget === 1024 * 1024, 'the 1 MiB budget to apply');
    const accepted = api.internals.subscriptions.connection(NODE)!.counters.accepted;
    const heldBefore = store().size + store().evicted;
    const sent = Array.from({ length: 40 }, (_, i) => simulator.emit({ data: `${i} `.padEnd(40_000, 'x') }));
    await waitUntil(() => api.internals.subscriptions.connection(NODE)!.counters.accepted === accepted + 40, 'forty 40 kB messages');
    assert.ok(store().bytes <= 1024 * 1024, `${store().bytes} bytes held`);
    assert.strictEqual(store().size + store().evicted, heldBefore + 40, 'every message is held or counted as evicted');
    const held = api.messages(NODE).map((message) => message.id);
    assert.deepStrictEqual(held.slice(-3), sent.slice(-3).map((message) => message.id), 'the newest stay');
    assert.ok(!held.includes(sent[0]!.id), 'the oldest went');
    await setSetting('maxMegabytes', undefined);
    await waitUntil(() => store().byteBudget === 32 * 1024 * 1024, 'the default budget to come back');
  });
});
