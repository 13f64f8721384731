// The browser side of code-server. Its extension host starts only when a workbench connects and
// lives as long as that connection, so a headless Chromium keeps the workbench open for the run.
import { chromium } from 'playwright-core';

const chromiumPath = '/usr/bin/chromium'; // Debian's; Playwright's own browser download is not reachable.

const chromiumArgs = [
  '--no-sandbox', // runs as root in CI
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // The workbench asks for marketplace and account hosts; answer "not found" without any DNS
  // query, so the browser only ever talks to the loopback server.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/**
 * Opens the workbench at `url` in headless Chromium with its profile in `profileDir` (created when
 * missing, reused after a restart: the workbench keeps state in the browser's IndexedDB).
 * @returns {Promise<import('playwright-core').BrowserContext>}
 */
export async function openWorkbench({ url, profileDir, env }) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    env,
    headless: true,
    viewport: { width: 1280, height: 800 },
    // vscode.env.clipboard is the browser's clipboard here; without these, readText() waits on a
    // permission prompt that nobody answers.
    permissions: ['clipboard-read', 'clipboard-write'],
    // The harness ends the browser itself, on every exit path, in its own order.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return context;
}
