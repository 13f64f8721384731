// The VS Code part of the benchmark, on the packaged extension in code-server (see
// test/harness/bench.mjs): event-loop delay and tree redraws in the extension host during bursts
// from a simulated node, each against an idle stretch of the same length, then the same bursts
// with the Timeline open in the panel, the time to hold a burst, activate() on fresh profiles and
// the VSIX size; then, in a launch of its own, ten simulated nodes at 1,000 messages a second each
// against one at 10,000. `npm run bench` runs it as its last section (bench/sections/vscode.ts)
// and reads the JSON.
//
//   node scripts/bench-vscode.mjs [--messages 50000] [--rounds 5] [--timeline-rounds 3]
//                                 [--activations 5] [--scale-seconds 30] [--out figures.json]
//
// --activations counts the burst launch: 5 means 4 more launches on fresh profiles, for activate()
// alone. --scale-seconds 0 leaves the scale launch out.
//
// Needs `tsc -p .` first (the bench suites and the simulator run from out/). Environment as for
// test-vscode.mjs (IMPERVIOUS_TEST_SETTINGS, IMPERVIOUS_TEST_KEEP, IMPERVIOUS_TEST_TIMEOUT_SECONDS),
// and IMPERVIOUS_BENCH_PROFILE=<file.cpuprofile> for a CPU profile of the extension host during
// the first burst (IMPERVIOUS_BENCH_PROFILE_ROUND=<n>: the nth instead).
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { activationTitle, benchTitle, runActivationLaunches, runBench, runScaleBench, scaleTitle } from '../test/harness/bench.mjs';
import { codeServerCacheDir, ensureCodeServer } from '../test/harness/launch/code-server.mjs';
import { printPart, succeeded } from '../test/harness/report.mjs';
import { createRunFolder } from '../test/harness/launch/run-folder.mjs';
import { runScript } from '../test/harness/launch/script-lifecycle.mjs';
import { profileFolders } from '../test/harness/launch/session.mjs';
import { describeVsix, packageAndInstall } from '../test/harness/launch/vsix.mjs';

runScript('bench:vscode', async () => {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '50000' },
      rounds: { type: 'string', default: '5' },
      'timeline-rounds': { type: 'string' },
      activations: { type: 'string', default: '5' },
      'scale-seconds': { type: 'string', default: '30' },
      out: { type: 'string' },
    },
  });
  const messages = Number(values.messages);
  const rounds = Number(values.rounds);
  // Three unless told (fewer if there are fewer closed rounds): the bench stays within half a minute more.
  const timelineRounds = Number(values['timeline-rounds'] ?? Math.min(rounds, 3));
  const activations = Number(values.activations);
  const scaleSeconds = Number(values['scale-seconds']);
  if (!Number.isInteger(messages) || messages < 1 || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(timelineRounds) || timelineRounds < 0) {
    throw new Error('--messages and --rounds need whole numbers ≥ 1, --timeline-rounds one ≥ 0');
  }
  if (!Number.isInteger(activations) || activations < 1 || !(scaleSeconds >= 0)) {
    throw new Error('--activations needs a whole number ≥ 1, --scale-seconds a number ≥ 0');
  }
  const started = Date.now();
  const installation = ensureCodeServer(codeServerCacheDir);
  const runDir = createRunFolder('imp-bench-');
  const folders = profileFolders(path.join(runDir, 'bench'));
  const { vsix } = packageAndInstall({ installation, runDir, folders, withRunner: true });
  const vsixFacts = { bytes: statSync(vsix).size, files: describeVsix(vsix).entries };

  const { results, figures, bursts, renderedRows } = await runBench({ installation, folders, messages, rounds, timelineRounds });
  const parts = [{ title: benchTitle, results }];
  printPart(parts[0]);
  if (figures) printFigures(figures, bursts, renderedRows, vsixFacts);

  // The burst launch's activation is the first of them: the others are set up alike.
  const launches = await runActivationLaunches({ installation, runDir, extensionsDir: folders.extensionsDir, launches: activations - 1 });
  const activationPart = { title: activationTitle, results: mergeResults(launches.map(({ results: launchResults }) => launchResults)) };
  const activationsMs = [figures?.activation.totalMs, ...launches.map(({ activationMs }) => activationMs)];
  if (launches.length > 0) {
    parts.push(activationPart);
    printPart(activationPart);
  }
  console.log(`  activate() on ${activationsMs.length} fresh profiles: ${activationsMs.map((ms) => (ms === undefined ? '(none)' : `${ms.toFixed(1)} ms`)).join(', ')}`);

  let scale;
  if (scaleSeconds > 0) {
    scale = await runScaleBench({ installation, folders: profileFolders(path.join(runDir, 'scale'), { extensionsDir: folders.extensionsDir }), seconds: scaleSeconds });
    const scalePart = { title: scaleTitle, results: scale.results };
    parts.push(scalePart);
    printPart(scalePart);
    if (scale.figures) printScaleFigures(scale.figures, scale.senders);
  }
  console.log(`The VS Code bench took ${((Date.now() - started) / 1000).toFixed(1)} s, packaging included.`);
  if (values.out) {
    mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    writeFileSync(values.out, JSON.stringify({ results, figures, bursts, renderedRows, vsix: vsixFacts, activationsMs, scale }, null, 2));
  }
  return succeeded(parts) && figures && activationsMs.every((ms) => ms !== undefined) && (scaleSeconds === 0 || scale?.figures) ? 0 : 1;
});

/** The results of several launches of one suite as one part's. */
function mergeResults(all) {
  const sum = (pick) => all.reduce((total, results) => total + pick(results), 0);
  return {
    passes: sum((results) => results.passes),
    failures: sum((results) => results.failures),
    pending: sum((results) => results.pending),
    durationMs: sum((results) => results.durationMs),
    tests: all.flatMap((results) => results.tests),
  };
}

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
  console.log(`  activate() in this launch ${ms(figures.activation.totalMs)} (it does not wait for SecretStorage, whose round trip took ${ms(figures.activation.secretsRoundTripMs)})`);
  console.log(`  VSIX ${(vsixFacts.bytes / 1024).toFixed(0)} KB, ${vsixFacts.files} files`);
}

function printScaleFigures(figures, senders) {
  const ms = (value) => `${value.toFixed(1)} ms`;
  const rate = (value) => Math.round(value).toLocaleString('en-US');
  console.log(`  maxMessages ${figures.maxMessages} a node; activate() in this launch (ten nodes) ${ms(figures.activationMs)}`);
  console.log('  phase       nodes × msg/s      event-loop p99   max        held up  received/s  sent/s    redraws/s  root fetches  held (all nodes)');
  for (const phase of figures.phases) {
    const sent = senders.find((entry) => entry.phase === phase.name)?.nodes ?? [];
    const sentRate = sent.reduce((total, node) => total + node.messagesPerSecond, 0);
    console.log(
      `  ${phase.name.padEnd(10)}  ${`${phase.nodes.length} × ${rate(phase.ratePerNode)}`.padEnd(16)}  ${ms(phase.burst.eventLoopDelay.p99Ms).padStart(14)}  ${ms(phase.burst.eventLoopDelay.maxMs).padStart(9)}` +
        `  ${`${((100 * phase.burst.stalledMs) / phase.burst.durationMs).toFixed(0)} %`.padStart(7)}` +
        `  ${rate(phase.burst.messagesPerSecond).padStart(10)}  ${rate(sentRate).padStart(7)}  ${phase.burst.redrawsPerSecond.toFixed(1).padStart(9)}  ${String(phase.burst.rootFetches).padStart(12)}  ${phase.heldByAllNodes}`,
    );
  }
}
