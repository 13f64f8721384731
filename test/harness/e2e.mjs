// The end-to-end scenario: a user in the workbench, driven through headless Chromium, with the
// extension installed from its VSIX and connected to a simulated node in this process. Each step
// is a user action and what the user then sees; each ends with a screenshot.
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { codeServerVersion } from './code-server.mjs';
import { CodeServer, profileFolders } from './session.mjs';
import { baseSettings, nodeSettings, writeSettings } from './settings.mjs';
import { startSimulator } from './simulator.mjs';
import { requestFileSteps, writeRequestFile } from './e2eRequests.mjs';
import { runSteps } from './steps.mjs';
import {
  activeEditorText,
  activityBarItem,
  answerInputBox,
  descriptionOf,
  editorTabs,
  expandView,
  moveMouseAway,
  notificationToasts,
  openViewContainer,
  resizeSideBar,
  runCommand,
  statusBarItems,
  treeItems,
  viewPane,
  waitForWorkbench,
  welcomeContent,
} from './workbench-ui.mjs';

export const e2eTitle = 'UI end-to-end (the workbench in headless Chromium)';
const nodeName = 'Simulated node';
// Long enough for a cold workbench; a step that works takes well under a second.
const uiTimeoutMs = 20_000;

/** The end-to-end profile's folders; its workspace's name shows in the title bar of screenshots. */
export function e2eProfile(runDir, options = {}) {
  const dir = path.join(runDir, 'e2e');
  return profileFolders(dir, { ...options, folder: path.join(dir, 'my-impervious-app') });
}

/**
 * Runs the scenario on a fresh profile and returns its results (the shape of RunResults).
 * @param {{ installation: object, folders: object, screenshotsDir: string,
 *           finalScreenshot?: string, backgroundMessages?: number }} options
 *   finalScreenshot: where to save the last state as well (the README's picture);
 *   backgroundMessages: sample-peer chatter sent before the scenario's own messages.
 */
export async function runE2e({ installation, folders, screenshotsDir, finalScreenshot, backgroundMessages = 8 }) {
  rmSync(screenshotsDir, { recursive: true, force: true });
  mkdirSync(screenshotsDir, { recursive: true });
  // A fixed seed: the same peers, IDs and chatter on every run, so screenshots compare. This one's
  // first messages have threads, JSON and no emoji (the machines here have no emoji font).
  const simulator = await startSimulator({ port: 0, rate: 0, seed: 14, replyDelayMs: 200 });
  // Not IMPERVIOUS_TEST_SETTINGS: the steps expect the defaults.
  writeSettings(folders.userDataDir, { ...baseSettings, ...nodeSettings(nodeName, simulator.subscribeUrl) });
  writeRequestFile(folders.folder, simulator);
  const server = new CodeServer(installation, folders);
  try {
    await server.start();
    console.log(`\ncode-server ${codeServerVersion} serves on 127.0.0.1:${server.port} (end-to-end); driving the workbench in headless Chromium ...`);
    const page = await server.openWorkbench();
    page.setDefaultTimeout(uiTimeoutMs);
    const messageSteps = scenario(page, simulator, backgroundMessages);
    const save = finalScreenshot ? (name) => saveScreenshot(page, path.join(path.dirname(finalScreenshot), name)) : undefined;
    const steps = [...messageSteps, ...requestFileSteps(page, simulator, { uiTimeoutMs, save })];
    const results = await runSteps(steps, {
      afterStep: async (index, step, error) => {
        const name = `${String(index + 1).padStart(2, '0')}-${error ? 'FAILED-' : ''}${slug(step.title)}.png`;
        await page.screenshot({ path: path.join(screenshotsDir, name), timeout: 10_000 });
        // The README's main picture is the messages scenario's last state, taken only when every
        // step before it passed (a failed step ends the scenario).
        if (finalScreenshot && index === messageSteps.length - 1 && !error) {
          await moveMouseAway(page);
          await saveScreenshot(page, finalScreenshot);
        }
      },
    });
    console.log(`Screenshots of each step: ${screenshotsDir}`);
    return results;
  } finally {
    await server.kill();
    await simulator.close();
  }
}

/**
 * @param {import('playwright-core').Page} page
 * @param {import('../../src/core/simulator/simulatedNode').SimulatedNode} simulator
 */
function scenario(page, simulator, backgroundMessages) {
  const messages = viewPane(page, 'Messages');
  const watches = viewPane(page, 'Awaited Replies');
  const [alice, bob, carol] = simulator.peers;
  // The ID of a message the user sent from their app: they wait for its reply.
  const awaitedId = 'e2e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e';
  const awaitedLabel = `${awaitedId.slice(0, 8)}…`;
  const questionText = 'Is the relay up? I would like to open a 2M sat channel';
  const answer = 'Relay is up, go ahead';
  const replyText = 'Order 7f3a confirmed, ships tomorrow';
  let questionId;

  return [
    {
      title: 'the workbench loads with the extension installed from its VSIX',
      async run() {
        await waitForWorkbench(page);
        await activityBarItem(page, 'Impervious').waitFor();
      },
    },
    {
      title: 'the activity-bar icon opens the Impervious views',
      async run() {
        await openViewContainer(page, 'Impervious');
        // Wider than the default 300 px, so labels and descriptions show (in the screenshots too).
        await resizeSideBar(page, 520);
        await expandView(page, 'Messages');
        await expandView(page, 'Awaited Replies');
      },
    },
    {
      title: 'the Messages view and the status bar show the node connected',
      async run() {
        await simulator.waitForSubscribers(1, uiTimeoutMs);
        await welcomeContent(messages).filter({ hasText: 'Connected. Messages appear here as they arrive.' }).waitFor();
        await statusBarItems(page, `${nodeName} · 0`).waitFor();
      },
    },
    {
      title: 'a message from the node appears as a tree item',
      async run() {
        if (backgroundMessages > 0) await simulator.burst(backgroundMessages);
        questionId = simulator.emit({ data: questionText, fromPubkey: alice.pubkey, amount: 2 }).id;
        await treeItems(messages, questionText).waitFor();
        await statusBarItems(page, `${nodeName} · ${backgroundMessages + 1}`).waitFor();
      },
    },
    {
      title: 'a reply appears in the thread, under the message it answers',
      async run() {
        simulator.emit({ data: answer, fromPubkey: bob.pubkey, replyToId: questionId });
        const question = treeItems(messages, questionText);
        await question.and(page.locator('[aria-expanded]')).waitFor();
        // A message that was a leaf keeps its collapsed state when its first reply arrives.
        if ((await question.getAttribute('aria-expanded')) !== 'true') await question.locator('.monaco-tl-twistie').click();
        const reply = treeItems(messages, answer);
        await reply.waitFor();
        const parentLevel = Number(await question.getAttribute('aria-level'));
        const level = Number(await reply.getAttribute('aria-level'));
        if (level !== parentLevel + 1) throw new Error(`the reply is at tree level ${level}, its message at ${parentLevel}`);
      },
    },
    {
      title: 'Impervious: Watch for Reply… from the command palette watches a typed ID',
      async run() {
        await runCommand(page, 'Impervious: Watch for Reply');
        await answerInputBox(page, 'Watch for a Reply', awaitedId);
        const watch = treeItems(watches, awaitedLabel);
        await descriptionOf(watch).filter({ hasText: /^waiting/ }).waitFor();
      },
    },
    {
      title: 'the reply from the node answers the watch, with a notification',
      async run() {
        simulator.emit({ data: replyText, fromPubkey: carol.pubkey, replyToId: awaitedId, amount: 21 });
        const watch = treeItems(watches, awaitedLabel);
        await descriptionOf(watch).filter({ hasText: /^answered .*Order 7f3a confirmed/ }).waitFor();
        await notificationToasts(page, `Reply to ${awaitedLabel}`).filter({ hasText: replyText }).waitFor();
      },
    },
    {
      title: 'clicking the answered watch opens the reply as a JSON document',
      async run() {
        await treeItems(watches, awaitedLabel).click();
        await moveMouseAway(page);
        await editorTabs(page, '.json').waitFor();
        const text = await activeEditorText(page);
        for (const expected of [`"replyToId": "${awaitedId}"`, `"dataText": "${replyText}"`]) {
          if (!text.includes(expected)) throw new Error(`the document does not show ${expected}:\n${text}`);
        }
      },
    },
  ];
}

async function saveScreenshot(page, file) {
  await page.screenshot({ path: file });
  console.log(`Saved ${file}`);
}

function slug(title) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
