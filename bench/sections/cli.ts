import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startSimulatedNode } from '../../src/core/simulator/simulatedNode';
import { median, type BenchContext, type BenchSection, type SectionResult } from '../report';

const BLOCKS = 200;
const REPLY_DELAY_MS = 20;
const TARGET_RATIO = 1.1;
const PEER = '02' + '5a'.repeat(32);

interface CliRun {
  /** From the first block's start to the last block's result, as the run reports it. */
  readonly runMs: number;
  /** Σ of the blocks' reply latencies (each from its send to its reply). */
  readonly latencyMs: number;
  /** The whole process: Node's start, the connection and the run. */
  readonly processMs: number;
}

/**
 * `impervious-events run` over a 200-block file against the simulated node (peers answer after
 * 20 ms): the run's wall time against the sum of its replies' latencies. Blocks run one after the
 * other, so the difference is the runner's own work between replies (parsing, references, spend
 * rules, reports, output): the ratio is its overhead.
 */
export const cliSection: BenchSection = {
  name: 'cli',
  title: `Command line: a ${BLOCKS}-block request file against the simulated node`,
  async run(context: BenchContext): Promise<SectionResult> {
    const root = path.resolve(__dirname, '..', '..', '..');
    execFileSync(process.execPath, ['scripts/build.mjs', '--production', '--cli-only'], { cwd: root, stdio: 'inherit' });
    const blocks = Math.max(10, Math.round(BLOCKS * Math.min(1, context.scale)));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-bench-cli-'));
    const file = path.join(dir, 'bench.imp');
    fs.writeFileSync(file, `@peer = ${PEER}\n${Array.from({ length: blocks }, (_, i) => `### block ${i + 1}\nSEND {{peer}}\n\nping ${i + 1}\n\n> expect reply within 5s\n> expect reply.data contains "ping ${i + 1}"\n`).join('\n')}`);
    const sim = await startSimulatedNode({ port: 0, seed: 9, replyDelayMs: REPLY_DELAY_MS });
    const runs: CliRun[] = [];
    try {
      // Each round is ~200 × 25 ms; three rounds give a median without making the benchmark long.
      for (let round = 0; round < Math.min(3, context.rounds); round++) {
        const report = path.join(dir, `round${round}.json`);
        const started = performance.now();
        const code = await runCli(root, ['run', file, '--node', sim.subscribeUrl, '--json', report, '--spend-limit', String(blocks)]);
        const processMs = performance.now() - started;
        if (code !== 0) {
          throw new Error(`impervious-events run exited ${code}`);
        }
        const json = JSON.parse(fs.readFileSync(report, 'utf8')) as { files: { elapsedMs: number; blocks: { latencyMs?: number }[] }[] };
        const run = {
          runMs: json.files[0]!.elapsedMs,
          latencyMs: json.files[0]!.blocks.reduce((sum, block) => sum + (block.latencyMs ?? 0), 0),
          processMs,
        };
        runs.push(run);
        context.log(`  run ${run.runMs.toFixed(0)} ms, Σ reply latency ${run.latencyMs.toFixed(0)} ms (ratio ${(run.runMs / run.latencyMs).toFixed(3)}); process ${run.processMs.toFixed(0)} ms`);
      }
    } finally {
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const runMs = median(runs.map((run) => run.runMs));
    const latencyMs = median(runs.map((run) => run.latencyMs));
    const ratio = median(runs.map((run) => run.runMs / run.latencyMs));
    const section = `8. command line, ${blocks} blocks`;
    return {
      rows: [
        { section, metric: 'run wall time vs Σ reply latency', unit: 'ms', baseline: latencyMs, ours: runMs, ratio, target: `ratio ≤ ${TARGET_RATIO}`, ok: ratio <= TARGET_RATIO },
        { section, metric: 'process wall time (start, connect, run)', unit: 'ms', ours: median(runs.map((run) => run.processMs)) },
      ],
      details: { blocks, replyDelayMs: REPLY_DELAY_MS, runs },
    };
  },
};

/** The built CLI as a child, so this process's event loop keeps serving the simulated node. */
function runCli(root: string, args: readonly string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', resolve);
  });
}
