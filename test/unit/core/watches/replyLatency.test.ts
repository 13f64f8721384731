import * as assert from 'assert';
import { formatLatencySummary, LATENCY_WINDOW, LatencyRing, NodeReplyLatencies } from '../../../../src/core/watches/replyLatency';
import { Prng } from '../../../../src/core/simulator/prng';

/** The textbook nearest-rank percentile, to check the ring against. */
function nearestRank(values: readonly number[], percentile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((percentile * sorted.length) / 100)) - 1] ?? Number.NaN;
}

describe('replyLatency', () => {
  it('has no summary before the first reply', () => {
    assert.strictEqual(new LatencyRing().summary(), undefined);
    assert.strictEqual(new NodeReplyLatencies().summary('local'), undefined);
  });

  it('takes nearest-rank percentiles: every figure is a latency that happened', () => {
    const ring = new LatencyRing();
    ring.record(820);
    assert.deepStrictEqual(ring.summary(), { count: 1, p50: 820, p95: 820, max: 820 });
    ring.record(100);
    assert.deepStrictEqual(ring.summary(), { count: 2, p50: 100, p95: 820, max: 820 });
    const hundred = new LatencyRing();
    for (let ms = 100; ms >= 1; ms--) {
      hundred.record(ms * 10);
    }
    assert.deepStrictEqual(hundred.summary(), { count: 100, p50: 500, p95: 950, max: 1000 });
    const twenty = new LatencyRing();
    for (let ms = 1; ms <= 20; ms++) {
      twenty.record(ms);
    }
    assert.deepStrictEqual(twenty.summary(), { count: 20, p50: 10, p95: 19, max: 20 });
  });

  it('keeps only the last 100 replies, in fixed memory', () => {
    const ring = new LatencyRing();
    const prng = new Prng(3);
    const all: number[] = [];
    for (let index = 0; index < 1234; index++) {
      const ms = prng.int(0, 5000);
      all.push(ms);
      ring.record(ms);
      const window = all.slice(-LATENCY_WINDOW);
      const summary = ring.summary();
      assert.ok(summary);
      assert.strictEqual(summary.count, window.length);
      assert.strictEqual(summary.p50, nearestRank(window, 50));
      assert.strictEqual(summary.p95, nearestRank(window, 95));
      assert.strictEqual(summary.max, Math.max(...window));
    }
    // A slow reply leaves the summary once 100 newer ones have come.
    const slow = new LatencyRing();
    slow.record(60_000);
    for (let index = 0; index < LATENCY_WINDOW; index++) {
      assert.strictEqual(slow.summary()?.max, 60_000);
      slow.record(5);
    }
    assert.strictEqual(slow.summary()?.max, 5);
  });

  it('drops readings a clock step made impossible', () => {
    const ring = new LatencyRing(4);
    for (const ms of [-1, Number.NaN, Infinity, -Infinity]) {
      assert.strictEqual(ring.record(ms), false);
    }
    assert.strictEqual(ring.count, 0);
    assert.strictEqual(ring.record(0), true);
    assert.deepStrictEqual(ring.summary(), { count: 1, p50: 0, p95: 0, max: 0 });
    assert.throws(() => new LatencyRing(0), RangeError);
    assert.throws(() => new LatencyRing(1.5), RangeError);
  });

  it('keeps each node apart and forgets a removed node', () => {
    const latencies = new NodeReplyLatencies();
    latencies.record('local', 100);
    latencies.record('local', 300);
    latencies.record('staging', 2000);
    assert.strictEqual(latencies.record('never', -5), false);
    assert.strictEqual(latencies.summary('never'), undefined, 'an impossible reading makes no ring');
    assert.deepStrictEqual(latencies.summary('local'), { count: 2, p50: 100, p95: 300, max: 300 });
    assert.deepStrictEqual(latencies.summary('staging'), { count: 1, p50: 2000, p95: 2000, max: 2000 });
    latencies.delete('local');
    assert.strictEqual(latencies.summary('local'), undefined);
    latencies.clear();
    assert.strictEqual(latencies.summary('staging'), undefined);
  });

  it('formats a summary for a tooltip', () => {
    assert.strictEqual(formatLatencySummary({ count: 3, p50: 820, p95: 1400, max: 2100 }), 'p50 820 ms · p95 1.4 s · max 2.1 s');
    assert.strictEqual(formatLatencySummary({ count: 1, p50: 0, p95: 0, max: 125_000 }), 'p50 0 ms · p95 0 ms · max 2 m 5 s');
  });
});
