// Refreshes the README's picture, media/screenshot.png (1280×800): the end-to-end scenario
// (vscode-test/e2e.mjs) on the packaged extension, saved at its last step, when the Messages view
// shows a thread, Awaited Replies an answered watch, and the reply is open as a document.
// It is saved only if every step passed, so it always shows what the steps checked.
//
//   npm run screenshot      (compiles first: the simulator runs from out/)
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerCacheDir, ensureCodeServer } from './vscode-test/code-server.mjs';
import { e2eProfile, e2eTitle, runE2e } from './vscode-test/e2e.mjs';
import { printPart, printTotal, succeeded } from './vscode-test/report.mjs';
import { createRunFolder } from './vscode-test/run-folder.mjs';
import { runScript } from './vscode-test/script-lifecycle.mjs';
import { packageAndInstall } from './vscode-test/vsix.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

runScript('screenshot', async () => {
  const installation = ensureCodeServer(codeServerCacheDir);
  const runDir = createRunFolder();
  const folders = e2eProfile(runDir);
  packageAndInstall({ installation, runDir, folders });
  const results = await runE2e({
    installation,
    folders,
    screenshotsDir: path.join(root, 'test-results', 'screenshot'),
    finalScreenshot: path.join(root, 'media', 'screenshot.png'),
  });
  const parts = [{ title: e2eTitle, results }];
  parts.forEach(printPart);
  printTotal(parts);
  return succeeded(parts) ? 0 : 1;
});
