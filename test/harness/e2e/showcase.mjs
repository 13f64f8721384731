/* global getComputedStyle -- evaluated inside the webview frame */
// The README's pictures: a clean session of the extension as a developer of a payments service
// sees it. The workspace is a named project folder with a request file of its own, the traffic is
// sample peers talking about invoices and channels (no hostile or test-only messages), the terminal
// has a tidy prompt, and each picture is in one theme. Each picture is a step's screenshot, saved
// only if every step passed (runScenario), so it shows what the steps checked.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { profileFolders } from '../launch/session.mjs';
import { nodeSettings } from '../launch/settings.mjs';
import { startSimulator } from '../launch/simulator.mjs';
import { runScenario } from './e2e.mjs';
import { pickColorTheme, timelineFrame } from './e2eTimeline.mjs';
import { AwaitedReplies, pagesOf } from './pages/index.mjs';
import { runCommand } from './workbench-ui.mjs';

export const showcaseTitle = "The README's pictures (a clean session in headless Chromium)";
const nodeName = 'Local node';
const requestFileName = 'settlement.imp';
// Pictures are taken on a busy machine too: typing into the palette alone can take seconds there.
const uiTimeoutMs = 45_000;
/** The pictures the steps save, in the order they are taken. */
export const showcasePictures = ['screenshot.png', 'editor-hover.png', 'terminal-link.png', 'requests-run.png', 'requests-tests.png', 'timeline-dark.png', 'timeline-light.png'];

/** What the sample peers say: payments chatter, plain text and JSON, no emoji (no emoji font here). */
const chatter = [
  'invoice 2291 paid, 18,400 sat',
  'did the payment go through?',
  '{"event":"invoice.settled","invoice":"inv_8c21","amount_sat":12000}',
  'channel is open, 2M sats on my side',
  'what fee rate are you using these days?',
  'refund for order 7e10 sent',
  '{"action":"quote","item":"relay slot","price_sat":645}',
  'new build is up, please test',
  'can you forward this to the relay?',
  'meeting moved to 15:00 UTC',
];
const answers = ['ack', 'confirmed on my side', 'sounds good', 'thanks!', 'not yet, give me a minute', 'will do'];

/** A workspace folder named as a project is, under the run folder. */
export function showcaseProfile(runDir, options = {}) {
  const dir = path.join(runDir, 'showcase');
  return profileFolders(dir, { ...options, folder: path.join(dir, 'payments-service') });
}

/**
 * Runs the clean session and, if every step passed, saves its pictures in `mediaDir`.
 * @param {{ installation: object, folders: object, screenshotsDir: string, mediaDir: string }} options
 */
export async function runShowcase({ installation, folders, screenshotsDir, mediaDir }) {
  rmSync(screenshotsDir, { recursive: true, force: true });
  mkdirSync(screenshotsDir, { recursive: true });
  // A fixed seed: the same peers and IDs on every run, so the pictures compare.
  const simulator = await startSimulator({ port: 0, rate: 0, seed: 14, replyDelayMs: 180 });
  writeRequestFile(folders.folder, simulator);
  /** The peers' chatter in the background, from the request files on. */
  const background = { timer: undefined };
  try {
    return await runScenario({
      installation,
      folders,
      screenshotsDir,
      mediaDir,
      settings: {
        ...nodeSettings(nodeName, simulator.subscribeUrl),
        'workbench.colorTheme': 'Default Dark Modern',
        // A prompt that shows the project's folder only: no user, host or temporary path.
        'terminal.integrated.profiles.linux': { bash: { path: 'bash', args: ['--noprofile', '--norc'], env: { PS1: '\\W $ ' } } },
        'terminal.integrated.defaultProfile.linux': 'bash',
      },
      steps: (page) => showcaseSteps(page, simulator, background),
      timeoutMs: uiTimeoutMs,
    });
  } finally {
    clearInterval(background.timer);
    await simulator.close();
  }
}

/** The project's request file: asks the settlement peer about an invoice, then confirms it. */
function writeRequestFile(folder, simulator) {
  const settlement = simulator.peers[0];
  const text = [
    '# Settlement checks for the payments service.',
    `@settlement = ${settlement.pubkey}`,
    '',
    '### ask the settlement peer about an invoice',
    '# @name status',
    '# @timeout 10s',
    'SEND {{settlement}}',
    '',
    '{"action":"status","invoice":"inv_8c21"}',
    '',
    '> expect reply within 2s',
    '> expect reply.data contains "inv_8c21"',
    '',
    '### confirm it, in the same thread',
    '# @name confirm',
    '# @timeout 6s',
    'SEND {{settlement}}',
    'Reply-To: {{status.reply.id}}',
    '',
    '{"action":"confirm","invoice":"inv_8c21"}',
    '',
    '> expect reply.data contains "confirm"',
    '',
  ].join('\n');
  writeFileSync(path.join(folder, requestFileName), text);
}

/**
 * Sends `count` messages of sample chatter from the peers, starting at `offset` in the list; about
 * one in three answers the message before it, so threads form.
 */
function talk(simulator, count, offset = 0, { from } = {}) {
  const peers = simulator.peers;
  let previous;
  for (let i = 0; i < count; i++) {
    const n = offset + i;
    const fromPubkey = from ?? peers[(n * 5) % peers.length].pubkey;
    previous =
      previous && n % 3 === 2
        ? simulator.emit({ data: answers[n % answers.length], fromPubkey, replyToId: previous.id })
        : simulator.emit({ data: chatter[n % chatter.length], fromPubkey, amount: n % 4 === 0 ? 21 : 1 });
  }
}

/**
 * @param {import('playwright-core').Page} page
 * @param {import('../../../src/core/simulator/simulatedNode').SimulatedNode} simulator
 * @param {{ timer: ReturnType<typeof setInterval> | undefined }} background
 */
function showcaseSteps(page, simulator, background) {
  const { workbench, messages, watches, notifications, editor, terminal, testing } = pagesOf(page);
  const [alice, bob, carol] = simulator.peers;
  const awaitedId = '9c4e1f0a7b2d5e8f3a6c9b0d1e4f7a2b5c8d0e3f6a9b1c4d7e0f2a5b8c1d4e7f';
  const awaitedLabel = AwaitedReplies.label(awaitedId);
  const sentId = '5e7d0c1a9b8f7e6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a3928170605';
  const sentLabel = AwaitedReplies.label(sentId);
  const question = 'Is the relay up? I would like to open a 2M sat channel';
  let said = 20;
  return [
    {
      title: 'the workbench opens on the payments-service folder, connected to the node',
      async run() {
        await workbench.waitForLoad();
        await workbench.openViewContainer('Impervious');
        await workbench.resizeSideBar(520);
        await messages.show();
        await watches.show();
        await simulator.waitForSubscribers(1, uiTimeoutMs);
        await workbench.statusBarItem(`${nodeName} · 0`).waitFor();
      },
    },
    {
      title: 'sample peers talk; a question gets its answer in a thread; a watched reply opens as a document',
      picture: 'screenshot.png',
      async run() {
        talk(simulator, 9);
        const asked = simulator.emit({ data: question, fromPubkey: alice.pubkey, amount: 2 });
        simulator.emit({ data: 'Relay is up, go ahead', fromPubkey: bob.pubkey, replyToId: asked.id });
        await messages.expandThread(messages.message(question));
        await messages.message('Relay is up, go ahead').waitFor();
        await watches.watchFor(awaitedId);
        simulator.emit({ data: 'Order 7f3a confirmed, ships tomorrow', fromPubkey: carol.pubkey, replyToId: awaitedId, amount: 21 });
        await watches.waitForState(awaitedLabel, /^replied in /);
        await notifications.toast(`Reply to ${awaitedLabel}`).waitFor();
        await watches.open(awaitedLabel);
        await workbench.tab('.json').waitFor();
        await workbench.moveMouseAway();
      },
    },
    {
      title: 'hovering the watched ID in an editor shows its reply and how fast it came',
      picture: 'editor-hover.png',
      async run() {
        await editor.pointAt(awaitedId.slice(0, 12));
        await editor.hover(`Awaited reply to ${awaitedLabel}`).waitFor();
      },
    },
    {
      title: 'the ID of a message just sent, printed in the terminal, is watched from its link',
      picture: 'terminal-link.png',
      async run() {
        await workbench.moveMouseAway();
        await workbench.press('Escape');
        await notifications.clearAll();
        await terminal.create();
        const offer = notifications.toast(`Message ${sentLabel} is not held. Watch for its reply?`);
        await terminal.printIdAndClick(sentId, offer);
        await notifications.press(offer, 'Watch for Reply');
        await watches.waitForState(sentLabel, /^waiting/);
        await delay(400);
        simulator.emit({ data: 'Channel opened, 2M sat', fromPubkey: bob.pubkey, replyToId: sentId });
        await watches.waitForState(sentLabel, /^replied in /);
        await workbench.moveMouseAway();
      },
    },
    {
      title: 'a request file: the first block replied, the next waits for its reply',
      picture: 'requests-run.png',
      async run() {
        await notifications.clearAll();
        await workbench.openFile(requestFileName);
        await editor.lens('Send and Check').first().click();
        await editor.waitForDecoration(/^✓ replied in \d+ ms · re: /, uiTimeoutMs);
        // The node holds the next reply back for a moment, as a slow route does.
        simulator.setFaults({ stall: true });
        await editor.lens('Send and Check').nth(1).click();
        await editor.waitForDecoration(/^sent [0-9a-f]{8}…, waiting [2-9] s$/, uiTimeoutMs);
        await workbench.moveMouseAway();
      },
    },
    {
      title: 'Run All Tests: both blocks pass',
      picture: 'requests-tests.png',
      async run() {
        simulator.setFaults({ stall: false });
        await editor.waitForDecoration(/^✗ timed out after 6(\.\d)? s$/, uiTimeoutMs);
        await workbench.runCommand('Test: Run All Tests', { prefix: true });
        const { dialog } = pagesOf(page);
        await dialog.waitFor();
        await dialog.press('Send', { exact: true });
        await dialog.waitForClose();
        await testing.focus();
        await testing.passed(requestFileName).waitFor();
        await testing.expand(testing.row(requestFileName).first());
        for (const name of ['status', 'confirm']) await testing.passed(name).waitFor();
        await workbench.moveMouseAway();
      },
    },
    {
      title: 'watched replies come back at different speeds, while one peer sends a burst',
      async run() {
        await notifications.clearAll();
        // The side bar shows the Testing view since Run All: Awaited Replies is where watches show.
        // The icon's label now carries the unread count ("Impervious - 145 …").
        const icon = page.locator('.part.activitybar li.action-item').filter({ has: page.locator('a.action-label[aria-label^="Impervious"]') });
        await icon.click();
        await watches.show();
        // From here on the peers keep talking, as they do on a real node: unevenly, some seconds quiet.
        background.timer = setInterval(() => {
          const count = [0, 0, 1, 0, 2, 0, 0, 1, 0, 0, 4, 1, 0, 0, 2, 0, 1, 0, 0, 0, 3][said % 21];
          talk(simulator, count, said);
          said += count + 1;
        }, 700);
        const latencies = [140, 90, 260, 650, 1400, 820, 230, 170];
        for (const [index, ms] of latencies.entries()) {
          const id = `${(0xa1 + index).toString(16)}${'3f7c0e29d4b8a615'.repeat(4)}`.slice(0, 64);
          await watches.watchFor(id);
          setTimeout(() => simulator.emit({ data: answers[index % answers.length], fromPubkey: simulator.peers[index % 3].pubkey, replyToId: id }), ms);
          if (index === 3) talk(simulator, 24, 3, { from: simulator.peers[3].pubkey });
          await delay(ms + 300);
        }
        await watches.waitForState(AwaitedReplies.label(`a8${'3f7c0e29d4b8a615'.repeat(4)}`.slice(0, 64)), /^replied in /);
      },
    },
    {
      title: 'the Timeline: message rate by sender, reply latencies with their p50 and p95 (dark theme)',
      picture: 'timeline-dark.png',
      async run() {
        await runCommand(page, 'Impervious: Group Messages By');
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Sender' }).first().click();
        await runCommand(page, 'Impervious: Show Timeline');
        const frame = await timelineFrame(page, uiTimeoutMs);
        await frame.getByRole('button', { name: 'All held' }).click();
        await runCommand(page, 'View: Toggle Maximized Panel');
        clearInterval(background.timer);
        await frame.locator('.u-over[data-marks]').waitFor();
        await workbench.moveMouseAway();
        await delay(1500);
      },
    },
    {
      title: 'the Timeline in a light theme',
      picture: 'timeline-light.png',
      async run() {
        const frame = await timelineFrame(page, uiTimeoutMs);
        const colours = () => frame.locator('.legend .swatch').evaluateAll((swatches) => swatches.map((swatch) => getComputedStyle(swatch).backgroundColor).join());
        const dark = await colours();
        // The keyboard goes to the webview while it has the focus: the palette needs the workbench's.
        await page.locator('.part.activitybar').click({ position: { x: 20, y: 600 } });
        await pickColorTheme(page, 'Light Modern');
        const deadline = Date.now() + uiTimeoutMs;
        while ((await colours()) === dark && Date.now() < deadline) await delay(250);
        if ((await colours()) === dark) throw new Error('the Timeline kept its dark colours');
        await workbench.moveMouseAway();
        await delay(1000);
      },
    },
  ];
}
