// npm start: the extension running on the simulated node, in one command, install included.
//
//   1. installs the npm dependencies (npm ci) if node_modules is missing;
//   2. builds the extension and the simulator CLI, and starts the simulated node on
//      127.0.0.1:8882 (the default of impervious.nodes), its log on this terminal;
//   3. opens VS Code on this folder with the extension connected to it:
//      - desktop VS Code, when a `code` command is on PATH: the extension in development mode
//        (--extensionDevelopmentPath), in a new window; closing that window ends the simulator;
//      - otherwise code-server (installed once into .vscode-test/, as for the tests), with the
//        extension installed from a freshly packaged VSIX into its own profile under
//        .vscode-test/start/, serving on 127.0.0.1; open the printed URL in a browser.
//   Ctrl+C stops the simulator and code-server with every process they started.
//
//   npm start [-- --code-server] [-- --port 8080] [-- --sim-port 8882] [-- --rate 0.5]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onCleanup, runScript } from '../test/harness/launch/script-lifecycle.mjs';

// Without the trailing slash: it is the folder VS Code opens, and shows in the workbench's URL.
const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const startDir = path.join(root, '.vscode-test', 'start');
const nodeName = 'Simulated node';

runScript('npm start', async () => {
  const options = parseArgs({
    options: {
      'code-server': { type: 'boolean', default: false },
      port: { type: 'string', default: '8080' },
      'sim-port': { type: 'string', default: '8882' },
      rate: { type: 'string', default: '0.5' },
    },
  }).values;
  installDependencies();
  const simPort = Number(options['sim-port']);
  if (!(await isFree(simPort))) {
    throw new Error(`Port ${simPort} is taken (a simulator from an earlier start?). Stop it, or pass --sim-port N (desktop VS Code then needs impervious.nodes set to that port).`);
  }
  const desktop = !options['code-server'] && findOnPath('code');
  console.log(`Building the ${desktop ? 'extension and the ' : ''}simulator ...`);
  run(process.execPath, [path.join(root, 'scripts', 'build.mjs'), ...(desktop ? [] : ['--sim-only'])]);

  const { spawnSimulatorCli } = await import('../test/harness/launch/simulator.mjs');
  // A new seed each start: the held messages of the last session stay, and a node never reuses IDs.
  const seed = String(Date.now() % 1_000_000_000);
  const simulator = spawnSimulatorCli(['--host', '127.0.0.1', '--port', String(simPort), '--rate', options.rate, '--seed', seed]);
  await waitForPort(simPort, simulator);
  const subscribeUrl = `ws://127.0.0.1:${simPort}/v1/subscribe`;

  const vscode = desktop ? openDesktop(desktop) : await openCodeServer(subscribeUrl, Number(options.port));
  const { message, expected } = await Promise.race([exitOf(simulator, 'The simulator'), vscode]);
  console.log(message);
  return expected ? 0 : 1;
});

/** `npm ci` when node_modules was never installed: the one-command start includes the install. */
function installDependencies() {
  // npm writes this file at the end of every install; its absence means no finished install.
  if (existsSync(path.join(root, 'node_modules', '.package-lock.json'))) return;
  console.log('Installing the npm dependencies (npm ci) ...');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

/** Desktop VS Code with this repository as a development extension; resolves when its window closes. */
function openDesktop(code) {
  console.log(`Opening VS Code (${code}) with the extension in development mode; close its window or press Ctrl+C to stop.`);
  // --wait: the CLI returns when the window closes, which ends this script and the simulator.
  const child = spawn(code, ['--new-window', '--wait', `--extensionDevelopmentPath=${root}`, root], { stdio: 'inherit' });
  return exitOf(child, 'The VS Code window', true);
}

/**
 * code-server on its own profile under .vscode-test/start/ (kept between starts, so held messages
 * and watches persist as in a user's VS Code), with the extension installed from a fresh VSIX.
 * Resolves when the server exits.
 */
async function openCodeServer(subscribeUrl, wantedPort) {
  const { codeServerCacheDir, ensureCodeServer, findFreePort } = await import('../test/harness/launch/code-server.mjs');
  const { CodeServer, profileFolders } = await import('../test/harness/launch/session.mjs');
  const { baseSettings, nodeSettings, writeSettings } = await import('../test/harness/launch/settings.mjs');
  const { packageAndInstall } = await import('../test/harness/launch/vsix.mjs');

  const installation = ensureCodeServer(codeServerCacheDir);
  // TMPDIR holds the server's Unix sockets, whose paths must stay below 108 bytes: keep it short.
  const tmp = mkdtempSync(path.join(tmpdir(), 'imp-start-'));
  onCleanup(() => rmSync(tmp, { recursive: true, force: true }));
  // The extensions folder is emptied first: installing a VSIX of the version already there would
  // keep the old build.
  rmSync(path.join(startDir, 'extensions'), { recursive: true, force: true });
  const folders = profileFolders(startDir, { tmp, folder: root });
  packageAndInstall({ installation, runDir: startDir, folders });
  // This profile's settings are the script's: rewritten on every start.
  writeSettings(folders.userDataDir, { ...baseSettings, ...nodeSettings(nodeName, subscribeUrl) });

  const port = (await isFree(wantedPort)) ? wantedPort : await findFreePort();
  if (port !== wantedPort) console.log(`Port ${wantedPort} is taken; code-server uses ${port}.`);
  const server = await new CodeServer(installation, folders).start({ port });
  // Registered after the server's own hard stop, so it runs first: the extension host gets to run
  // deactivate() (which writes held messages and watches) before anything is killed.
  onCleanup(() => server.stop());
  console.log(`\nVS Code (code-server) with the extension on the simulated node (${subscribeUrl}):\n\n    ${server.url}\n`);
  console.log(`Open it in a browser; the extension connects when the workbench opens. Log: ${folders.serverLog}\nCtrl+C stops code-server and the simulator.`);
  return exitOf(server.child, 'code-server');
}

/** Resolves when `child` exits, saying so; `expected`: whether that is the normal way to stop. */
function exitOf(child, what, expected = false) {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ message: `${what} ended (${signal ?? `exit code ${code}`}).`, expected }));
  });
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}).`);
}

function findOnPath(command) {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function isFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Resolves once something listens on `port`; rejects if `child` exits first. */
async function waitForPort(port, child) {
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('The simulator exited at start; its output above says why.');
    if (!(await isFree(port))) return;
    await delay(100);
  }
  throw new Error(`The simulator did not listen on port ${port} within 10 s.`);
}
