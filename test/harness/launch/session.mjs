// A VS Code "machine" made of folders (extensions, user data, workspace, browser profile) and the
// launches of code-server on them. A restart is a second launch on the same folders after the
// first ended cleanly: the workbench closed, the extension host deactivated the extensions and
// exited, then the server stopped.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { findFreePort, outsideNpmRun, startCodeServer, waitUntilServing } from './code-server.mjs';
import { endTree, isRunning, killTreeNow, processesOfTree } from './process-tree.mjs';
import { onCleanup } from './script-lifecycle.mjs';
import { openWorkbench } from './workbench.mjs';

const serveTimeoutMs = 30_000;
// The extension host gives deactivate() at most 5 s before it exits anyway.
const extensionHostExitTimeoutMs = 10_000;

/**
 * The folders of one profile under `dir`, created if missing and kept if present. `extensionsDir`
 * may be shared between profiles; `folder` is the workspace VS Code opens; `tmp` should be short:
 * Unix socket paths under it must stay below 108 bytes.
 */
export function profileFolders(dir, { extensionsDir = path.join(dir, 'extensions'), tmp = path.join(dir, 'tmp'), folder = path.join(dir, 'workspace') } = {}) {
  const folders = {
    dir,
    extensionsDir,
    userDataDir: path.join(dir, 'user-data'),
    folder,
    browserProfile: path.join(dir, 'chromium'),
    tmp,
    xdg: path.join(dir, 'xdg'),
    serverLog: path.join(dir, 'code-server.log'),
  };
  for (const folder of [folders.extensionsDir, folders.userDataDir, folders.folder, folders.tmp, folders.xdg]) {
    mkdirSync(folder, { recursive: true });
  }
  return folders;
}

/**
 * The environment of code-server, which its extension host inherits, plus `extra`. Temp and config
 * folders point into the profile, so nothing lands in HOME (code-server would write its
 * config.yaml there). VSCODE_* variables of a VS Code this script may run in would make
 * code-server talk to that one instead; npm's variables describe this script's npm and Node.
 */
export function serverEnvironment(folders, installation, extra = {}) {
  const inherited = Object.entries(outsideNpmRun(process.env)).filter(([name]) => !name.startsWith('VSCODE_') && name !== 'ELECTRON_RUN_AS_NODE');
  return {
    ...Object.fromEntries(inherited),
    ...contained(folders),
    PATH: installation.pathWithNode,
    // As when VS Code is started from a terminal: the environment is already the user's shell's,
    // so the server skips starting a login shell (in a session of its own) to read it.
    VSCODE_CLI: '1',
    // No marketplace: extensions come from VSIX files, and the only network is loopback.
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

function contained(folders) {
  return {
    TMPDIR: folders.tmp,
    XDG_CONFIG_HOME: path.join(folders.xdg, 'config'),
    XDG_DATA_HOME: path.join(folders.xdg, 'data'),
    XDG_CACHE_HOME: path.join(folders.xdg, 'cache'),
  };
}

/**
 * code-server on a profile's folders, with an optional headless browser on its workbench.
 * `workspaceTrust`: start without --disable-workspace-trust, for a workspace in restricted mode.
 */
export class CodeServer {
  constructor(installation, folders, { workspaceTrust = false } = {}) {
    this.installation = installation;
    this.folders = folders;
    this.workspaceTrust = workspaceTrust;
    this.child = undefined;
    this.port = undefined;
    this.browser = undefined;
    this.page = undefined;
    this.unregister = undefined;
  }

  /** The workbench URL for the profile's workspace folder. */
  get url() {
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.folders.folder)}`;
  }

  /**
   * Starts the server (its log appended to the profile's) and resolves once it serves. A restart
   * keeps the port: the workbench keeps extensions' global and workspace state in the browser's
   * IndexedDB, which belongs to the origin, port included. `prepare(port)`, run once the port is
   * known and before the server starts, may write into the profile and returns more environment.
   */
  async start({ env = {}, port, prepare } = {}) {
    if (this.child) throw new Error('code-server is already running on this profile');
    this.port = port ?? this.port ?? (await findFreePort());
    const prepared = prepare ? prepare(this.port) : {};
    const logFd = openSync(this.folders.serverLog, 'a');
    try {
      this.child = startCodeServer(this.installation, {
        ...this.folders,
        port: this.port,
        env: serverEnvironment(this.folders, this.installation, { ...env, ...prepared }),
        logFd,
        workspaceTrust: this.workspaceTrust,
      });
    } finally {
      closeSync(logFd); // the server has its own copy
    }
    const pid = this.child.pid;
    this.unregister = onCleanup(() => this.kill(), () => killTreeNow(pid));
    await waitUntilServing(this.child, this.port, serveTimeoutMs);
    return this;
  }

  /** Whether the server process has ended (crashed, or stopped from outside). */
  get exited() {
    return !this.child || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Opens the workbench in headless Chromium; the server starts an extension host for it. */
  async openWorkbench() {
    this.browser = await openWorkbench({ url: this.url, profileDir: this.folders.browserProfile, env: { ...process.env, ...contained(this.folders) } });
    this.page = this.browser.pages()[0];
    return this.page;
  }

  /**
   * Ends the launch as a user closing VS Code does. Closing the page with its unload handlers makes
   * the workbench send the extension host "terminate": it runs every deactivate() (up to 5 s) and
   * exits. Only then do the browser (which writes its profile: the workbench keeps extensions'
   * global and workspace state in IndexedDB) and the server end. Processes still there after the
   * wait are killed.
   * @returns {Promise<{ extensionHostExited: boolean }>}
   */
  async stop() {
    let extensionHostExited = false;
    if (this.child) {
      // Found now: once the server is gone, they no longer belong to its tree.
      const hosts = this.extensionHosts();
      if (this.page) {
        await Promise.race([this.page.close({ runBeforeUnload: true }).catch(() => undefined), delay(5000)]);
      } else {
        // A workbench in someone else's browser: end the server alone first. Its extension host
        // notices within a second that its parent is gone and terminates the same way.
        process.kill(this.child.pid, 'SIGTERM');
      }
      extensionHostExited = hosts.length > 0 && (await waitUntilEnded(hosts.map(({ pid }) => pid), extensionHostExitTimeoutMs));
    }
    await this.kill();
    return { extensionHostExited };
  }

  /** Ends the browser and every process of the server's tree at once (SIGTERM, then SIGKILL). */
  async kill() {
    if (this.browser) {
      // A close that hangs is covered by the sweep of the run folder.
      await Promise.race([this.browser.close().catch(() => undefined), delay(5000)]);
    }
    this.browser = undefined;
    this.page = undefined;
    if (this.child) await endTree(this.child.pid);
    this.child = undefined;
    this.unregister?.();
    this.unregister = undefined;
  }

  extensionHosts() {
    return this.child ? processesOfTree(this.child.pid).filter(({ commandLine }) => commandLine.includes('--type=extensionHost')) : [];
  }


  /** The newest launch's extension host log: what it did on the way out. */
  extensionHostLog() {
    const logsDir = path.join(this.folders.userDataDir, 'logs');
    const logs = findFiles(logsDir, /^remoteexthost\.log$/).sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
    return logs.length > 0 ? readFileSync(logs.at(-1), 'utf8') : '';
  }

  /** The server's log and the newest extension host and agent logs, for a failure report. */
  logFiles() {
    const logs = findFiles(path.join(this.folders.userDataDir, 'logs'), /^(remoteagent|remoteexthost)\.log$/);
    return [this.folders.serverLog, ...logs].filter((file) => existsSync(file));
  }
}

async function waitUntilEnded(pids, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isRunning)) {
    if (Date.now() >= deadline) return false;
    await delay(100);
  }
  return true;
}

export function findFiles(dir, pattern) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => pattern.test(path.basename(file)))
    .map((file) => path.join(dir, file));
}

/** Prints the last lines of each file, for a run that went wrong. */
export function printTails(files, lines = 40) {
  for (const file of files) {
    const text = readFileSync(file, 'utf8').trimEnd().split('\n');
    console.error(`\n--- last lines of ${file} ---\n${text.slice(-lines).join('\n')}`);
  }
}
