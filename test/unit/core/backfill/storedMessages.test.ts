import * as assert from 'assert';
import * as http from 'http';
import { RecoveredMarks } from '../../../../src/core/backfill/recoveredMarks';
import { downtimeLine } from '../../../../src/core/backfill/recoveryText';
import { MAX_EVENTS_READ, readStoredMessages } from '../../../../src/core/backfill/storedMessages';
import { StreamDowntime } from '../../../../src/core/connection/streamDowntime';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import { MessageTreeModel } from '../../../../src/core/messages/messageTree';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { getJson } from '../../../../src/core/sending/restClient';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const ME = 'did:key:me';
const PEER = 'did:key:peer';

function entry(id: string, from: string, time: string, type = 'received', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, data: JSON.stringify({ id, from, thid: id, type: 'https://didcomm.org/basicmessage/2.0/message', body: { content: id } }), events: [{ Type: type, EventTime: time }], ...extra };
}

describe('readStoredMessages', () => {
  it('tells the node’s own messages apart: an ID it sent for us, an event that says sent, the same sender as those', () => {
    const list = readStoredMessages(
      {
        messages: [
          entry('ours', ME, '2026-05-01T11:59:00Z', 'created'),
          entry('ours-too', ME, '2026-05-01T11:59:01Z', 'whatever'),
          entry('said-sent', 'did:key:other-me', '2026-05-01T11:59:02Z', 'MESSAGE_SENT'),
          entry('theirs', PEER, '2026-05-01T11:59:04Z', 'message received from sender'),
          entry('theirs-earlier', PEER, '2026-05-01T11:59:03.5+00:00'),
        ],
      },
      { node: 'n', now: NOW, sentIds: new Set(['ours']) },
    );
    assert.deepStrictEqual(list.received.map((message) => message.id), ['theirs-earlier', 'theirs']);
    assert.strictEqual(list.own, 3);
    assert.strictEqual(list.received[0]?.receivedAt, Date.parse('2026-05-01T11:59:03.500Z'));
    assert.strictEqual(list.received[0]?.node, 'n');
    assert.strictEqual(list.received[0]?.amount, 0n);
  });

  it('takes snake_case, base64 data, the earliest of several event times, and a clock a little ahead as now', () => {
    const didComm = JSON.stringify({ id: 'b64', from: PEER });
    const list = readStoredMessages(
      {
        messages: [
          { data: Buffer.from(didComm).toString('base64'), events: [{ type: 'received', event_time: '2026-05-01T11:00:00Z' }, { EventTime: '2026-05-01T10:00:00Z' }] },
          entry('ahead', PEER, '2026-05-01T12:02:00Z'),
        ],
      },
      { node: 'n', now: NOW, sentIds: new Set() },
    );
    assert.deepStrictEqual(list.received.map((message) => [message.id, message.receivedAt]), [
      ['b64', Date.parse('2026-05-01T10:00:00Z')],
      ['ahead', NOW],
    ]);
  });

  it('reads only the first events of a huge list, and answers that are no list at all as empty', () => {
    const late = Array.from({ length: 10_000 }, () => ({ EventTime: 'nope' }));
    late[MAX_EVENTS_READ] = { EventTime: '2026-05-01T11:00:00Z' };
    const list = readStoredMessages({ messages: [{ ...entry('late-time', PEER, 'x'), events: late }] }, { node: 'n', now: NOW, sentIds: new Set() });
    assert.strictEqual(list.received.length, 0);
    assert.strictEqual(list.unreadable, 1);
    for (const answer of [undefined, null, 'x', [], { messages: 'x' }, { messages: { length: 1e9 } }]) {
      assert.deepStrictEqual(readStoredMessages(answer, { node: 'n', now: NOW, sentIds: new Set() }), { received: [], own: 0, unreadable: 0 });
    }
  });
});

describe('RecoveredMarks', () => {
  it('keys marks by node and ID, keeps to the node’s bound, and forgets evicted messages', () => {
    const marks = new RecoveredMarks(() => 3);
    for (const id of ['a', 'b', 'c', 'd']) {
      marks.add('n', id);
    }
    assert.deepStrictEqual(['a', 'b', 'c', 'd'].map((id) => marks.has('n', id)), [false, true, true, true]);
    assert.strictEqual(marks.has('other', 'b'), false);
    marks.prune('n', (id) => id !== 'c');
    assert.strictEqual(marks.size('n'), 2);
    marks.clear('n');
    assert.strictEqual(marks.has('n', 'd'), false);
  });
});

describe('The recovered mark in the tree', () => {
  it('is read by node and ID, so a message object made anew keeps it', () => {
    const store = new MessageStore(10);
    const marks = new RecoveredMarks(() => store.capacity);
    const message = (id: string): NodeMessage => ({ node: 'n', id, replyToId: '', fromPubkey: PEER, data: new Uint8Array(), serviceType: '', amount: 0n, receivedAt: NOW });
    store.append(message('stream'));
    store.append(message('back'));
    marks.add('n', 'back');
    const model = new MessageTreeModel({
      nodeNames: () => ['n'],
      storeNames: () => ['n'],
      store: () => store,
      isRecovered: (held) => marks.has(held.node, held.id),
    });
    assert.strictEqual(model.marks(model.element(message('back'))!).recovered, true);
    assert.strictEqual(model.marks(model.element(store.get('stream')!)!).recovered, false);
  });
});

describe('StreamDowntime', () => {
  it('sums the stream’s down intervals over the last hour, the open one up to now', () => {
    const downtime = new StreamDowntime();
    const hour = 3_600_000;
    downtime.down(0);
    downtime.up(10_000);
    downtime.down(15_000);
    downtime.up(25_000);
    downtime.down(hour + 5_000);
    downtime.up(hour + 17_000);
    assert.strictEqual(downtime.downMs(hour + 20_000), 5_000 + 12_000, 'the first interval is out of the window, half the second in');
    downtime.down(hour + 30_000);
    downtime.down(hour + 31_000);
    assert.ok(downtime.isDown);
    assert.strictEqual(downtime.downMs(hour + 40_000), 12_000 + 10_000, 'the oldest two are out of the window now');
    downtime.up(hour + 40_000);
    downtime.up(hour + 50_000);
    assert.strictEqual(downtime.downMs(hour + 50_000), 22_000, 'up twice closes once');
    assert.strictEqual(downtimeLine(12_000), 'Stream down 12 s in the last hour: messages sent then are lost');
    assert.strictEqual(downtimeLine(0), undefined);
  });

  it('keeps a bounded list of intervals however often the stream flaps', () => {
    const downtime = new StreamDowntime();
    for (let i = 0; i < 10_000; i++) {
      downtime.down(i * 10);
      downtime.up(i * 10 + 5);
    }
    assert.strictEqual(downtime.downMs(100_000), 64 * 5);
  });
});

describe('getJson (the stored messages’ request)', () => {
  it('refuses an answer that is not JSON with a clear reason, and sends the key header', async () => {
    let key: string | undefined;
    const server = http.createServer((request, response) => {
      key = request.headers['grpc-metadata-x-api-key'] as string | undefined;
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>a proxy page</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await assert.rejects(getJson({ name: 'n', url: `ws://127.0.0.1:${port}/v1/subscribe` }, '/v1/message', { apiKey: 'k1' }), {
        message: 'The node answered HTTP 200: the answer is not a JSON object (it starts "<html>a proxy page</html")',
      });
      assert.strictEqual(key, 'k1');
    } finally {
      server.close();
    }
  });
});
