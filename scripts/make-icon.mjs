// Renders media/icon.svg to the 128x128 media/icon.png that the marketplace shows.
// Run by hand after editing the SVG: `node scripts/make-icon.mjs`. Uses Debian's chromium.
import { chromium } from 'playwright-core';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const svg = await readFile(new URL('../media/icon.svg', import.meta.url), 'utf8');
// Chromium keeps crash reports under XDG_CONFIG_HOME: point it at a folder removed afterwards.
const scratch = await mkdtemp(path.join(tmpdir(), 'imp-icon-'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
  env: { ...process.env, XDG_CONFIG_HOME: scratch },
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  // omitBackground keeps the rounded corners transparent.
  await page.locator('svg').screenshot({ path: new URL('../media/icon.png', import.meta.url).pathname, omitBackground: true });
} finally {
  await browser.close();
  await rm(scratch, { recursive: true, force: true });
}
