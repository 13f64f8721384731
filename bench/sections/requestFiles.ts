import { minimumAmount } from '../../src/core/sending/amount';
import { requestDiagnostics } from '../../src/core/requests/diagnostics';
import { parseRequestFile } from '../../src/core/requests/parser';
import { alternate, cpuMs, median, type BenchContext, type BenchSection, type SectionResult } from '../report';

const BLOCKS = 10_000;
/** Problems and planning read what parsing produced once over: no more than two parses' worth. */
const TARGET_RATIO = 2;

/**
 * The crafted file of issue 18: every block references the first and the next, so each one closes
 * a cycle through the first. A planner that walks each cycle on its own is quadratic on it.
 */
export function craftedRequestFile(blocks: number): string {
  return Array.from({ length: blocks }, (_, i) => `###\n# @name b${i}\nSEND {{b0.id}}{{b${i + 1}.id}}\n`).join('');
}

export const requestFilesSection: BenchSection = {
  name: 'requests',
  title: 'Request file problems (parse, then plan and check)',
  async run(context: BenchContext): Promise<SectionResult> {
    const blocks = Math.max(10, Math.round(BLOCKS * context.scale));
    const text = craftedRequestFile(blocks);
    const file = parseRequestFile(text);
    const gc = (globalThis as { gc?: () => void }).gc;
    const parse = (): number => {
      gc?.();
      return cpuMs(3, () => parseRequestFile(text).blocks.length);
    };
    const check = (): number => {
      gc?.();
      return cpuMs(3, () => requestDiagnostics(file, { nodeNames: ['sim'], minimumAmount }).length);
    };
    parse();
    check();
    const runs = await alternate(
      Math.max(context.rounds, 7),
      async () => parse(),
      async () => check(),
    );
    context.log(`  parse        ${runs.baseline.map((ms) => ms.toFixed(1)).join(', ')} CPU-ms`);
    context.log(`  diagnostics  ${runs.ours.map((ms) => ms.toFixed(1)).join(', ')} CPU-ms`);
    const ms = { baseline: median(runs.baseline), ours: median(runs.ours) };
    return {
      rows: [
        {
          section: `7. request file, ${blocks.toLocaleString('en-US')} blocks on one cycle (${Math.round(text.length / 1024)} KiB)`,
          metric: 'parse vs diagnostics (cycles, references, names)',
          unit: 'CPU-ms',
          ...ms,
          ratio: ms.ours / ms.baseline,
          target: `ratio ≤ ${TARGET_RATIO}`,
          ok: ms.ours / ms.baseline <= TARGET_RATIO,
        },
      ],
      details: { blocks, chars: text.length, problems: requestDiagnostics(file, { nodeNames: ['sim'], minimumAmount }).length, runs },
    };
  },
};
