import { BenchChild } from '../child';
import { alternate, median, percentile, type BenchContext, type BenchSection, type SectionResult } from '../report';
import type { ReceiverKind } from '../receiverProcess';
import { startSimulator } from './throughput';

const REPLIES = 1000;
const BACKGROUND_RATE = 5000;
/** A watched reply every 2 ms: 1,000 of them take 2 s, so five rounds a side fit in half a minute. */
const INTERVAL_MS = 2;
const TARGET_P99_MS = 20;

interface LatencyRun {
  readonly kind: ReceiverKind;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly received: number;
  readonly messagesSent: number;
  readonly elapsedMs: number;
}

/**
 * Awaited-reply latency: the simulator child sends 5,000 sample messages a second and, among them,
 * 1,000 replies to IDs the receiver watches. Each reply carries the time it was sent, as
 * `performance.timeOrigin + performance.now()`: wall-clock based with sub-millisecond resolution in
 * both processes, so the two clocks agree to within the offset the section measures and reports.
 */
export const latencySection: BenchSection = {
  name: 'latency',
  title: 'Awaited-reply latency under background load',
  async run(context: BenchContext): Promise<SectionResult> {
    const replies = Math.max(10, Math.round(REPLIES * Math.min(1, context.scale)));
    // A p99 of one round is its tenth-worst reply: one stall of the machine moves it, so the
    // median of several rounds is what is reported.
    const rounds = context.rounds;
    const { sim, url } = await startSimulator();
    const offsets: number[] = [];
    try {
      let round = 0;
      const one = async (kind: ReceiverKind): Promise<LatencyRun> => {
        const salt = `latency${round++}`;
        const receiver = BenchChild.start(`${kind} receiver`, 'receiverProcess');
        try {
          await receiver.request({ type: 'latency', kind, url, replies, salt }, 'ready', 30_000);
          await sim.request({ type: 'subscribers', count: 1 }, 'subscribers');
          offsets.push((await clockOffset(sim)) - (await clockOffset(receiver)));
          const sent = await sim.request({ type: 'latency', replies, intervalMs: INTERVAL_MS, rate: BACKGROUND_RATE, salt, warmupMs: 300, cooldownMs: 100 }, 'latency');
          const done = await receiver.next('done', 30_000);
          const latencies = done.latencies as number[];
          const run = {
            kind,
            p50: percentile(latencies, 50),
            p99: percentile(latencies, 99),
            max: Math.max(...latencies),
            received: done.received as number,
            messagesSent: sent.messagesSent as number,
            elapsedMs: sent.elapsedMs as number,
          };
          context.log(`  ${kind.padEnd(8)} p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(2)} ms, max ${run.max.toFixed(1)} ms; ${run.messagesSent} messages sent`);
          return run;
        } finally {
          await receiver.stop();
          await sim.request({ type: 'subscribers', count: 0 }, 'subscribers');
        }
      };
      const runs = await alternate(rounds, () => one('baseline'), () => one('ours'));
      const p50 = { baseline: median(runs.baseline.map((run) => run.p50)), ours: median(runs.ours.map((run) => run.p50)) };
      const p99 = { baseline: median(runs.baseline.map((run) => run.p99)), ours: median(runs.ours.map((run) => run.p99)) };
      const section = `4. ${replies} watched replies, ${BACKGROUND_RATE} msg/s load`;
      return {
        rows: [
          { section, metric: 'reply latency p50', unit: 'ms', ...p50, ratio: p50.ours / p50.baseline },
          { section, metric: 'reply latency p99', unit: 'ms', ...p99, ratio: p99.ours / p99.baseline, target: `< ${TARGET_P99_MS} ms`, ok: p99.ours < TARGET_P99_MS },
        ],
        details: {
          replies,
          backgroundRate: BACKGROUND_RATE,
          intervalMs: INTERVAL_MS,
          clock: 'performance.timeOrigin + performance.now() in both processes',
          clockOffsetsMs: offsets,
          runs,
        },
      };
    } finally {
      await sim.stop();
    }
  },
};

/**
 * How far the child's clock is ahead of ours, from the ping with the shortest round trip (its
 * error is at most half that round trip).
 */
async function clockOffset(child: BenchChild): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const sent = performance.timeOrigin + performance.now();
    const { now } = await child.request({ type: 'clock' }, 'clock');
    const back = performance.timeOrigin + performance.now();
    if (back - sent < best.rtt) {
      best = { rtt: back - sent, offset: (now as number) - (sent + back) / 2 };
    }
  }
  return best.offset;
}
