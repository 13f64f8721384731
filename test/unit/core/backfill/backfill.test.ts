import * as assert from 'assert';
import { NodeSubscriptions, type RecoveryReport } from '../../../../src/core/nodeSubscriptions';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { describeRecovery } from '../../../../src/core/backfill/recoveryText';
import { startSimulatedNode, type SimulatedNode } from '../../../../src/core/simulator/simulatedNode';
import { nextEvent, until } from '../../helpers/waitFor';

const KEY = 'stored-list-key';

/** A v1 simulated node on loopback, its REST behind a key, and a pipeline subscribed to it as "v1". */
describe('Backfill: a v1 node’s stored messages fill the gaps of its stream', () => {
  let simulator: SimulatedNode;
  let subscriptions: NodeSubscriptions;
  let reports: RecoveryReport[];

  beforeEach(async () => {
    simulator = await startSimulatedNode({ port: 0, seed: 23, apiVersion: 'v1', apiKey: KEY, replyDelayMs: 20 });
    subscriptions = new NodeSubscriptions({ maxMessages: 50, connection: { backoffBaseMs: 50, backoffCapMs: 100 } });
    reports = [];
    subscriptions.onDidRecoverMessages((report) => reports.push(report));
    subscriptions.setNodes([{ name: 'v1', url: simulator.subscribeUrl, apiVersion: 'v1' }], new Map([['v1', KEY]]));
    subscriptions.connect();
    await nextEvent(subscriptions.onDidChangeStatus, (event) => event.status.state === 'connected');
    await simulator.waitForSubscribers(1);
  });

  afterEach(async () => {
    subscriptions.dispose();
    await simulator.close();
  });

  /** Drops the stream, lets `during` run while nobody is subscribed, then waits for the reconnect's report. */
  async function gap(during: () => void): Promise<RecoveryReport> {
    const before = reports.length;
    const back = simulator.refuse(300);
    await nextEvent(subscriptions.onDidChangeStatus, (event) => event.status.state !== 'connected');
    during();
    await back;
    await until(() => reports.length > before, 'the recovery after the reconnect');
    return reports[before] as RecoveryReport;
  }

  function ids(messages: readonly NodeMessage[]): string[] {
    return messages.map((message) => message.id);
  }

  it('recovers the 5 messages sent during a gap, in time order, marked, once each; their stream copies are not held again', async () => {
    const early = simulator.emit({ data: 'before the gap' });
    await until(() => subscriptions.messages('v1').length === 1, 'the first message');
    const seen: NodeMessage[] = [];
    subscriptions.onDidReceiveMessage((message) => seen.push(message));
    // A watch made before the gap is answered by a recovered reply.
    const watch = subscriptions.watches.watch('asked-before-the-gap', { timeoutMs: 5000, visible: false });
    let missed: string[] = [];
    const report = await gap(() => {
      missed = [
        simulator.emit({ data: 'gap 1' }).id,
        simulator.emit({ data: 'gap 2' }).id,
        simulator.emit({ data: 'gap 3', replyToId: 'asked-before-the-gap' }).id,
        simulator.emit({ data: 'gap 4' }).id,
        simulator.emit({ data: 'gap 5' }).id,
      ];
    });
    assert.strictEqual(report.error, undefined);
    assert.strictEqual(report.recovered, 5);
    assert.deepStrictEqual(ids(subscriptions.messages('v1')), [early.id, ...missed]);
    assert.deepStrictEqual(ids(seen), missed, 'each recovered message is one event, in time order');
    for (const id of missed) {
      assert.ok(subscriptions.isRecovered({ node: 'v1', id }), `${id} is marked recovered`);
    }
    assert.strictEqual(subscriptions.isRecovered({ node: 'v1', id: early.id }), false);
    assert.strictEqual((await watch.promise).id, missed[2]);
    const recovered = subscriptions.find(missed[0]!, 'v1')!;
    assert.strictEqual(Buffer.from(recovered.data).toString().includes('"content":"gap 1"'), true, 'mapped as the stream maps v1 frames');
    assert.match(recovered.fromPubkey, /^did:key:/);
    assert.ok(Math.abs(recovered.receivedAt - Date.now()) < 10_000, 'receivedAt is when the node stored it');

    // The node delivers one of them on the stream after all, and new traffic comes: nothing twice.
    simulator.emit({ id: missed[4], data: 'gap 5' });
    const after = simulator.emit({ data: 'after the gap' });
    await until(() => subscriptions.find(after.id, 'v1') !== undefined, 'the message after the gap');
    assert.deepStrictEqual(ids(subscriptions.messages('v1')), [early.id, ...missed, after.id]);
    assert.strictEqual(subscriptions.recoveredStreamCopies, 1);
    assert.match(describeRecovery(report).line, /^\[v1\] Recovered 5 messages missed while reconnecting$/);
  });

  it('recovers nothing from a gap with no traffic, and nothing already held', async () => {
    simulator.emit({ data: 'held' });
    await until(() => subscriptions.messages('v1').length === 1, 'the message');
    const report = await gap(() => undefined);
    assert.strictEqual(report.recovered, 0);
    assert.strictEqual(report.error, undefined);
    assert.strictEqual(subscriptions.messages('v1').length, 1);
    assert.strictEqual(describeRecovery(report).line, '[v1] No messages were missed while reconnecting');
  });

  it('does not take the node’s own sent messages for received ones', async () => {
    const sent = await subscriptions.sendMessage({ node: 'v1', pubkey: simulator.peers[1]!.did, data: 'my question' });
    await until(() => subscriptions.store('v1').repliesTo(sent).length === 1, 'the reply');
    const report = await gap(() => simulator.emit({ data: 'while away' }));
    assert.strictEqual(report.recovered, 1);
    assert.strictEqual(subscriptions.find(sent, 'v1'), undefined, 'the node’s own message is not held');
  });

  it('refuses an answer over the byte bound with a clear line, and holds nothing from it', async () => {
    simulator.padStoredMessages(9 * 1024 * 1024);
    const report = await gap(() => simulator.emit({ data: 'lost to the bound' }));
    assert.strictEqual(report.recovered, 0);
    assert.match(report.error ?? '', /The answer from 127\.0\.0\.1:\d+ is over 8192 KiB; it was cut off unread/);
    const { warning, line } = describeRecovery(report);
    assert.ok(warning);
    assert.match(line, /^\[v1\] Could not recover messages missed while reconnecting: The answer from .* is over 8192 KiB/);
    assert.strictEqual(subscriptions.messages('v1').length, 0);
    assert.strictEqual(subscriptions.connectionState('v1'), 'connected', 'the stream goes on');
  });

  it('says so when the node refuses the key, once per gap', async () => {
    simulator.setApiKey('another-key');
    const report = await gap(() => simulator.emit({ data: 'behind a key' }));
    assert.match(report.error ?? '', /HTTP 401, code 16: invalid api key/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.strictEqual(reports.length, 1, 'no retry');
  });

  it('skips hostile stored entries without throwing, and recovers the good ones', async () => {
    const now = new Date().toISOString();
    const didComm = (fields: Record<string, unknown>) => JSON.stringify({ id: 'x', type: 't', from: 'did:key:peer', thid: 'x', ...fields });
    const hostile: unknown[] = [
      null,
      42,
      'not an entry',
      [],
      {},
      { data: 'not JSON at all' },
      { data: 12 },
      { data: didComm({ id: 7 }), events: [{ EventTime: now }] },
      { data: didComm({ id: 'no-time' }) },
      { data: didComm({ id: 'no-sender', from: undefined }), events: [{ EventTime: now }] },
      { data: didComm({ id: 'bad-time' }), events: [{ EventTime: 'yesterday' }, { EventTime: 5 }, null] },
      { data: didComm({ id: 'future' }), events: [{ EventTime: '2999-01-01T00:00:00Z' }] },
      { data: didComm({ id: 'huge', body: { content: 'x'.repeat(2 * 1024 * 1024) } }), events: [{ EventTime: now }] },
      { data: `{"id":"deep","from":"did:key:peer","body":${'['.repeat(5000)}${']'.repeat(5000)}}`, events: [{ EventTime: now }] },
      { data: didComm({ id: 'many-events' }), events: Array.from({ length: 200_000 }, () => ({ Type: 'x' })) },
      { data: didComm({ id: 'newline\n[v1] Recovered 999 messages', from: 'did:key:peer\nforged' }), events: [{ EventTime: now }] },
      { id: 'wrong-types', type: 5, recipients: 'me', data: didComm({ id: 'wrong-types', thid: 5, type: [], created_time: Date.now() / 1000 }), transport: {}, events: { EventTime: now } },
      { data: didComm({ id: 'created-time', created_time: Math.floor(Date.now() / 1000) }), events: 'none' },
    ];
    for (const entry of hostile) {
      simulator.storeRaw(entry);
    }
    const report = await gap(() => simulator.emit({ data: 'good' }));
    const held = ids(subscriptions.messages('v1'));
    const wrongTypes = subscriptions.find('wrong-types', 'v1')!;
    assert.deepStrictEqual([wrongTypes.replyToId, wrongTypes.serviceType], ['', '']);
    assert.deepStrictEqual(new Set(held), new Set(['deep', 'newline\n[v1] Recovered 999 messages', 'wrong-types', 'created-time', held.find((id) => id.includes('-4'))]));
    assert.strictEqual(report.recovered, 5);
    assert.strictEqual(report.unreadable, 14);
    // Peer text cannot forge a line: the node's name and the counts are the only words that vary.
    assert.strictEqual(describeRecovery(report).line, '[v1] Recovered 5 messages missed while reconnecting; 14 stored entries were not messages and were skipped');
  });
});

describe('Backfill on the first connection', () => {
  let simulator: SimulatedNode;
  let subscriptions: NodeSubscriptions;

  afterEach(async () => {
    subscriptions.dispose();
    await simulator.close();
  });

  it('recovers what arrived since the newest held message, once the stream shows it is v1 (auto)', async () => {
    simulator = await startSimulatedNode({ port: 0, seed: 29, apiVersion: 'v1' });
    const whileClosed = [simulator.emit({ data: 'while the editor was closed 1' }), simulator.emit({ data: 'while the editor was closed 2' })];
    subscriptions = new NodeSubscriptions({ maxMessages: 50 });
    const restored: NodeMessage = { node: 'auto', id: 'restored', replyToId: '', fromPubkey: 'did:key:old', data: new Uint8Array(), serviceType: '', amount: 0n, receivedAt: Date.now() - 60_000 };
    subscriptions.restore([restored]);
    const reports: RecoveryReport[] = [];
    subscriptions.onDidRecoverMessages((report) => reports.push(report));
    subscriptions.setNodes([{ name: 'auto', url: simulator.subscribeUrl }], new Map());
    subscriptions.connect();
    await simulator.waitForSubscribers(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.strictEqual(reports.length, 0, 'not asked before the stream says which API it speaks');
    const first = simulator.emit({ data: 'on the stream' });
    await until(() => reports.length === 1, 'the recovery');
    assert.strictEqual(reports[0]?.gapStart, restored.receivedAt);
    assert.deepStrictEqual(
      subscriptions.messages('auto').map((message) => message.id),
      ['restored', first.id, ...whileClosed.map((message) => message.id)],
    );
  });

  it('never asks a v0.1.x node, which keeps nothing', async () => {
    simulator = await startSimulatedNode({ port: 0, seed: 31 });
    subscriptions = new NodeSubscriptions({ maxMessages: 50 });
    subscriptions.restore([{ node: 'v0', id: 'restored', replyToId: '', fromPubkey: '02', data: new Uint8Array(), serviceType: '', amount: 1n, receivedAt: Date.now() - 60_000 }]);
    const reports: RecoveryReport[] = [];
    subscriptions.onDidRecoverMessages((report) => reports.push(report));
    subscriptions.setNodes([{ name: 'v0', url: simulator.subscribeUrl }], new Map());
    subscriptions.connect();
    await simulator.waitForSubscribers(1);
    simulator.emit({ data: 'v0 frame' });
    await until(() => subscriptions.messages('v0').length === 2, 'the stream message');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.strictEqual(reports.length, 0);
    assert.strictEqual(simulator.stats.restRequests, 0);
    // What it can say instead: how long the stream was down.
    assert.strictEqual(subscriptions.streamDowntimeMs('v0'), 0);
    const back = simulator.refuse(300);
    await nextEvent(subscriptions.onDidChangeStatus, (event) => event.status.state === 'reconnecting');
    await back;
    await nextEvent(subscriptions.onDidChangeStatus, (event) => event.status.state === 'connected', 10_000);
    const down = subscriptions.streamDowntimeMs('v0');
    assert.ok(down >= 250 && down < 10_000, `down ${down} ms`);
    assert.strictEqual(reports.length, 0);
  });
});
