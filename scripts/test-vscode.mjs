// Runs the integration suites (test/integration, compiled into out/) inside a real VS Code:
// code-server from the npm registry, with its workbench open in Debian's headless Chromium.
//
// The extension is installed from its packaged VSIX, next to a small runner extension
// (test/runner-extension) that runs the suites in the extension host and writes the results to a
// file; this script waits for that file, prints the results and exits non-zero on any failure.
//
// Environment:
//   IMPERVIOUS_TEST_SETTINGS  VS Code settings for the run: inline JSON or a path to a JSON file,
//                             merged over the quiet defaults in vscode-test/settings.mjs.
//   IMPERVIOUS_TEST_GREP      run only the tests whose full title matches.
//   IMPERVIOUS_TEST_KEEP=1    keep the run's folder (logs, user data, VSIX) and print its path.
//   IMPERVIOUS_TEST_TIMEOUT_SECONDS  how long to wait for the results once the workbench is open
//                             (default 300).
//   Every other variable reaches the extension host (and so the suites) unchanged.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { codeServerVersion, ensureCodeServer, findFreePort, installExtensions, outsideNpmRun, startCodeServer, waitUntilServing } from './vscode-test/code-server.mjs';
import { endTree, killProcessesUsing, killTreeNow } from './vscode-test/process-tree.mjs';
import { printResults, succeeded } from './vscode-test/report.mjs';
import { runSettings, writeSettings } from './vscode-test/settings.mjs';
import { openWorkbench } from './vscode-test/workbench.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = path.join(root, '.vscode-test', 'code-server');
const suitesIndex = path.join(root, 'out', 'test', 'integration', 'index.js');
const runnerSource = path.join(root, 'test', 'runner-extension');
const vsceBin = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

const serveTimeoutMs = 30_000;
const resultsTimeoutMs = Number(process.env.IMPERVIOUS_TEST_TIMEOUT_SECONDS ?? 300) * 1000;

/** What is running and what must be undone; cleaned up once on every way out. */
const state = { runDir: undefined, serverPid: undefined, browser: undefined, cleaning: undefined };

async function main() {
  if (!existsSync(suitesIndex)) {
    throw new Error(`${path.relative(root, suitesIndex)} is missing: compile first with \`tsc -p .\` (npm run test:vscode does).`);
  }
  const installation = ensureCodeServer(cacheDir);
  const run = createRunFolders();

  const started = Date.now();
  const vsixFiles = [packageExtension(run), packageRunner(run)];
  installExtensions(installation, vsixFiles, { ...run, env: serverEnvironment(run, installation) });
  writeSettings(run.userDataDir, runSettings());

  const port = await findFreePort();
  const server = startCodeServer(installation, { ...run, port, env: serverEnvironment(run, installation), logFd: openSync(run.serverLog, 'a') });
  state.serverPid = server.pid;
  await waitUntilServing(server, port, serveTimeoutMs);
  console.log(`code-server ${codeServerVersion} serves on 127.0.0.1:${port}; opening the workbench in headless Chromium ...`);

  state.browser = await openWorkbench({ port, folder: run.folder, runDir: run.runDir, env: browserEnvironment(run) });
  const results = await waitForResults(run, server);
  console.log(`Integration suites finished ${secondsSince(started)} s after packaging began.`);
  printResults(results);
  return succeeded(results) ? 0 : 1;
}

/** Every run starts from nothing: its own extensions, user data, workspace, temp and config folders. */
function createRunFolders() {
  // Short prefix: Unix socket paths under TMPDIR must stay below 108 bytes.
  const runDir = mkdtempSync(path.join(tmpdir(), 'imp-vsc-'));
  state.runDir = runDir;
  const run = {
    runDir,
    extensionsDir: path.join(runDir, 'extensions'),
    userDataDir: path.join(runDir, 'user-data'),
    folder: path.join(runDir, 'workspace'),
    tmp: path.join(runDir, 'tmp'),
    xdg: path.join(runDir, 'xdg'),
    serverLog: path.join(runDir, 'code-server.log'),
    resultsFile: path.join(runDir, 'results.json'),
  };
  for (const dir of [run.extensionsDir, run.userDataDir, run.folder, run.tmp, run.xdg]) mkdirSync(dir, { recursive: true });
  return run;
}

function packageExtension(run) {
  // The package script builds for production first (vscode:prepublish) and holds vsce's flags.
  const vsix = path.join(run.runDir, 'impervious-events.vsix');
  runQuietly('npm', ['run', '--silent', 'package', '--', '--out', vsix], root);
  console.log(`Packaged the extension: ${vsix} (${Math.round(statSync(vsix).size / 1024)} KB)`);
  return vsix;
}

function packageRunner(run) {
  const vsix = path.join(run.runDir, 'impervious-events-test-runner.vsix');
  runQuietly(process.execPath, [vsceBin, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], runnerSource);
  return vsix;
}

function runQuietly(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}${result.stderr}`);
  }
}

/**
 * The environment of code-server, which its extension host inherits. Temp and config folders point
 * into the run folder so nothing is left in HOME or /tmp. VSCODE_* variables of a VS Code this
 * script may have been started from would make code-server talk to that one instead; npm's own
 * variables describe this script's npm and Node, not the extension host's.
 */
function serverEnvironment(run, installation) {
  const inherited = Object.entries(outsideNpmRun(process.env)).filter(([name]) => !name.startsWith('VSCODE_') && name !== 'ELECTRON_RUN_AS_NODE');
  return {
    ...Object.fromEntries(inherited),
    ...contained(run),
    PATH: installation.pathWithNode,
    // As when VS Code is started from a terminal: the environment is already the user's shell's,
    // so the server skips starting a login shell (in a session of its own) to read it.
    VSCODE_CLI: '1',
    // No marketplace: the extensions come from VSIX files, and the only network is loopback.
    EXTENSIONS_GALLERY: '{}',
    IMPERVIOUS_TEST_SUITES: suitesIndex,
    IMPERVIOUS_TEST_RESULTS: run.resultsFile,
  };
}

function browserEnvironment(run) {
  return { ...process.env, ...contained(run) };
}

function contained(run) {
  return {
    TMPDIR: run.tmp,
    XDG_CONFIG_HOME: path.join(run.xdg, 'config'),
    XDG_DATA_HOME: path.join(run.xdg, 'data'),
    XDG_CACHE_HOME: path.join(run.xdg, 'cache'),
  };
}

async function waitForResults(run, server) {
  const deadline = Date.now() + resultsTimeoutMs;
  while (!existsSync(run.resultsFile)) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new HarnessError(`code-server exited (${server.exitCode ?? server.signalCode}) before the suites reported.`, run);
    }
    if (Date.now() >= deadline) {
      throw new HarnessError(`No results from the runner extension within ${resultsTimeoutMs / 1000} s.`, run);
    }
    await delay(250);
  }
  return JSON.parse(readFileSync(run.resultsFile, 'utf8'));
}

/** A failure of the run itself; carries where to look. */
class HarnessError extends Error {
  constructor(message, run) {
    super(message);
    this.run = run;
  }
}

function printLogTails(run) {
  const logs = [run.serverLog, ...findFiles(path.join(run.userDataDir, 'logs'), /^(remoteagent|remoteexthost)\.log$/)];
  for (const log of logs) {
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    console.error(`\n--- last lines of ${log} ---\n${lines.slice(-40).join('\n')}`);
  }
}

function findFiles(dir, pattern) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => pattern.test(path.basename(file)))
    .map((file) => path.join(dir, file));
}

function secondsSince(start) {
  return ((Date.now() - start) / 1000).toFixed(1);
}

/** Ends the browser and every process code-server started, then removes the run folder. */
function cleanUp() {
  state.cleaning ??= (async () => {
    if (state.browser) {
      // Ends the browser's processes; the sweep below covers a close that hangs.
      await Promise.race([state.browser.close().catch(() => undefined), delay(5000)]);
    }
    if (state.serverPid !== undefined) await endTree(state.serverPid);
    state.serverPid = undefined;
    if (!state.runDir) return;
    const escaped = killProcessesUsing(state.runDir);
    if (escaped.length > 0) console.error(`Killed processes left behind:\n  ${escaped.join('\n  ')}`);
    if (process.env.IMPERVIOUS_TEST_KEEP === '1') {
      console.log(`Kept the run folder: ${state.runDir}`);
    } else {
      rmSync(state.runDir, { recursive: true, force: true });
    }
    state.runDir = undefined;
  })();
  return state.cleaning;
}

async function finish(exitCode) {
  try {
    await cleanUp();
  } catch (error) {
    console.error(`Cleaning up failed: ${error.message}`);
    exitCode ||= 1;
  }
  process.exit(exitCode);
}

// Last resort when the process ends without cleanUp() finishing: nothing can be awaited here.
process.on('exit', () => {
  if (state.serverPid !== undefined) killTreeNow(state.serverPid);
  if (state.runDir) killProcessesUsing(state.runDir);
});
for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    console.error(`\n${signal}: ending code-server and the browser ...`);
    void finish(exitCode);
  });
}

main().then(finish, (error) => {
  console.error(`\ntest:vscode failed: ${error.message}`);
  if (error instanceof HarnessError) printLogTails(error.run);
  return finish(1);
});
