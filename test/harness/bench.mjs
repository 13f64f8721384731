// The VS Code measurements of `npm run bench` (section 6): the installed extension in code-server,
// its Messages view open in the workbench, takes traffic from simulated nodes that run here, in
// the harness's process, so that sending costs the extension host's event loop nothing. What the
// extension host sees is measured there, by the bench suites (test/integration/bench/*.bench.ts),
// which the runner extension runs instead of the tests, one suite per launch, picked by its title.
// The two sides meet through files in one folder, once per round:
//
//   1. the suite waits until the extension is connected, the view is visible and the extension
//      host is quiet, then writes ready-<round>.json;
//   2. this sends the burst;
//   3. the suite measures until every message has arrived, then an idle stretch of the same
//      length; after the last round it writes figures.json, and the runner the suite's results.
//
// The rounds with the Timeline open follow the others, numbered on from them: the suite opens the
// Timeline in the panel before the first of them.
//
// The scale launch (runScaleBench) has ten simulated nodes and phases instead of rounds; the
// activation launches (runActivationLaunches) only report activate() on a fresh profile each.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeServerVersion } from './launch/code-server.mjs';
import { suitesIndex, waitForFirstFile, waitForResults } from './integration/integration.mjs';
import { CodeServer, profileFolders } from './launch/session.mjs';
import { nodeSettings, runSettings, writeSettings } from './launch/settings.mjs';
import { sendPaced, startSimulator } from './launch/simulator.mjs';
import { MessagesView, Workbench } from './e2e/pages/index.mjs';

export const benchTitle = 'VS Code bench suite (bursts, measured in the extension host)';
export const scaleTitle = 'VS Code bench suite (ten nodes against one, measured in the extension host)';
export const activationTitle = 'VS Code bench suite (activate() on fresh profiles)';
const benchNode = 'Bench node';
// A cold workbench, the extension's activation and its connection, on a busy machine.
const readyTimeoutMs = 120_000;

/** The scale launch: this many simulated nodes share the total rate in the last phase. */
const scaleNodes = 10;
const scaleTotalRate = 10_000;

/**
 * One launch of code-server on `folders` (a fresh profile with the extension and the runner
 * installed): the workbench opened, the Impervious views opened from the activity bar, then
 * `rounds` bursts of `messages`, then `timelineRounds` more with the Timeline open. Resolves with the suite's results (the shape of RunResults), its
 * figures (undefined if it failed before writing them), the sender's side of each burst, and the
 * tree rows the workbench showed at the end.
 */
export async function runBench({ installation, folders, messages, rounds, timelineRounds = 0 }) {
  // The sample peers' traffic, as `npm run sim` sends it: a third of it replies, so threads form.
  const simulator = await startSimulator({ port: 0, rate: 0, seed: 7 });
  try {
    writeSettings(folders.userDataDir, { ...runSettings(), ...nodeSettings(benchNode, simulator.subscribeUrl) });
    const benchDir = path.join(folders.dir, 'bench');
    const launch = await startLaunch(installation, folders, 'bench: bursts', {
      IMPERVIOUS_BENCH_DIR: benchDir,
      IMPERVIOUS_BENCH_MESSAGES: String(messages),
      IMPERVIOUS_BENCH_ROUNDS: String(rounds),
      IMPERVIOUS_BENCH_TIMELINE_ROUNDS: String(timelineRounds),
    });
    try {
      const bursts = [];
      const total = rounds + timelineRounds;
      for (let round = 1; round <= total; round++) {
        if (!(await waitForReady(launch, path.join(benchDir, `ready-${round}.json`), `burst ${round}`))) break;
        const views = round > rounds ? 'its Messages view and the Timeline open' : 'its Messages view open';
        console.log(`Burst ${round} of ${total}: ${messages.toLocaleString('en-US')} messages into the extension, ${views} ...`);
        bursts.push(await simulator.burst(messages));
      }
      const results = await waitForResults(launch.server, launch.resultsFile);
      const renderedRows = await launch.messagesView.rows().count();
      return { results, figures: readJson(path.join(benchDir, 'figures.json')), bursts, renderedRows };
    } finally {
      await launch.server.kill();
    }
  } finally {
    await simulator.close();
  }
}

/**
 * The scale launch, on `folders` (another fresh profile sharing the extensions folder): ten
 * simulated nodes on loopback, each on its own port, all in `impervious.nodes`. A warm-up of a
 * tenth of `seconds` from the first node alone, then the first node alone at 10,000 messages a
 * second for `seconds`, then all ten at 1,000 a second each for as long: the same messages, over
 * ten connections. Resolves with the suite's results, its figures (undefined if it failed before
 * writing them) and what each sender did.
 */
export async function runScaleBench({ installation, folders, seconds }) {
  const simulators = [];
  try {
    for (let index = 0; index < scaleNodes; index++) {
      simulators.push(await startSimulator({ port: 0, rate: 0, seed: 100 + index }));
    }
    const names = simulators.map((_, index) => `Scale node ${index + 1}`);
    const byName = new Map(names.map((name, index) => [name, simulators[index]]));
    writeSettings(folders.userDataDir, {
      ...runSettings(),
      'impervious.nodes': names.map((name) => ({ name, url: byName.get(name).subscribeUrl })),
      'impervious.autoConnect': true,
    });
    const phase = (name, nodes, phaseSeconds) => {
      const ratePerNode = scaleTotalRate / nodes.length;
      return { name, nodes, ratePerNode, seconds: phaseSeconds, messagesPerNode: Math.max(1, Math.round(ratePerNode * phaseSeconds)) };
    };
    // The warm-up compiles the code on the way and fills the first node's store, so that the
    // one-node phase, the baseline, meets neither cold code nor an empty store.
    const phases = [phase('warm-up', names.slice(0, 1), seconds / 10), phase('one-node', names.slice(0, 1), seconds), phase('ten-nodes', names, seconds)];
    const benchDir = path.join(folders.dir, 'bench');
    const launch = await startLaunch(installation, folders, 'bench: ten nodes', {
      IMPERVIOUS_BENCH_DIR: benchDir,
      IMPERVIOUS_BENCH_SCALE: JSON.stringify({ nodes: names, phases }),
    });
    try {
      const senders = [];
      for (const { name, nodes, ratePerNode, seconds: phaseSeconds, messagesPerNode } of phases) {
        if (!(await waitForReady(launch, path.join(benchDir, `ready-${name}.json`), `phase ${name}`))) break;
        console.log(`Phase ${name}: ${nodes.length} node${nodes.length > 1 ? 's' : ''} at ${ratePerNode.toLocaleString('en-US')} messages a second each for ${phaseSeconds} s ...`);
        const sent = await Promise.all(nodes.map((node) => sendPaced(byName.get(node), ratePerNode, messagesPerNode)));
        senders.push({ phase: name, nodes: nodes.map((node, index) => ({ node, ...sent[index] })) });
      }
      const results = await waitForResults(launch.server, launch.resultsFile);
      return { results, figures: readJson(path.join(benchDir, 'figures-scale.json')), senders };
    } finally {
      await launch.server.kill();
    }
  } finally {
    await Promise.all(simulators.map((simulator) => simulator.close()));
  }
}

/**
 * `launches` more launches of code-server, each on a fresh profile under `runDir` (sharing
 * `extensionsDir`) set up as the burst launch's: one simulated node in the settings, the workbench
 * opened, the Messages view shown. Each reports its first activate(). Resolves with each launch's
 * suite results and activation time (undefined where the suite failed before reporting it).
 */
export async function runActivationLaunches({ installation, runDir, extensionsDir, launches }) {
  const simulator = await startSimulator({ port: 0, rate: 0, seed: 7 });
  const done = [];
  try {
    for (let index = 1; index <= launches; index++) {
      const folders = profileFolders(path.join(runDir, `activation-${index}`), { extensionsDir });
      writeSettings(folders.userDataDir, { ...runSettings(), ...nodeSettings(benchNode, simulator.subscribeUrl) });
      const benchDir = path.join(folders.dir, 'bench');
      const launch = await startLaunch(installation, folders, 'bench: activation', { IMPERVIOUS_BENCH_DIR: benchDir });
      try {
        const results = await waitForResults(launch.server, launch.resultsFile);
        done.push({ results, activationMs: readJson(path.join(benchDir, 'activation.json'))?.activationMs });
      } finally {
        await launch.server.kill();
      }
    }
    return done;
  } finally {
    await simulator.close();
  }
}

/**
 * Starts code-server on `folders` with the runner set to run the bench suite whose title starts
 * with `suite`, opens the workbench and, in it, the Messages view: on screen, so that VS Code
 * really renders what the extension redraws.
 */
async function startLaunch(installation, folders, suite, env) {
  if (!existsSync(suitesIndex)) {
    throw new Error(`${path.relative(process.cwd(), suitesIndex)} is missing: compile first with \`tsc -p .\` (npm run bench does).`);
  }
  mkdirSync(env.IMPERVIOUS_BENCH_DIR, { recursive: true });
  const resultsFile = path.join(folders.dir, 'results-bench.json');
  const server = new CodeServer(installation, folders);
  try {
    await server.start({
      env: {
        IMPERVIOUS_TEST_SUITES: suitesIndex,
        IMPERVIOUS_TEST_RESULTS: resultsFile,
        IMPERVIOUS_TEST_KIND: 'benchmarks',
        // One suite a launch, whatever this script's environment says.
        IMPERVIOUS_TEST_GREP: `^${suite}`,
        ...env,
      },
    });
    console.log(`\ncode-server ${codeServerVersion} serves on 127.0.0.1:${server.port} (${suite}); opening the workbench in headless Chromium ...`);
    const page = await server.openWorkbench();
    const workbench = new Workbench(page);
    const messagesView = new MessagesView(page);
    await workbench.waitForLoad();
    await workbench.activityBarItem('Impervious').waitFor({ timeout: readyTimeoutMs });
    await workbench.openViewContainer('Impervious');
    await messagesView.show();
    return { server, messagesView, resultsFile };
  } catch (error) {
    await server.kill();
    throw error;
  }
}

/** Whether the suite became ready for `what`; false when it reported its results instead (it failed before). */
async function waitForReady({ server, resultsFile }, ready, what) {
  return (await waitForFirstFile(server, [ready, resultsFile], readyTimeoutMs, `the bench suite being ready for ${what}`)) === ready;
}

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}
