// The VS Code part of the benchmark, on the packaged extension in code-server (see
// test/harness/bench.mjs): event-loop delay and tree redraws in the extension host during bursts
// from a simulated node, each against an idle stretch of the same length, then the same bursts
// with the Timeline open in the panel, the time to hold a burst, activate() time and the VSIX size. `npm run bench` runs it as its last section
// (bench/sections/vscode.ts) and reads the JSON.
//
//   node scripts/bench-vscode.mjs [--messages 50000] [--rounds 5] [--timeline-rounds 3] [--out figures.json]
//
// Needs `tsc -p .` first (the bench suite and the simulator run from out/). Environment as for
// test-vscode.mjs (IMPERVIOUS_TEST_SETTINGS, IMPERVIOUS_TEST_KEEP, IMPERVIOUS_TEST_TIMEOUT_SECONDS),
// and IMPERVIOUS_BENCH_PROFILE=<file.cpuprofile> for a CPU profile of the extension host during
// the first burst.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { benchTitle, runBench } from '../test/harness/bench.mjs';
import { codeServerCacheDir, ensureCodeServer } from '../test/harness/launch/code-server.mjs';
import { printPart, succeeded } from '../test/harness/report.mjs';
import { createRunFolder } from '../test/harness/launch/run-folder.mjs';
import { runScript } from '../test/harness/launch/script-lifecycle.mjs';
import { profileFolders } from '../test/harness/launch/session.mjs';
import { describeVsix, packageAndInstall } from '../test/harness/launch/vsix.mjs';

runScript('bench:vscode', async () => {
  const { values } = parseArgs({
    options: { messages: { type: 'string', default: '50000' }, rounds: { type: 'string', default: '5' }, 'timeline-rounds': { type: 'string' }, out: { type: 'string' } },
  });
  const messages = Number(values.messages);
  const rounds = Number(values.rounds);
  // Three unless told (fewer if there are fewer closed rounds): the bench stays within half a minute more.
  const timelineRounds = Number(values['timeline-rounds'] ?? Math.min(rounds, 3));
  if (!Number.isInteger(messages) || messages < 1 || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(timelineRounds) || timelineRounds < 0) {
    throw new Error('--messages and --rounds need whole numbers ≥ 1, --timeline-rounds one ≥ 0');
  }
  const started = Date.now();
  const installation = ensureCodeServer(codeServerCacheDir);
  const runDir = createRunFolder('imp-bench-');
  const folders = profileFolders(path.join(runDir, 'bench'));
  const { vsix } = packageAndInstall({ installation, runDir, folders, withRunner: true });
  const vsixFacts = { bytes: statSync(vsix).size, files: describeVsix(vsix).entries };

  const { results, figures, bursts, renderedRows } = await runBench({ installation, folders, messages, rounds, timelineRounds });
  const part = { title: benchTitle, results };
  printPart(part);
  if (figures) printFigures(figures, bursts, renderedRows, vsixFacts);
  console.log(`The VS Code bench took ${((Date.now() - started) / 1000).toFixed(1)} s, packaging included.`);
  if (values.out) {
    mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    writeFileSync(values.out, JSON.stringify({ results, figures, bursts, renderedRows, vsix: vsixFacts }, null, 2));
  }
  return succeeded([part]) && figures ? 0 : 1;
});

function printFigures(figures, bursts, renderedRows, vsixFacts) {
  const ms = (value) => `${value.toFixed(1)} ms`;
  console.log(`  VS Code ${figures.vscodeVersion}, extension host Node ${figures.node}; ${figures.messages.toLocaleString('en-US')} messages a burst, maxMessages ${figures.maxMessages}`);
  console.log('  burst  event-loop p99 (idle)   max (idle)     held in   msg/s    redraws/s  root fetches  sender     Timeline posts');
  [...figures.rounds, ...figures.timelineRounds].forEach(({ burst, idle, timelinePosts }, index) => {
    console.log(
      `  ${String(index + 1).padStart(5)}  ${ms(burst.eventLoopDelay.p99Ms).padStart(8)} (${ms(idle.eventLoopDelay.p99Ms)})  ${ms(burst.eventLoopDelay.maxMs).padStart(8)} (${ms(idle.eventLoopDelay.maxMs)})` +
        `  ${ms(burst.durationMs).padStart(9)}  ${Math.round(burst.messagesPerSecond).toLocaleString('en-US').padStart(7)}  ${burst.redrawsPerSecond.toFixed(1).padStart(9)}  ${String(burst.rootFetches).padStart(12)}  ${(bursts[index] ? ms(bursts[index].elapsedMs) : '').padEnd(9)}` +
        `  ${timelinePosts === undefined ? '(closed)' : timelinePosts}`,
    );
  });
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  const of = (pick) => median(figures.rounds.map(pick));
  console.log(
    `  median ${ms(of((r) => r.burst.eventLoopDelay.p99Ms)).padStart(7)} (${ms(of((r) => r.idle.eventLoopDelay.p99Ms))})` +
      `; held in ${ms(of((r) => r.burst.durationMs))}; ${of((r) => r.burst.redrawsPerSecond).toFixed(1)} redraws/s; ${renderedRows} rows shown at the end`,
  );
  if (figures.timelineRounds.length > 0) {
    const open = (pick) => median(figures.timelineRounds.map(pick));
    console.log(
      `  Timeline open: median ${ms(open((r) => r.burst.eventLoopDelay.p99Ms))} (${ms(open((r) => r.idle.eventLoopDelay.p99Ms))}); held in ${ms(open((r) => r.burst.durationMs))}` +
        `; ${open((r) => r.burst.redrawsPerSecond).toFixed(1)} redraws/s; ${open((r) => r.timelinePosts)} updates posted to the webview a burst`,
    );
  }
  console.log(`  activate() ${ms(figures.activation.totalMs)} (it does not wait for SecretStorage, whose round trip took ${ms(figures.activation.secretsRoundTripMs)})`);
  console.log(`  VSIX ${(vsixFacts.bytes / 1024).toFixed(0)} KB, ${vsixFacts.files} files`);
}
