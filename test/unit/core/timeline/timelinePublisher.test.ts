import * as assert from 'assert';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import type { TimelineInput } from '../../../../src/core/timeline/timelineBins';
import { parseGesture, type TimelineUpdate } from '../../../../src/core/timeline/timelineData';
import { POST_INTERVAL_MS, TICK_MS, TimelinePublisher } from '../../../../src/core/timeline/timelinePublisher';
import { FakeClock } from '../../helpers/fakeClock';
import { nodeMessage } from '../../helpers/messages';

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 12));
  const messages: NodeMessage[] = [];
  const posted: TimelineUpdate[] = [];
  let reads = 0;
  const publisher = new TimelinePublisher({
    read: (): TimelineInput => {
      reads++;
      return { messages, replies: [], timeouts: [], now: clock.now() };
    },
    grouping: () => 'sender',
    post: (update) => posted.push(update),
    clock,
  });
  const receive = (count: number) => {
    for (let i = 0; i < count; i++) {
      messages.push(nodeMessage({ id: `m${messages.length}`, receivedAt: clock.now(), fromPubkey: `p${messages.length % 3}` }));
      publisher.changed();
    }
  };
  const data = () => posted.filter((update): update is Extract<TimelineUpdate, { type: 'data' }> => update.type === 'data');
  return { clock, messages, posted, publisher, receive, data, reads: () => reads };
}

describe('the Timeline publisher', () => {
  it('posts aggregated bins, never messages: counts that equal the held messages', () => {
    const { clock, publisher, receive, data } = setup();
    publisher.setVisible(true);
    receive(7);
    clock.advance(POST_INTERVAL_MS);
    const last = data().at(-1)?.data;
    assert.ok(last);
    assert.strictEqual(last.inRange, 7);
    assert.strictEqual(last.series.reduce((sum, series) => sum + series.total, 0), 7);
    const json = JSON.stringify(data());
    assert.ok(!json.includes('fromPubkey') && !json.includes('receivedAt') && !json.includes('message m'), 'no message or body is posted');
  });

  it('posts at most 4 times a second, whatever the rate', () => {
    const { clock, publisher, receive, data, reads } = setup();
    publisher.setVisible(true);
    clock.advance(0);
    const before = data().length;
    // 20,000 messages over 2 seconds: 10 per millisecond.
    for (let ms = 0; ms < 2000; ms++) {
      receive(10);
      clock.advance(1);
    }
    const posts = data().length - before;
    assert.ok(posts <= 2000 / POST_INTERVAL_MS + 1, `${posts} posts`);
    assert.ok(posts >= 2000 / POST_INTERVAL_MS - 1, `${posts} posts: it stays live`);
    assert.strictEqual(reads(), data().length, 'the store is read once per post, not per message');
    clock.advance(POST_INTERVAL_MS);
    assert.strictEqual(data().at(-1)?.data.inRange, 20_000, 'the last arrivals are posted within an interval');
  });

  it('posts nothing while hidden, and everything when shown again', () => {
    const { clock, publisher, receive, data } = setup();
    receive(5);
    clock.advance(10 * TICK_MS);
    assert.strictEqual(data().length, 0);
    publisher.setVisible(true);
    clock.advance(0);
    assert.strictEqual(data().at(-1)?.data.inRange, 5);
    publisher.setVisible(false);
    const count = data().length;
    receive(5);
    clock.advance(10 * TICK_MS);
    assert.strictEqual(data().length, count);
  });

  it('moves the time axis once a second while shown, with nothing arriving', () => {
    const { clock, publisher, data } = setup();
    publisher.setVisible(true);
    clock.advance(0);
    const first = data().length;
    clock.advance(5 * TICK_MS);
    assert.strictEqual(data().length - first, 5);
    assert.ok((data().at(-1)?.data.now ?? 0) > (data()[0]?.data.now ?? 0));
  });

  it('follows the Messages view\'s pause: says so, then posts nothing until resumed', () => {
    const { clock, posted, publisher, receive, data } = setup();
    publisher.setVisible(true);
    clock.advance(0);
    publisher.setPaused(true);
    assert.deepStrictEqual(posted.at(-1), { type: 'paused', paused: true });
    const count = data().length;
    receive(50);
    clock.advance(5 * TICK_MS);
    assert.strictEqual(data().length, count);
    publisher.setPaused(false);
    clock.advance(0);
    assert.strictEqual(data().at(-1)?.data.inRange, 50);
  });

  it('posts the chosen span', () => {
    const { clock, publisher, data } = setup();
    publisher.setVisible(true);
    publisher.setSpan('1d');
    clock.advance(POST_INTERVAL_MS);
    assert.strictEqual(data().at(-1)?.data.span, '1d');
    assert.strictEqual(data().at(-1)?.data.binMs, 5 * 60_000);
  });
});

describe('Timeline gestures', () => {
  it('are checked before the extension acts on them', () => {
    assert.deepStrictEqual(parseGesture({ type: 'brush', from: 1, to: 2 }), { type: 'brush', from: 1, to: 2 });
    assert.strictEqual(parseGesture({ type: 'brush', from: 2, to: 1 }), undefined);
    assert.strictEqual(parseGesture({ type: 'brush', from: 'a', to: 2 }), undefined);
    assert.strictEqual(parseGesture({ type: 'span', span: '1y' }), undefined);
    assert.deepStrictEqual(parseGesture({ type: 'span', span: 'all' }), { type: 'span', span: 'all' });
    assert.deepStrictEqual(parseGesture({ type: 'reveal', node: 'n', replyId: 'r' }), { type: 'reveal', node: 'n', replyId: 'r' });
    assert.strictEqual(parseGesture({ type: 'reveal', node: 'n', replyId: 'r'.repeat(2000) }), undefined);
    assert.strictEqual(parseGesture({ type: 'run', command: 'x' }), undefined);
    assert.strictEqual(parseGesture(null), undefined);
    assert.deepStrictEqual(parseGesture({ type: 'ready' }), { type: 'ready' });
    assert.deepStrictEqual(parseGesture({ type: 'drawn', bins: 300, total: 5, tableTotal: 5 }), { type: 'drawn', bins: 300, total: 5, tableTotal: 5 });
    assert.strictEqual(parseGesture({ type: 'drawn', bins: 300, total: -1, tableTotal: 5 }), undefined);
  });
});
