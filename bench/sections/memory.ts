import type { BenchContext, BenchRow, BenchSection, SectionResult } from '../report';
import { receiveBurst, startSimulator, type ReceiveRun } from './throughput';

const FRAMES = 1_000_000;
const SAMPLES = 10;
const TARGET_MB = 32;
/** "Flat": the heap in the second half of the run may not rise above the first half's by more. */
const FLAT_MB = 2;
const MB = 1024 * 1024;

interface HeapSample {
  readonly at: number;
  readonly heapUsed: number;
  readonly arrayBuffers: number;
}

/**
 * Memory bound over loopback: 1,000,000 frames from the simulator child into a receiver child run
 * with `--expose-gc`, which samples the heap after a forced GC before the burst, every 100k
 * messages, and at the end. Over a real socket rather than fed in-process, so the connection's
 * own buffers are in the figure too.
 */
export const memorySection: BenchSection = {
  name: 'memory',
  title: 'Memory bound with maxMessages 5000',
  async run(context: BenchContext): Promise<SectionResult> {
    const count = Math.round(FRAMES * context.scale);
    const sampleEvery = Math.max(1, Math.floor(count / SAMPLES));
    const { sim, url } = await startSimulator();
    try {
      const burst = (kind: 'baseline' | 'ours') => receiveBurst(sim, url, kind, count, `memory-${kind}`, { execArgv: ['--expose-gc'], sampleEvery });
      const baseline = summarise(await burst('baseline'));
      const ours = summarise(await burst('ours'));
      for (const [kind, run] of [['baseline', baseline], ['ours', ours]] as const) {
        context.log(`  ${kind.padEnd(8)} heap after GC (MB): start ${mb(run.start.heapUsed)}, ${run.samples.map((sample) => mb(sample.heapUsed)).join(', ')}, end ${mb(run.end.heapUsed)}`);
      }
      const section = `3. memory, ${count / 1000}k frames`;
      return {
        rows: [
          { section, metric: 'heap after GC: end − start', unit: 'MB', baseline: baseline.growthMB, ours: ours.growthMB, target: `< ${TARGET_MB} MB`, ok: ours.growthMB < TARGET_MB },
          { section, metric: 'heap + array buffers: end − start', unit: 'MB', baseline: baseline.growthWithBuffersMB, ours: ours.growthWithBuffersMB, target: `< ${TARGET_MB} MB`, ok: ours.growthWithBuffersMB < TARGET_MB },
          { section, metric: 'flat: max 2nd half − max 1st half', unit: 'MB', baseline: baseline.driftMB, ours: ours.driftMB, target: `< ${FLAT_MB} MB`, ok: ours.driftMB < FLAT_MB },
          ...retainedRows(section, ours.retained),
        ],
        details: { frames: count, sampleEvery, baseline, ours },
      };
    } finally {
      await sim.stop();
    }
  },
};

interface Retained {
  readonly held: number;
  readonly dataBytes: number;
  readonly heapBytes: number;
  readonly arrayBufferBytes: number;
}

/**
 * Retained bytes per held message, the store full (5,000) against cleared, after a GC: the heap
 * alone, and with array buffers (where the store keeps its bytes). The target is per message:
 * 1.5 × its data bytes + 200.
 */
function retainedRows(section: string, retained: Retained | undefined): BenchRow[] {
  if (!retained || retained.held === 0) {
    return [];
  }
  const target = (1.5 * retained.dataBytes) / retained.held + 200;
  const row = (metric: string, bytes: number): BenchRow => {
    const ours = bytes / retained.held;
    return { section, metric, unit: 'B', ours, target: `≤ ${target.toFixed(0)} B (1.5 × data + 200)`, ok: ours <= target };
  };
  return [
    row(`retained per held message (${retained.held} held, ${(retained.dataBytes / retained.held).toFixed(0)} B data): heap`, retained.heapBytes),
    row('retained per held message: heap + array buffers', retained.heapBytes + retained.arrayBufferBytes),
  ];
}

function summarise(run: ReceiveRun) {
  const start = run.done.start as HeapSample;
  const end = run.done.end as HeapSample;
  const samples = run.done.samples as HeapSample[];
  const half = Math.floor(samples.length / 2);
  const maxOf = (list: HeapSample[]) => Math.max(...list.map((sample) => sample.heapUsed));
  return {
    start,
    end,
    samples,
    stats: run.done.stats,
    retained: run.done.retained as Retained | undefined,
    messagesPerSecond: run.messagesPerSecond,
    growthMB: (end.heapUsed - start.heapUsed) / MB,
    growthWithBuffersMB: (end.heapUsed + end.arrayBuffers - start.heapUsed - start.arrayBuffers) / MB,
    driftMB: (maxOf(samples.slice(half)) - maxOf(samples.slice(0, half))) / MB,
  };
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}
