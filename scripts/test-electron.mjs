// Runs the integration suites (out/test/integration) in desktop VS Code with @vscode/test-electron,
// which downloads VS Code into .vscode-test/ (not reachable from the CI machines: there,
// `npm run test:vscode` runs the same suites in code-server). On Linux without a display, run it
// under xvfb-run.
//
// Environment: IMPERVIOUS_TEST_SETTINGS and IMPERVIOUS_TEST_GREP as for test:vscode (VS Code
// inherits this process's environment, so the suites see every other variable too);
// IMPERVIOUS_VSCODE_VERSION picks the VS Code to download ("stable" by default, or e.g. "1.90.0",
// the oldest that package.json's engines allows).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { runSettings, writeSettings } from '../test/harness/launch/settings.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

async function main() {
  // VS Code loads the development extension from package.json's main: the bundle must be current.
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--extension-only'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('Building the extension failed.');
  const runDir = mkdtempSync(path.join(tmpdir(), 'imp-vsc-electron-'));
  try {
    const userDataDir = path.join(runDir, 'user-data');
    writeSettings(userDataDir, runSettings());
    const folder = path.join(runDir, 'workspace');
    mkdirSync(folder);
    await runTests({
      version: process.env.IMPERVIOUS_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'index.js'),
      // runTests adds --disable-workspace-trust, --skip-welcome and the like itself.
      launchArgs: [folder, '--user-data-dir', userDataDir, '--extensions-dir', path.join(runDir, 'extensions')],
    });
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  // runTests rejects with the exit code of VS Code when a test failed; the suites printed why.
  console.error(`test:electron failed: ${error.message ?? error}`);
  process.exit(1);
});
