// Refreshes the README's pictures in media/ (1280×800): the end-to-end scenario
// (test/harness/e2e/e2e.mjs) on the packaged extension, saved at the steps that make one:
// screenshot.png when the Messages view shows a thread, Awaited Replies an answered watch, and the
// reply is open as a document; editor-hover.png, a hover on an awaited ID; terminal-link.png, an ID
// printed in the terminal and watched from its link; requests-run.png, a request file mid-run;
// requests-tests.png, the Test Explorer after Run All. They are saved only if every step passed,
// so they always show what the steps checked. Each is then reduced to a 256-colour palette with
// pngquant (Debian's `pngquant`), which keeps the VSIX, which carries them for the README, small.
//
//   npm run screenshot      (compiles first: the simulator runs from out/)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerCacheDir, ensureCodeServer } from '../test/harness/launch/code-server.mjs';
import { e2eProfile, e2eTitle, runE2e } from '../test/harness/e2e/e2e.mjs';
import { printPart, printTotal, succeeded } from '../test/harness/report.mjs';
import { createRunFolder } from '../test/harness/launch/run-folder.mjs';
import { runScript } from '../test/harness/launch/script-lifecycle.mjs';
import { packageAndInstall } from '../test/harness/launch/vsix.mjs';

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
  if (results.failures === 0) quantize(path.join(root, 'media'));
  const parts = [{ title: e2eTitle, results }];
  parts.forEach(printPart);
  printTotal(parts);
  return succeeded(parts) ? 0 : 1;
});

/** Palette PNGs at a third of the size; without pngquant the pictures stay as they were taken. */
function quantize(mediaDir) {
  const pictures = readdirSync(mediaDir).filter((name) => name.endsWith('.png') && name !== 'icon.png');
  const run = spawnSync('pngquant', ['--quality=70-95', '--speed', '1', '--strip', '--force', '--ext', '.png', ...pictures], { cwd: mediaDir, stdio: 'inherit' });
  if (run.error) console.warn(`pngquant is not installed (apt-get install pngquant): the pictures in ${mediaDir} stay full size.`);
}
