import * as assert from 'assert';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { parseQuery, type MessageQuery } from '../../../../src/core/query/query';
import { replyLatencyMs } from '../../../../src/core/watches/replyLatency';
import { WatchLimitError, WatchRegistry, WatchTimeoutError } from '../../../../src/core/watches/watches';
import { FakeClock } from '../../helpers/fakeClock';
import { nodeMessage } from '../../helpers/messages';

function query(text: string): MessageQuery {
  const parsed = parseQuery(text);
  assert.ok(parsed.ok, `${text} parses`);
  return parsed.query;
}

describe('WatchRegistry: query watches', () => {
  let clock: FakeClock;
  let store: MessageStore;
  let registry: WatchRegistry;

  beforeEach(() => {
    clock = new FakeClock();
    store = new MessageStore(100);
    registry = new WatchRegistry((id) => store.repliesTo(id)[0], clock, { waiting: 10_000, visible: 1_000, queries: 3 });
  });

  function arrive(message: NodeMessage): NodeMessage {
    store.append(message);
    registry.handle(message);
    return message;
  }

  it('waits for the next matching message: a held one does not answer, others do not', async () => {
    arrive(nodeMessage({ id: 'held', data: Buffer.from('invoice paid') }));
    const watch = registry.watchQuery(query('invoice'));
    assert.strictEqual(watch.state, 'waiting', 'what is already held is not "the next" message');
    arrive(nodeMessage({ id: 'other', data: Buffer.from('hello') }));
    assert.strictEqual(watch.state, 'waiting');
    clock.advance(1500);
    arrive(nodeMessage({ id: 'match', data: Buffer.from('an INVOICE for you') }));
    assert.strictEqual((await watch.promise).id, 'match');
    assert.strictEqual(replyLatencyMs(watch), 1500, 'latency from watching to the match');
    assert.strictEqual(registry.waitingCount, 0);
  });

  it('answers ID watches and query watches with the same message, each once', async () => {
    const byId = registry.watch('sent');
    const byQuery = registry.watchQuery(query('pong'));
    const answered = registry.handle(nodeMessage({ id: 'r', replyToId: 'sent', data: Buffer.from('pong') }));
    assert.deepStrictEqual(new Set(answered), new Set([byId, byQuery]));
    assert.strictEqual((await byQuery.promise).id, 'r');
  });

  it('only from the named node', () => {
    const watch = registry.watchQuery(query('pong'), { node: 'b' });
    arrive(nodeMessage({ node: 'a', id: 'on-a', data: Buffer.from('pong') }));
    assert.strictEqual(watch.state, 'waiting');
    arrive(nodeMessage({ node: 'b', id: 'on-b', data: Buffer.from('pong') }));
    assert.strictEqual(watch.reply?.id, 'on-b');
  });

  it('times out saying which query went unanswered', async () => {
    const watch = registry.watchQuery(query('never'), { timeoutMs: 2000 });
    clock.advance(2000);
    await assert.rejects(watch.promise, (error: Error) => error instanceof WatchTimeoutError && /No message matching "never" within 2 s/.test(error.message));
    assert.strictEqual(watch.state, 'timedOut');
  });

  it('bounds the waiting query watches; a settled one makes room; the same visible query is one watch', () => {
    const first = registry.watchQuery(query('a'));
    assert.strictEqual(registry.watchQuery(query('a')), first, 'watching the same query again is the same watch');
    registry.watchQuery(query('b'));
    registry.watchQuery(query('c'), { visible: false });
    assert.throws(() => registry.watchQuery(query('d')), WatchLimitError);
    registry.cancel(first);
    assert.ok(registry.watchQuery(query('d')));
  });

  it('round-trips through records with its query; an unparseable stored query is not restored', async () => {
    const waiting = registry.watchQuery(query('later'), { timeoutMs: 10_000 });
    const answered = registry.watchQuery(query('now'));
    arrive(nodeMessage({ id: 'now-1', data: Buffer.from('now') }));
    assert.strictEqual(answered.state, 'answered');
    const records = registry.toRecords();
    assert.deepStrictEqual(
      records.map((record) => [record.query, record.state, record.replyId]),
      [
        ['later', 'waiting', undefined],
        ['now', 'answered', 'now-1'],
      ],
    );
    registry.dispose();
    clock.advance(4000);
    const restored = new WatchRegistry((id) => store.repliesTo(id)[0], clock);
    restored.restore([...records, { ...records[0]!, query: '(unclosed' }], (_node, id) => store.get(id));
    assert.deepStrictEqual(restored.list().map((watch) => [watch.subject, watch.state]), [
      ['later', 'waiting'],
      ['now', 'answered'],
    ]);
    const again = restored.list()[0]!;
    assert.strictEqual(again.deadline, waiting.deadline, 'the same deadline: what is left of the timeout');
    restored.handle(nodeMessage({ id: 'later-1', data: Buffer.from('later') }));
    assert.strictEqual((await again.promise).id, 'later-1');
    assert.strictEqual(restored.list()[1]!.reply?.id, 'now-1');
  });

  it('never throws on hostile data', () => {
    registry.watchQuery(query('x'));
    for (const data of [new Uint8Array([0xff, 0xfe, 0x00]), new Uint8Array(4 * 1024 * 1024).fill(0x5b)]) {
      assert.doesNotThrow(() => registry.handle(nodeMessage({ id: '', fromPubkey: '\u{10FFFF}\uD800', data })));
    }
  });
});
