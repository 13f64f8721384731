// Refreshes the README's pictures in media/ (1280×800): the end-to-end scenario
// (test/harness/e2e.mjs) on the packaged extension, saved at the steps that make one:
// screenshot.png when the Messages view shows a thread, Awaited Replies an answered watch, and the
// reply is open as a document; editor-hover.png, a hover on an awaited ID; terminal-link.png, an ID
// printed in the terminal and watched from its link; requests-run.png, a request file mid-run;
// requests-tests.png, the Test Explorer after Run All. They are saved only if every step passed,
// so they always show what the steps checked.
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
    mediaDir: path.join(root, 'media'),
  });
  const parts = [{ title: e2eTitle, results }];
  parts.forEach(printPart);
  printTotal(parts);
  return succeeded(parts) ? 0 : 1;
});
