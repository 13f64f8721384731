// Refreshes the README's picture, media/screenshot.png (1280×800): the end-to-end scenario
// (test/harness/e2e.mjs) on the packaged extension, saved at its last step, when the Messages view
// shows a thread, Awaited Replies an answered watch, and the reply is open as a document.
// It is saved only if every step passed, so it always shows what the steps checked. The request-file
// steps that follow save media/requests-run.png (a file mid-run) and media/requests-tests.png (the
// Test Explorer after Run All) the same way.
//
//   npm run screenshot      (compiles first: the simulator runs from out/)
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerCacheDir, ensureCodeServer } from '../test/harness/code-server.mjs';
import { e2eProfile, e2eTitle, runE2e } from '../test/harness/e2e.mjs';
import { printPart, printTotal, succeeded } from '../test/harness/report.mjs';
import { createRunFolder } from '../test/harness/run-folder.mjs';
import { runScript } from '../test/harness/script-lifecycle.mjs';
import { packageAndInstall } from '../test/harness/vsix.mjs';

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
