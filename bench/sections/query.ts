import type { NodeMessage } from '../../src/core/nodeMessage';
import { parseQuery } from '../../src/core/query/query';
import { benchMessage } from '../frameMix';
import { cpuMs, median, type BenchContext, type BenchSection, type SectionResult } from '../report';

const HELD = 5000;
/** The Messages view filters its held messages again at each redraw: a warm pass must fit in a frame. */
const TARGET_WARM_MS = 5;
const WARM_PASSES = 20;
/** Field terms, a word in the text and a JSON path: every kind of cost a query has. */
const BENCH_QUERY = 'from:02 -is:reply (json.type=order OR coffee) amount>=1';

/** The bench mix as held messages: fresh objects, so nothing of an earlier round is cached. */
function heldMessages(count: number, round: number): NodeMessage[] {
  return Array.from({ length: count }, (_, index) => ({ ...benchMessage(index, `query-${round}`), node: 'local', receivedAt: 1_700_000_000_000 + index }));
}

export const querySection: BenchSection = {
  name: 'query',
  title: 'Query filter over held messages (first pass, then warm)',
  async run(context: BenchContext): Promise<SectionResult> {
    const held = Math.max(100, Math.round(HELD * context.scale));
    const parsed = parseQuery(BENCH_QUERY);
    if (!parsed.ok) {
      throw new Error(`the bench query does not parse: ${parsed.error.message}`);
    }
    const { query } = parsed;
    const gc = (globalThis as { gc?: () => void }).gc;
    const first: number[] = [];
    const warm: number[] = [];
    let matching = 0;
    for (let round = 0; round < Math.max(context.rounds, 5); round++) {
      const messages = heldMessages(held, round);
      gc?.();
      const pass = (): number => messages.reduce((count, message) => count + (query.matches(message, 0) ? 1 : 0), 0);
      first.push(cpuMs(1, pass));
      warm.push(cpuMs(WARM_PASSES, pass));
      matching = pass();
    }
    context.log(`  first pass  ${first.map((ms) => ms.toFixed(2)).join(', ')} CPU-ms`);
    context.log(`  warm pass   ${warm.map((ms) => ms.toFixed(2)).join(', ')} CPU-ms (${matching} of ${held} match)`);
    const ms = { baseline: median(first), ours: median(warm) };
    return {
      rows: [
        {
          section: `9. query filter over ${held.toLocaleString('en-US')} held messages`,
          metric: 'first pass vs warm pass',
          unit: 'CPU-ms',
          ...ms,
          ratio: ms.ours / ms.baseline,
          target: `warm < ${TARGET_WARM_MS} ms`,
          ok: ms.ours < TARGET_WARM_MS,
        },
      ],
      details: { held, query: BENCH_QUERY, matching, first, warm },
    };
  },
};
