// Tests the packaged extension in a real VS Code: code-server from the npm registry, its workbench
// open in Debian's headless Chromium. The VSIX is built and packaged once, installed with
// code-server's own CLI as a user installs it (a broken package fails here), and then:
//
//   1. the integration suites (test/integration) run in the extension host, through a small
//      runner extension (test/runner-extension); suites tagged @after-restart run in a second
//      launch on the same profile, after the first ended cleanly, and suites tagged @untrusted in a
//      launch on a profile whose workspace VS Code does not trust (see test/harness/integration/integration.mjs);
//   2. the end-to-end steps drive the workbench UI like a user, against a simulated node, on a
//      fresh profile, with a screenshot per step in test-results/e2e/ (test/harness/e2e/e2e.mjs).
//
// Each part prints its own count; one that executed no test fails the run unless the grep below
// narrowed it. The last line is the total, "N passed, M failed[, K skipped]" (test/harness/report.mjs).
//
//   node scripts/test-vscode.mjs [--only integration|e2e]
//
// Environment:
//   IMPERVIOUS_TEST_SETTINGS  VS Code settings for the integration run: inline JSON or a path to a
//                             JSON file, merged over the quiet defaults in test/harness/launch/settings.mjs.
//   IMPERVIOUS_TEST_GREP      run only the integration tests whose full title matches.
//   IMPERVIOUS_TEST_KEEP=1    keep the run's folder (logs, user data, VSIX) and print its path.
//   IMPERVIOUS_TEST_TIMEOUT_SECONDS  how long to wait for the suites' results once the workbench
//                             is open (default 300).
//   Every other variable reaches the extension host (and so the suites) unchanged.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { codeServerCacheDir, ensureCodeServer } from '../test/harness/launch/code-server.mjs';
import { e2eProfile, e2eTitle, runE2e } from '../test/harness/e2e/e2e.mjs';
import { runIntegration } from '../test/harness/integration/integration.mjs';
import { printPart, printTotal, succeeded } from '../test/harness/report.mjs';
import { createRunFolder } from '../test/harness/launch/run-folder.mjs';
import { runScript } from '../test/harness/launch/script-lifecycle.mjs';
import { profileFolders } from '../test/harness/launch/session.mjs';
import { packageAndInstall } from '../test/harness/launch/vsix.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const e2eScreenshots = path.join(root, 'test-results', 'e2e');

runScript('test:vscode', async () => {
  const { only } = parseArgs({ options: { only: { type: 'string' } } }).values;
  if (only !== undefined && only !== 'integration' && only !== 'e2e') throw new Error('--only takes integration or e2e');
  const started = Date.now();
  const installation = ensureCodeServer(codeServerCacheDir);
  const runDir = createRunFolder();

  // One extensions folder for every profile, installed once: the runner extension stays idle
  // where the harness gives it no suites to run (the end-to-end profile).
  const extensionsDir = path.join(runDir, 'extensions');
  const integration = profileFolders(path.join(runDir, 'integration'), { extensionsDir });
  packageAndInstall({ installation, runDir, folders: integration, withRunner: only !== 'e2e' });

  const parts = [];
  if (only !== 'e2e') {
    const untrustedFolders = profileFolders(path.join(runDir, 'untrusted'), { extensionsDir });
    parts.push(...(await runIntegration({ installation, folders: integration, untrustedFolders })));
  }
  if (only !== 'integration') {
    const folders = e2eProfile(runDir, { extensionsDir });
    parts.push({ title: e2eTitle, results: await runE2e({ installation, folders, screenshotsDir: e2eScreenshots }) });
  }

  parts.forEach(printPart);
  console.log(`\nThe whole run took ${((Date.now() - started) / 1000).toFixed(1)} s, packaging included.`);
  printTotal(parts);
  return succeeded(parts) ? 0 : 1;
});
