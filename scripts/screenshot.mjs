// Refreshes the README's pictures in media/ (1280×800) from a clean session of the packaged
// extension (test/harness/e2e/showcase.mjs): a project folder named payments-service, sample
// traffic, a tidy terminal prompt. screenshot.png, the Messages view with a thread, Awaited Replies
// an answered watch, and the reply open as a document; editor-hover.png, a hover on an awaited ID;
// terminal-link.png, an ID printed in the terminal and watched from its link; requests-run.png, a
// request file mid-run; requests-tests.png, the Test Explorer after Run All; timeline-dark.png and
// timeline-light.png, the Timeline in each theme. They are saved only if every step passed, so
// they always show what the steps checked. Each is then reduced to a 256-colour palette with
// pngquant (Debian's `pngquant`); the VSIX leaves them out (.vscodeignore).
//
//   npm run screenshot      (compiles first: the simulator runs from out/)
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerCacheDir, ensureCodeServer } from '../test/harness/launch/code-server.mjs';
import { runShowcase, showcaseProfile, showcasePictures, showcaseTitle } from '../test/harness/e2e/showcase.mjs';
import { printPart, printTotal, succeeded } from '../test/harness/report.mjs';
import { createRunFolder } from '../test/harness/launch/run-folder.mjs';
import { runScript } from '../test/harness/launch/script-lifecycle.mjs';
import { packageAndInstall } from '../test/harness/launch/vsix.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

runScript('screenshot', async () => {
  const installation = ensureCodeServer(codeServerCacheDir);
  const runDir = createRunFolder();
  const folders = showcaseProfile(runDir);
  packageAndInstall({ installation, runDir, folders });
  const mediaDir = path.join(root, 'media');
  const results = await runShowcase({ installation, folders, screenshotsDir: path.join(root, 'test-results', 'screenshot'), mediaDir });
  if (results.failures === 0) quantize(mediaDir, showcasePictures);
  const parts = [{ title: showcaseTitle, results }];
  parts.forEach(printPart);
  printTotal(parts);
  return succeeded(parts) ? 0 : 1;
});

/** Palette PNGs at a third of the size; without pngquant the pictures stay as they were taken. */
function quantize(mediaDir, pictures) {
  const run = spawnSync('pngquant', ['--quality=70-95', '--speed', '1', '--strip', '--force', '--ext', '.png', ...pictures], { cwd: mediaDir, stdio: 'inherit' });
  if (run.error) console.warn(`pngquant is not installed (apt-get install pngquant): the pictures in ${mediaDir} stay full size.`);
}
