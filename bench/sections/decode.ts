import { FrameDecoder } from '../../src/core/wire/frameDecoder';
import { SubscribeFrameEncoder } from '../../src/core/simulator/subscribeFrames';
import { benchMessage } from '../frameMix';
import { alternate, median, type BenchContext, type BenchSection, type SectionResult } from '../report';
import { FRAMES } from './throughput';

const TARGET_RATIO = 0.5;

/** The frames the simulator would send, as the bytes `ws` hands over. */
export function benchFrames(count: number, salt: string): Buffer[] {
  const encoder = new SubscribeFrameEncoder();
  return Array.from({ length: count }, (_, index) => Buffer.from(encoder.result(benchMessage(index, salt)), 'utf8'));
}

/**
 * Messages per second of process CPU time (GC threads included): unlike wall time, it does not
 * count the time another process on a busy machine had the core.
 */
function perCpuSecond(messages: number, started: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(started);
  return (messages * 1e6) / (used.user + used.system);
}

export const decodeSection: BenchSection = {
  name: 'decode',
  title: 'Decode cost in memory',
  async run(context: BenchContext): Promise<SectionResult> {
    const count = Math.round(FRAMES * context.scale);
    const frames = benchFrames(count, 'decode');
    const bytes = frames.reduce((sum, frame) => sum + frame.byteLength, 0);
    const decoder = new FrameDecoder({ node: 'bench' });
    const gc = (globalThis as { gc?: () => void }).gc;
    let sink = 0;

    const parseAll = (limit = count): number => {
      gc?.();
      const started = process.cpuUsage();
      for (let i = 0; i < limit; i++) {
        const json = JSON.parse((frames[i] as Buffer).toString()) as { result: { id: string } };
        sink ^= json.result.id.length;
      }
      return perCpuSecond(limit, started);
    };
    const decodeAll = (limit = count): number => {
      gc?.();
      const receivedAt = Date.now();
      let failed = 0;
      const started = process.cpuUsage();
      for (let i = 0; i < limit; i++) {
        const result = decoder.decodeText(frames[i] as Buffer, receivedAt);
        if (result.kind === 'message') {
          sink ^= result.message.id.length;
        } else {
          failed++;
        }
      }
      const rate = perCpuSecond(limit, started);
      if (failed > 0) {
        throw new Error(`${failed} bench frames did not decode to a message`);
      }
      return rate;
    };

    parseAll(Math.min(count, 20_000));
    decodeAll(Math.min(count, 20_000));
    // A pass takes a fraction of a second: more rounds cost little and steady the medians.
    const runs = await alternate(
      Math.max(context.rounds, 9),
      async () => parseAll(),
      async () => decodeAll(),
    );
    context.log(`  JSON.parse ${runs.baseline.map((rate) => Math.round(rate / 1000)).join(', ')} k msg/CPU-s`);
    context.log(`  decode     ${runs.ours.map((rate) => Math.round(rate / 1000)).join(', ')} k msg/CPU-s`);
    const rate = { baseline: median(runs.baseline), ours: median(runs.ours) };
    return {
      rows: [
        {
          section: `2. decode ${count / 1000}k frames in memory`,
          metric: 'toString + JSON.parse vs FrameDecoder.decodeText, from the frame\'s bytes',
          unit: 'msg/CPU-s',
          ...rate,
          ratio: rate.ours / rate.baseline,
          target: `ratio ≥ ${TARGET_RATIO}`,
          ok: rate.ours / rate.baseline >= TARGET_RATIO,
        },
      ],
      details: { frames: count, averageFrameBytes: Math.round(bytes / count), runs, sink },
    };
  },
};
