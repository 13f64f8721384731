// The VS Code measurements of `npm run bench` (section 6): the installed extension in code-server,
// its Messages view open in the workbench, takes bursts from a simulated node that runs here, in
// the harness's process, so that sending costs the extension host's event loop nothing. What the
// extension host sees is measured there, by the bench suite (test/integration/bench/*.bench.ts),
// which the runner extension runs instead of the tests. The two sides meet through files in one
// folder, once per round:
//
//   1. the suite waits until the extension is connected, the view is visible and the extension
//      host is quiet, then writes ready-<round>.json;
//   2. this sends the burst;
//   3. the suite measures until every message has arrived, then an idle stretch of the same
//      length; after the last round it writes figures.json, and the runner the suite's results.
//
// The rounds with the Timeline open follow the others, numbered on from them: the suite opens the
// Timeline in the panel before the first of them.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeServerVersion } from './launch/code-server.mjs';
import { suitesIndex, waitForFirstFile, waitForResults } from './integration/integration.mjs';
import { CodeServer } from './launch/session.mjs';
import { nodeSettings, runSettings, writeSettings } from './launch/settings.mjs';
import { startSimulator } from './launch/simulator.mjs';
import { MessagesView, Workbench } from './e2e/pages/index.mjs';

export const benchTitle = 'VS Code bench suite (bursts, measured in the extension host)';
const benchNode = 'Bench node';
// A cold workbench, the extension's activation and its connection, on a busy machine.
const readyTimeoutMs = 120_000;

/**
 * One launch of code-server on `folders` (a fresh profile with the extension and the runner
 * installed): the workbench opened, the Impervious views opened from the activity bar, then
 * `rounds` bursts of `messages`, then `timelineRounds` more with the Timeline open. Resolves with the suite's results (the shape of RunResults), its
 * figures (undefined if it failed before writing them), the sender's side of each burst, and the
 * tree rows the workbench showed at the end.
 */
export async function runBench({ installation, folders, messages, rounds, timelineRounds = 0 }) {
  if (!existsSync(suitesIndex)) {
    throw new Error(`${path.relative(process.cwd(), suitesIndex)} is missing: compile first with \`tsc -p .\` (npm run bench does).`);
  }
  // The sample peers' traffic, as `npm run sim` sends it: a third of it replies, so threads form.
  const simulator = await startSimulator({ port: 0, rate: 0, seed: 7 });
  writeSettings(folders.userDataDir, { ...runSettings(), ...nodeSettings(benchNode, simulator.subscribeUrl) });
  const benchDir = path.join(folders.dir, 'bench');
  mkdirSync(benchDir, { recursive: true });
  const resultsFile = path.join(folders.dir, 'results-bench.json');
  const server = new CodeServer(installation, folders);
  try {
    await server.start({
      env: {
        IMPERVIOUS_TEST_SUITES: suitesIndex,
        IMPERVIOUS_TEST_RESULTS: resultsFile,
        IMPERVIOUS_TEST_KIND: 'benchmarks',
        IMPERVIOUS_BENCH_DIR: benchDir,
        IMPERVIOUS_BENCH_MESSAGES: String(messages),
        IMPERVIOUS_BENCH_ROUNDS: String(rounds),
        IMPERVIOUS_BENCH_TIMELINE_ROUNDS: String(timelineRounds),
      },
    });
    console.log(`\ncode-server ${codeServerVersion} serves on 127.0.0.1:${server.port} (bench); opening the workbench in headless Chromium ...`);
    const page = await server.openWorkbench();
    const workbench = new Workbench(page);
    const messagesView = new MessagesView(page);
    await workbench.waitForLoad();
    // The view must be on screen, so that VS Code really renders what the extension redraws.
    await workbench.activityBarItem('Impervious').waitFor({ timeout: readyTimeoutMs });
    await workbench.openViewContainer('Impervious');
    await messagesView.show();

    const bursts = [];
    const total = rounds + timelineRounds;
    for (let round = 1; round <= total; round++) {
      const ready = path.join(benchDir, `ready-${round}.json`);
      // The results instead: the suite failed before it was ready.
      if ((await waitForFirstFile(server, [ready, resultsFile], readyTimeoutMs, `the bench suite being ready for burst ${round}`)) !== ready) break;
      const views = round > rounds ? 'its Messages view and the Timeline open' : 'its Messages view open';
      console.log(`Burst ${round} of ${total}: ${messages.toLocaleString('en-US')} messages into the extension, ${views} ...`);
      bursts.push(await simulator.burst(messages));
    }
    const results = await waitForResults(server, resultsFile);
    const renderedRows = await messagesView.rows().count();
    const figuresFile = path.join(benchDir, 'figures.json');
    const figures = existsSync(figuresFile) ? JSON.parse(readFileSync(figuresFile, 'utf8')) : undefined;
    return { results, figures, bursts, renderedRows };
  } finally {
    await server.kill();
    await simulator.close();
  }
}
