import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median, type BenchContext, type BenchRow, type BenchSection, type SectionResult } from '../report';
// Types only: the suite runs inside VS Code, not here.
import type { BenchFigures, BenchRound } from '../../test/integration/bench/burst.bench';

const VSCODE_BURST = 50_000;
const TARGETS = { eventLoopP99Ms: 50, redrawsPerSecond: 10, activationMs: 25, vsixKB: 400 };

/** What scripts/bench-vscode.mjs writes with --out. */
interface HarnessOutput {
  readonly figures?: BenchFigures;
  readonly bursts: readonly { readonly messages: number; readonly elapsedMs: number }[];
  readonly renderedRows: number;
  readonly vsix: { readonly bytes: number; readonly files: number };
}

/**
 * The packaged extension in a real VS Code (code-server, its workbench in headless Chromium), run
 * by the harness's bench mode (scripts/bench-vscode.mjs, test/harness/bench.mjs): one fresh launch,
 * `rounds` bursts, then 3 with the Timeline open in the panel. There is no baseline to
 * alternate with; each burst's event-loop delay has an idle stretch of the same length after it, in
 * the same extension host, as its reference, and the bursts with the Timeline open have those
 * with it closed. The table shows medians over the bursts; the first burst (cold code, empty
 * store) is in the JSON.
 */
export const vscodeSection: BenchSection = {
  name: 'vscode',
  title: 'In VS Code (code-server): bursts into the installed extension, activation, VSIX',
  async run(context: BenchContext): Promise<SectionResult> {
    const messages = Math.max(1, Math.round(VSCODE_BURST * context.scale));
    const root = path.resolve(__dirname, '..', '..', '..');
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-bench-vscode-'));
    const outFile = path.join(outDir, 'vscode.json');
    try {
      const args = ['scripts/bench-vscode.mjs', '--messages', String(messages), '--rounds', String(context.rounds), '--out', outFile];
      const code = await runHarness(root, args);
      if (!fs.existsSync(outFile)) {
        throw new Error(`scripts/bench-vscode.mjs ended with exit code ${code} and no results`);
      }
      const output = JSON.parse(fs.readFileSync(outFile, 'utf8')) as HarnessOutput;
      const figures = output.figures;
      if (code !== 0 || !figures) {
        throw new Error(`the bench suite in VS Code failed (exit code ${code}); its output is above`);
      }
      return { rows: rows(messages, figures, output), details: output };
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  },
};

function rows(messages: number, figures: BenchFigures, output: HarnessOutput): BenchRow[] {
  const section = '6. VS Code';
  const count = messages.toLocaleString('en-US');
  const of = (pick: (round: BenchRound) => number) => median(figures.rounds.map(pick));
  const burstP99 = of(({ burst }) => burst.eventLoopDelay.p99Ms);
  const idleP99 = of(({ idle }) => idle.eventLoopDelay.p99Ms);
  const redrawsPerSecond = of(({ burst }) => burst.redrawsPerSecond);
  const activationMs = figures.activation.totalMs;
  const first = figures.rounds[0] as BenchRound;
  const vsixKB = output.vsix.bytes / 1024;
  return [
    eventLoopRow(`extension host event-loop delay p99, ${count}-message burst (baseline: idle, same length)`, idleP99, burstP99),
    {
      section,
      metric: 'the same, first burst only (cold code, empty store)',
      unit: 'ms',
      baseline: first.idle.eventLoopDelay.p99Ms,
      ours: first.burst.eventLoopDelay.p99Ms,
      ratio: first.burst.eventLoopDelay.p99Ms / first.idle.eventLoopDelay.p99Ms,
      target: `(info) < ${TARGETS.eventLoopP99Ms} ms`,
    },
    {
      section,
      metric: 'Messages view redraws per second during the burst (view open)',
      unit: '/s',
      ours: redrawsPerSecond,
      target: `≤ ${TARGETS.redrawsPerSecond}/s`,
      ok: redrawsPerSecond <= TARGETS.redrawsPerSecond,
    },
    ...timelineRows(figures),
    { section, metric: 'V8 GC pauses per burst (median count; first burst in the baseline column)', unit: 'pauses', baseline: first.burst.gcPauses.length, ours: of(({ burst }) => burst.gcPauses.length) },
    {
      section,
      metric: 'the longest V8 GC pause of a burst (median over bursts; first burst in the baseline column)',
      unit: 'ms',
      baseline: longestPause(first),
      ours: of(longestPause),
    },
    { section, metric: `${count} messages received and held, first to last`, unit: 'ms', ours: of(({ burst }) => burst.durationMs) },
    { section, metric: 'the same, as a rate', unit: 'msg/s', ours: of(({ burst }) => burst.messagesPerSecond) },
    {
      section,
      metric: 'activate(), first activation on a fresh profile',
      unit: 'ms',
      ours: activationMs,
      target: `< ${TARGETS.activationMs} ms`,
      ok: activationMs < TARGETS.activationMs,
    },
    {
      section,
      metric: 'VSIX (npm run package)',
      unit: 'KB',
      ours: vsixKB,
      target: `< ${TARGETS.vsixKB} KB`,
      ok: vsixKB < TARGETS.vsixKB,
    },
  ];
}

function longestPause({ burst }: BenchRound): number {
  return burst.gcPauses.reduce((longest, pause) => Math.max(longest, pause.ms), 0);
}

/** An event-loop delay p99 against its baseline, with the burst's target. */
function eventLoopRow(metric: string, baseline: number, ours: number): BenchRow {
  return { section: '6. VS Code', metric, unit: 'ms', baseline, ours, ratio: ours / baseline, target: `< ${TARGETS.eventLoopP99Ms} ms`, ok: ours < TARGETS.eventLoopP99Ms };
}

/** The same bursts with the Timeline open in the panel, against those with it closed. */
function timelineRows(figures: BenchFigures): BenchRow[] {
  if (figures.timelineRounds.length === 0) {
    return [];
  }
  const section = '6. VS Code';
  const closed = (pick: (round: BenchRound) => number) => median(figures.rounds.map(pick));
  const open = (pick: (round: BenchRound) => number) => median(figures.timelineRounds.map(pick));
  const closedP99 = closed(({ burst }) => burst.eventLoopDelay.p99Ms);
  const openP99 = open(({ burst }) => burst.eventLoopDelay.p99Ms);
  const closedRedraws = closed(({ burst }) => burst.redrawsPerSecond);
  const openRedraws = open(({ burst }) => burst.redrawsPerSecond);
  return [
    eventLoopRow('the same burst with the Timeline open in the panel: event-loop delay p99 (baseline: Timeline closed)', closedP99, openP99),
    {
      section,
      metric: 'the same, Messages view redraws per second (baseline: Timeline closed)',
      unit: '/s',
      baseline: closedRedraws,
      ours: openRedraws,
      ratio: openRedraws / closedRedraws,
      target: `≤ ${TARGETS.redrawsPerSecond}/s`,
      ok: openRedraws <= TARGETS.redrawsPerSecond,
    },
    { section, metric: "the same, updates posted to the Timeline's webview per burst (bins and marks, never messages)", unit: 'posts', ours: open(({ timelinePosts }) => timelinePosts ?? 0) },
  ];
}

/** Runs the harness with its output on this terminal; resolves with its exit code. */
function runHarness(cwd: string, args: readonly string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { cwd, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
}
