// The integration suites (test/integration, compiled into out/) in code-server: the runner
// extension runs them in the extension host and writes the results to a file that this waits for.
//
// VS Code runs twice on the same profile (user data, workspace folder, browser profile), for the
// suites tagged @after-restart: the first launch runs every untagged test and ends cleanly,
// as a user closing VS Code; the second runs only the tagged tests, which check what the first
// left behind. Between them, a check that the first launch really ended cleanly (the extension
// host ran deactivate() and exited) counts as a test of its own.
//
// Suites tagged @untrusted run in a launch of their own, on a profile of their own whose workspace
// folder VS Code does not trust (restricted mode), as a freshly cloned repository's; its
// .vscode/settings.json, written here, is what such a repository could hold.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { codeServerVersion } from '../launch/code-server.mjs';
import { plantDamagedStorage } from '../launch/damaged-storage.mjs';
import { answerWorkbenchQueries, workbenchQueriesEnv } from './workbench-queries.mjs';
import { CodeServer, printTails } from '../launch/session.mjs';
import { restrictedModeSettings, runSettings, writeSettings } from '../launch/settings.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const suitesIndex = path.join(root, 'out', 'test', 'integration', 'index.js');
const resultsTimeoutMs = Number(process.env.IMPERVIOUS_TEST_TIMEOUT_SECONDS ?? 300) * 1000;

/**
 * The untrusted workspace's .vscode/settings.json: a node the extension must never see
 * (`impervious.nodes` is machine-scoped and restricted), and a window-scoped setting that VS Code
 * does apply, which shows the file was read. test/integration/untrusted.test.ts checks both.
 */
export const untrustedWorkspaceSettings = {
  'impervious.nodes': [{ name: 'Evil', url: 'ws://127.0.0.1:9/v1/subscribe' }],
  'impervious.groupBy': 'sender',
  // Machine scope (they shrink the profile-wide journal) and restricted: all three are ignored.
  'impervious.maxMessages': 10,
  'impervious.maxMegabytes': 1,
  'impervious.notifications': 'all',
  // Machine scope and restricted: a cloned repository cannot raise what a run spends unasked.
  'impervious.spendLimitSats': 1000000,
};

/**
 * Runs the suites on `folders` (a fresh profile whose extensions folder holds the extension and
 * the runner), and the @untrusted ones on `untrustedFolders` (another fresh profile, sharing the
 * extensions folder); returns the parts to report, one per launch plus the restart check. Every
 * launch happens on every run: one whose tagged suites went missing reports that it ran nothing,
 * which fails the run unless IMPERVIOUS_TEST_GREP narrowed it.
 * @returns {Promise<import('../report.mjs').Part[]>}
 */
export async function runIntegration({ installation, folders, untrustedFolders }) {
  if (!existsSync(suitesIndex)) {
    throw new Error(`${path.relative(root, suitesIndex)} is missing: compile first with \`tsc -p .\` (npm run test:vscode does).`);
  }
  const { AFTER_RESTART_TAG, UNTRUSTED_TAG } = createRequire(import.meta.url)(suitesIndex);
  const filtered = Boolean(process.env.IMPERVIOUS_TEST_GREP);
  const parts = await runTrusted({ installation, folders, filtered, afterRestartTag: AFTER_RESTART_TAG });
  parts.push({ title: `Integration suites in an untrusted workspace (${UNTRUSTED_TAG})`, results: await runUntrusted(installation, untrustedFolders), filtered });
  return parts;
}

/** The launches on a trusted workspace, around a restart. */
async function runTrusted({ installation, folders, filtered, afterRestartTag }) {
  writeSettings(folders.userDataDir, runSettings());
  const server = new CodeServer(installation, folders);
  const parts = [];
  parts.push({ title: 'Integration suites, first launch', results: await launch(server, 'first'), filtered });
  const stopped = await server.stop();
  parts.push({ title: 'VS Code restart on the same user data and workspace', results: cleanEndCheck(server, stopped, markerFile(folders, 'first')) });
  parts.push({ title: `Integration suites after the restart (${afterRestartTag})`, results: await launch(server, 'after-restart'), filtered });
  await server.kill();
  return parts;
}

/**
 * The launch in restricted mode: workspace trust on, and the workspace folder, with its hostile
 * settings, never trusted.
 */
async function runUntrusted(installation, folders) {
  writeSettings(folders.userDataDir, { ...runSettings(), ...restrictedModeSettings });
  const settingsFile = path.join(folders.folder, '.vscode', 'settings.json');
  mkdirSync(path.dirname(settingsFile), { recursive: true });
  writeFileSync(settingsFile, JSON.stringify(untrustedWorkspaceSettings, null, 2));
  const server = new CodeServer(installation, folders, { workspaceTrust: true });
  const results = await launch(server, 'untrusted');
  await server.kill();
  return results;
}

/** One launch: code-server with the workbench open until the runner reports. */
async function launch(server, phase) {
  const resultsFile = path.join(server.folders.dir, `results-${phase}.json`);
  const queriesDir = path.join(server.folders.dir, `workbench-${phase}`);
  mkdirSync(queriesDir, { recursive: true });
  await server.start({
    env: {
      [workbenchQueriesEnv]: queriesDir,
      IMPERVIOUS_TEST_SUITES: suitesIndex,
      IMPERVIOUS_TEST_RESULTS: resultsFile,
      IMPERVIOUS_TEST_PHASE: phase,
      IMPERVIOUS_TEST_DEACTIVATED: markerFile(server.folders, phase),
    },
    // The first launch starts on damaged storage: activation must not mind.
    prepare: phase === 'first' ? (port) => plantDamagedStorage(server.folders, port) : undefined,
  });
  const which = { first: ' (first launch)', 'after-restart': ' (after the restart)', untrusted: ' (untrusted workspace)' }[phase];
  console.log(`\ncode-server ${codeServerVersion} serves on 127.0.0.1:${server.port}${which}; opening the workbench in headless Chromium ...`);
  const started = Date.now();
  const page = await server.openWorkbench();
  const queries = answerWorkbenchQueries(page, queriesDir);
  const results = await waitForResults(server, resultsFile).finally(() => queries.stop());
  console.log(`The suites reported ${((Date.now() - started) / 1000).toFixed(1)} s after the workbench opened.`);
  return results;
}

/** Where the runner extension's deactivate() leaves its mark for a launch. */
function markerFile(folders, phase) {
  return path.join(folders.dir, `deactivated-${phase}.json`);
}

/**
 * The proof that the first launch ended as a user's VS Code does: the runner extension's
 * deactivate() ran (the extension host deactivates all extensions together, ours included), and
 * the extension host exited on its own, with code 0, before the server was stopped.
 */
function cleanEndCheck(server, { extensionHostExited }, marker) {
  const log = server.extensionHostLog();
  const exit = /Extension host with pid \d+ exiting with code (\d+)/.exec(log);
  const problems = [
    existsSync(marker) ? '' : 'deactivate() did not run in the extension host',
    extensionHostExited ? '' : 'the extension host did not exit after the workbench closed',
    exit?.[1] === '0' ? '' : `the extension host log shows no exit with code 0 (${exit ? `code ${exit[1]}` : 'no exit line'})`,
  ].filter(Boolean);
  const titlePath = ['the first launch ends cleanly: deactivate() runs and the extension host exits with code 0'];
  const results = problems.length === 0
    ? { titlePath, state: 'passed', durationMs: 0 }
    : { titlePath, state: 'failed', durationMs: 0, error: { message: `${problems.join('; ')}.\nExtension host log:\n${log.trimEnd().split('\n').slice(-15).join('\n')}` } };
  const passed = problems.length === 0 ? 1 : 0;
  return { passes: passed, failures: 1 - passed, pending: 0, durationMs: 0, tests: [results] };
}

/** The runner extension's results, once it has written them. */
export async function waitForResults(server, resultsFile) {
  await waitForFirstFile(server, [resultsFile], resultsTimeoutMs, 'results from the runner extension');
  return JSON.parse(readFileSync(resultsFile, 'utf8'));
}

/**
 * Resolves with the first of `files` to exist (the suites write theirs atomically); throws when
 * code-server exits first or `timeoutMs` passes, saying it waited for `what`.
 */
export async function waitForFirstFile(server, files, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = files.find((file) => existsSync(file));
    if (found) return found;
    if (server.exited) {
      throw new LaunchError(`code-server exited (${server.child?.exitCode ?? server.child?.signalCode}) before ${what}.`, server);
    }
    if (Date.now() >= deadline) {
      throw new LaunchError(`No ${what} within ${timeoutMs / 1000} s.`, server);
    }
    await delay(250);
  }
}

/** A launch that went wrong as a whole; `details()` prints the logs to look at. */
class LaunchError extends Error {
  constructor(message, server) {
    super(message);
    this.logFiles = server.logFiles();
  }

  details() {
    printTails(this.logFiles);
  }
}
