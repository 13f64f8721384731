import * as assert from 'assert';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { slidingPercentiles } from '../../../../src/core/timeline/percentiles';
import { nearestRank } from '../../../../src/core/watches/replyLatency';
import {
  BIN_SIZES_MS,
  binSizeFor,
  buildTimeline,
  MAX_BINS,
  MAX_LATENCY_MARKS,
  MAX_SERIES,
  MAX_TIMEOUT_MARKS,
  type AnsweredReply,
  type TimelineInput,
} from '../../../../src/core/timeline/timelineBins';
import type { TimelineData } from '../../../../src/core/timeline/timelineData';
import { nodeMessage } from '../../helpers/messages';

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0, 500);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function at(receivedAt: number, fields: Partial<NodeMessage> = {}): NodeMessage {
  return nodeMessage({ id: `m${receivedAt}-${Math.random()}`, receivedAt, ...fields });
}

function input(messages: NodeMessage[], more: Partial<TimelineInput> = {}): TimelineInput {
  return { messages, replies: [], timeouts: [], now: NOW, ...more };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Every bin's total is the sum of its series, and the counts add up to what is in range. */
function checkConsistent(data: TimelineData): void {
  assert.ok(data.times.length >= 1 && data.times.length <= MAX_BINS, `${data.times.length} bins`);
  assert.ok(data.binMs >= SECOND && data.binMs <= HOUR);
  data.times.forEach((time, i) => assert.strictEqual(time, data.start + i * data.binMs));
  assert.ok(data.start <= data.now && data.now < data.start + data.times.length * data.binMs, 'the last bin holds now');
  for (let i = 0; i < data.times.length; i++) {
    assert.strictEqual(sum(data.series.map((series) => series.counts[i] as number)), data.totals[i]);
  }
  assert.strictEqual(sum(data.totals), data.inRange);
  assert.strictEqual(data.inRange + data.earlier, data.held);
  assert.ok(data.series.length <= MAX_SERIES + 1);
  assert.ok(data.marks.length <= MAX_LATENCY_MARKS && data.timeouts.length <= MAX_TIMEOUT_MARKS);
}

describe('Timeline bins', () => {
  it('chooses the narrowest bin that covers the span in at most MAX_BINS bins, from 1 s up to 1 h', () => {
    assert.strictEqual(binSizeFor(5 * MINUTE), SECOND);
    assert.strictEqual(binSizeFor(HOUR), 15 * SECOND);
    assert.strictEqual(binSizeFor(24 * HOUR), 5 * MINUTE);
    assert.strictEqual(binSizeFor(365 * 24 * HOUR), HOUR);
    assert.strictEqual(binSizeFor(0), SECOND);
    assert.strictEqual(binSizeFor(Number.NaN), SECOND);
    for (let span = SECOND; span < 400 * HOUR; span = Math.ceil(span * 1.37)) {
      const size = binSizeFor(span);
      assert.ok(BIN_SIZES_MS.includes(size));
      assert.ok(Math.ceil(span / size) < MAX_BINS || size === HOUR, `span ${span}`);
    }
  });

  it('counts each message in the bin of its arrival, stacked by node, sender or service type', () => {
    const messages = [
      at(NOW - 4 * MINUTE, { node: 'a', fromPubkey: 'alice', serviceType: 'chat' }),
      at(NOW - 4 * MINUTE + 200, { node: 'a', fromPubkey: 'bob', serviceType: 'chat' }),
      at(NOW - 10 * SECOND, { node: 'b', fromPubkey: 'bob', serviceType: 'ping' }),
      at(NOW - 6 * MINUTE, { node: 'a', fromPubkey: 'carol', serviceType: 'chat' }),
    ];
    const byNode = buildTimeline(input(messages), '5m', 'node');
    checkConsistent(byNode);
    assert.strictEqual(byNode.binMs, SECOND);
    assert.deepStrictEqual(byNode.series.map((s) => [s.label, s.total]), [['a', 2], ['b', 1]]);
    assert.strictEqual(byNode.earlier, 1);
    const first = byNode.times.findIndex((time) => time <= NOW - 4 * MINUTE && NOW - 4 * MINUTE < time + SECOND);
    assert.strictEqual(byNode.totals[first], 2);
    const bySender = buildTimeline(input(messages), '5m', 'sender');
    assert.deepStrictEqual(bySender.series.map((s) => [s.label, s.total]), [['bob', 2], ['alice', 1]]);
    const byType = buildTimeline(input(messages), '1h', 'serviceType');
    checkConsistent(byType);
    assert.deepStrictEqual(byType.series.map((s) => [s.label, s.total]), [['chat', 3], ['ping', 1]]);
  });

  it('stacks the 8 largest and sums the rest up as "other"', () => {
    const messages: NodeMessage[] = [];
    for (let sender = 0; sender < 20; sender++) {
      for (let i = 0; i <= sender; i++) messages.push(at(NOW - i * SECOND, { fromPubkey: `sender${sender}` }));
    }
    const data = buildTimeline(input(messages), '5m', 'sender');
    checkConsistent(data);
    assert.strictEqual(data.series.length, MAX_SERIES + 1);
    assert.deepStrictEqual(data.series.slice(0, 3).map((s) => s.label), ['sender19', 'sender18', 'sender17']);
    const other = data.series[MAX_SERIES];
    assert.ok(other?.other);
    assert.strictEqual(other.total, sum(Array.from({ length: 12 }, (_, i) => i + 1)));
    assert.match(other.title, /12/);
  });

  it('keeps bins bounded whatever the span: a year held shows the newest 360 hours and counts the rest as earlier', () => {
    const messages = Array.from({ length: 1000 }, (_, i) => at(NOW - i * 9 * HOUR));
    const data = buildTimeline(input(messages), 'all', 'node');
    checkConsistent(data);
    assert.strictEqual(data.binMs, HOUR);
    assert.strictEqual(data.times.length, MAX_BINS);
    assert.ok(data.earlier > 0 && data.inRange > 0);
    for (const span of ['5m', '1h', '1d', 'all'] as const) {
      checkConsistent(buildTimeline(input(messages), span, 'node'));
      checkConsistent(buildTimeline(input([]), span, 'sender'));
    }
    // Everything held within a minute: 'all' still has a sensible axis.
    const recent = buildTimeline(input([at(NOW - 5 * SECOND)]), 'all', 'node');
    checkConsistent(recent);
    assert.strictEqual(recent.binMs, SECOND);
  });

  it('keeps every message of a fast burst, clock skew included, and stays bounded in bins', () => {
    const messages = Array.from({ length: 100_000 }, (_, i) => at(NOW - 60 * SECOND + (i % 60_000), { fromPubkey: `p${i % 50}` }));
    messages.push(at(NOW + 5 * SECOND), at(Number.NaN));
    const data = buildTimeline(input(messages), '5m', 'sender');
    checkConsistent(data);
    assert.strictEqual(data.inRange, 100_001, 'a message from the future is in the last bin');
    assert.strictEqual(data.earlier, 1, 'a message without a time is not in a bin');
  });

  it('marks each answered watch at its reply time and keeps the newest MAX_LATENCY_MARKS', () => {
    const replies: AnsweredReply[] = Array.from({ length: 5000 }, (_, i) => ({
      node: 'n',
      at: NOW - 4 * MINUTE + i * 40,
      ms: 100 + (i % 10) * 100,
      sentId: `sent${i}`,
      replyId: `reply${i}`,
      sender: '02' + 'cd'.repeat(32),
    }));
    const data = buildTimeline(input([], { replies }), '5m', 'node');
    checkConsistent(data);
    assert.strictEqual(data.marks.length, MAX_LATENCY_MARKS);
    assert.strictEqual(data.marksOmitted, 4000);
    assert.strictEqual(data.marks.at(-1)?.replyId, 'reply4999');
    assert.strictEqual(data.marks[0]?.sender, '02cdcd…dcdcd');
    assert.deepStrictEqual(
      buildTimeline(input([], { replies: [{ ...replies[0]!, replyId: 'x'.repeat(5000), ms: Number.NaN }] }), '5m', 'node').marks,
      [],
      'a latency that is no number is not drawn',
    );
    const long = buildTimeline(input([], { replies: [{ ...replies[0]!, replyId: 'x'.repeat(5000) }] }), '5m', 'node').marks[0];
    assert.strictEqual(long?.replyId, '', 'an ID too long to post is not posted');
    assert.ok((long?.replyLabel.length ?? 99) <= 40);
  });

  it('draws p50 and p95 per node over a sliding window, with gaps where no reply was', () => {
    const replies: AnsweredReply[] = [];
    for (let i = 0; i < 100; i++) {
      replies.push({ node: 'fast', at: NOW - 100 * SECOND + i * SECOND, ms: i + 1, sentId: `f${i}`, replyId: `fr${i}`, sender: 'p' });
    }
    replies.push({ node: 'slow', at: NOW - 200 * SECOND, ms: 5000, sentId: 's', replyId: 'sr', sender: 'p' });
    const data = buildTimeline(input([], { replies }), '5m', 'node');
    assert.strictEqual(data.windowMs, 10 * SECOND);
    const fast = data.lines.find((line) => line.node === 'fast');
    const slow = data.lines.find((line) => line.node === 'slow');
    assert.ok(fast && slow);
    assert.strictEqual(fast.p50.length, data.times.length);
    const last = data.times.length - 1;
    // The last window, (now - 10 s, now], holds the replies of the last 9 seconds: 92..100 ms.
    assert.strictEqual(fast.p50[last], 96);
    assert.strictEqual(fast.p95[last], 100);
    assert.strictEqual(fast.p50[0], null, 'no reply in the first window');
    assert.ok(slow.p95.filter((value) => value === 5000).length >= 1);
    assert.strictEqual(slow.p95[last], null, 'the slow reply has left the window');
  });

  it('marks timed-out watches at their timeout, bounded', () => {
    const timeouts = Array.from({ length: 2000 }, (_, i) => ({ node: 'n', at: NOW - i * 100, sentId: `s${i}`, afterMs: 30_000 }));
    const data = buildTimeline(input([], { timeouts }), '5m', 'node');
    assert.strictEqual(data.timeouts.length, MAX_TIMEOUT_MARKS);
    assert.strictEqual(data.timeoutsOmitted, 1500);
    assert.strictEqual(data.timeouts.at(-1)?.sentLabel, 's0');
  });

  it('shows peer text in one line, bounded: never markup the webview would have to trust', () => {
    const hostile = '<img src=x onerror=alert(1)>\n</script><script>alert(2)</script>'.repeat(20);
    const data = buildTimeline(input([at(NOW, { fromPubkey: hostile, serviceType: hostile })]), '5m', 'serviceType');
    const series = data.series[0];
    assert.ok(series && !series.label.includes('\n') && series.label.length <= 40 && series.title.length <= 200);
    const bySender = buildTimeline(input([at(NOW, { fromPubkey: hostile })]), '5m', 'sender');
    assert.ok((bySender.series[0]?.label.length ?? 99) <= 14);
  });
});

describe('percentiles', () => {
  it('are nearest-rank: always a value that was recorded', () => {
    assert.strictEqual(nearestRank([1, 2, 3, 4], 50), 2);
    assert.strictEqual(nearestRank([1, 2, 3, 4], 95), 4);
    assert.strictEqual(nearestRank([7], 50), 7);
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    assert.strictEqual(nearestRank(values, 95), 19);
  });

  it('slide: each point sees only the window that ends at it', () => {
    const points = slidingPercentiles([0, 10, 20, 30], [1, 2, 3, 4], [5, 15, 25, 35, 100], 20);
    assert.deepStrictEqual(
      points.map((point) => [point.p50, point.p95]),
      [[1, 1], [1, 2], [2, 3], [3, 4], [null, null]],
    );
  });
});
