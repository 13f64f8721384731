// The end-to-end scenarios: a user in the workbench, driven through headless Chromium, with the
// extension installed from its VSIX. In the first it is connected to a simulated node in this
// process; in the second it starts as on a new user's machine, where the default node is not
// running yet. Each step is a user action and what the user then sees; each ends with a screenshot,
// kept as a test artifact (the README's pictures come from a session of their own: showcase.mjs).
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeServerVersion, findFreePort } from '../launch/code-server.mjs';
import { CodeServer, profileFolders } from '../launch/session.mjs';
import { baseSettings, nodeSettings, writeSettings } from '../launch/settings.mjs';
import { startSimulator } from '../launch/simulator.mjs';
import { requestFileSteps, writeRequestFile } from './e2eRequests.mjs';
import { timelineSteps } from './e2eTimeline.mjs';
import { runSteps } from './steps.mjs';
import { AwaitedReplies, pagesOf, Workbench } from './pages/index.mjs';

export const e2eTitle = 'UI end-to-end (the workbench in headless Chromium)';
const nodeName = 'Simulated node';
// The name of the default entry of impervious.nodes.
const defaultNodeName = 'Local node';
/**
 * A keybinding that sends with arguments, as a user (or a settings file they copied) might bind it:
 * the send must wait for the modal confirmation.
 */
const sendKey = 'ctrl+alt+shift+k';
const boundSend = { pubkey: `03${'5a'.repeat(32)}`, text: 'bound to a key: pay the invoice', amount: 4200 };
// Long enough for a cold workbench; a step that works takes well under a second.
const uiTimeoutMs = 20_000;

/** The end-to-end profile's folders; its workspace's name shows in the title bar of screenshots. */
export function e2eProfile(runDir, options = {}) {
  const dir = path.join(runDir, 'e2e');
  return profileFolders(dir, { ...options, folder: path.join(dir, 'my-impervious-app') });
}

/**
 * Runs the scenarios, each on a fresh profile, and returns their results (the shape of RunResults).
 * @param {{ installation: object, folders: object, screenshotsDir: string, backgroundMessages?: number }} options
 *   backgroundMessages: sample-peer chatter sent before the scenario's own messages.
 */
export async function runE2e({ installation, folders, screenshotsDir, backgroundMessages = 8 }) {
  rmSync(screenshotsDir, { recursive: true, force: true });
  mkdirSync(screenshotsDir, { recursive: true });
  // A fixed seed: the same peers, IDs and chatter on every run, so screenshots compare. This one's
  // first messages have threads, JSON and no emoji (the machines here have no emoji font).
  const simulator = await startSimulator({ port: 0, rate: 0, seed: 14, replyDelayMs: 200 });
  writeRequestFile(folders.folder, simulator);
  let results;
  try {
    results = await runScenario({
      installation,
      folders,
      screenshotsDir,
      // Not IMPERVIOUS_TEST_SETTINGS: the steps expect the defaults.
      settings: nodeSettings(nodeName, simulator.subscribeUrl),
      steps: (page) => [
        ...scenario(page, simulator, backgroundMessages),
        // Before the request files: the walkthrough they end with keeps the Welcome page in front.
        ...timelineSteps(page, simulator, { uiTimeoutMs, nodeName }),
        ...requestFileSteps(page, simulator, { uiTimeoutMs }),
      ],
    });
  } finally {
    await simulator.close();
  }
  const firstStart = await runFirstStart({ installation, folders, screenshotsDir });
  return mergeResults(results, firstStart);
}

/** The default node's name and URL shape, on a loopback port where nothing listens (yet). */
async function runFirstStart({ installation, folders, screenshotsDir }) {
  const port = await findFreePort();
  const profile = profileFolders(`${folders.dir}-first-start`, { extensionsDir: folders.extensionsDir, folder: path.join(`${folders.dir}-first-start`, 'my-impervious-app') });
  const url = `ws://127.0.0.1:${port}/v1/subscribe`;
  /** @type {{ close(): Promise<void> } | undefined} */
  let node;
  try {
    return await runScenario({
      installation,
      folders: profile,
      screenshotsDir,
      prefix: 'first-start-',
      settings: { 'impervious.nodes': [{ name: defaultNodeName, url }] },
      steps: (page) =>
        firstStartScenario(page, async () => {
          node = await startSimulator({ port, rate: 0, seed: 14 });
        }),
    });
  } finally {
    await node?.close();
  }
}

/**
 * Runs `steps` in a workbench on a fresh code-server, a screenshot after each in `screenshotsDir`.
 * With `mediaDir`, the screenshots of the steps with a `picture` are copied there under that name
 * if every step passed, so a picture always shows what its steps checked. `timeoutMs`: how long a
 * step waits for what it expects to see.
 */
export async function runScenario({ installation, folders, screenshotsDir, mediaDir, prefix = '', settings, steps, timeoutMs = uiTimeoutMs }) {
  // The terminal's DOM renderer: a canvas has no text for the steps to find and point at.
  writeSettings(folders.userDataDir, { ...baseSettings, 'terminal.integrated.gpuAcceleration': 'off', ...settings });
  writeFileSync(path.join(folders.userDataDir, 'User', 'keybindings.json'), JSON.stringify([{ key: sendKey, command: 'impervious.sendMessage', args: boundSend }]));
  const server = new CodeServer(installation, folders);
  try {
    await server.start();
    console.log(`\ncode-server ${codeServerVersion} serves on 127.0.0.1:${server.port} (end-to-end); driving the workbench in headless Chromium ...`);
    const page = await server.openWorkbench();
    page.setDefaultTimeout(timeoutMs);
    /** [screenshot, README picture] of the steps that make one. */
    const pictures = [];
    const results = await runSteps(steps(page), {
      afterStep: async (index, step, error) => {
        const name = `${prefix}${String(index + 1).padStart(2, '0')}-${error ? 'FAILED-' : ''}${slug(step.title)}.png`;
        await page.screenshot({ path: path.join(screenshotsDir, name), timeout: 10_000 });
        if (step.picture && !error) pictures.push([path.join(screenshotsDir, name), step.picture]);
      },
    });
    if (mediaDir && results.failures === 0) {
      for (const [file, picture] of pictures) {
        copyFileSync(file, path.join(mediaDir, picture));
        console.log(`Saved ${path.join(mediaDir, picture)}`);
      }
    }
    console.log(`Screenshots of each step: ${screenshotsDir}`);
    return results;
  } finally {
    await server.kill();
  }
}

function mergeResults(first, second) {
  return {
    passes: first.passes + second.passes,
    failures: first.failures + second.failures,
    pending: first.pending + second.pending,
    durationMs: first.durationMs + second.durationMs,
    tests: [...first.tests, ...second.tests],
  };
}

/**
 * @param {import('playwright-core').Page} page
 * @param {import('../../../src/core/simulator/simulatedNode').SimulatedNode} simulator
 */
function scenario(page, simulator, backgroundMessages) {
  const { workbench, messages, watches, notifications, dialog, editor, terminal } = pagesOf(page);
  const [alice, bob, carol] = simulator.peers;
  // The ID of a message the user sent from their app: they wait for its reply.
  const awaitedId = 'e2e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e';
  const awaitedLabel = AwaitedReplies.label(awaitedId);
  const questionText = 'Is the relay up? I would like to open a 2M sat channel';
  const answer = 'Relay is up, go ahead';
  const replyText = 'Order 7f3a confirmed, ships tomorrow';
  // A stranger's reply whose sender and data carry links that would run commands if rendered.
  const hostileId = 'e2e0ffee0000000000000000000000000000000000000000000000000000beef';
  const hostileLabel = AwaitedReplies.label(hostileId);
  const hostileSender = 'did:[Fix Now](command:impervious.sendMessage?%7B%22amount%22%3A100000%7D)';
  const hostileData = 'route failed: [Open Fix](command:workbench.action.terminal.new) [site](https://evil.example)';
  const plainHostileId = 'e2ebad0c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e0';
  const hostileText = 'Click [open a terminal](command:workbench.action.terminal.new) and [this](https://example.com)';
  let questionId;
  // What `curl … /v1/message/send` prints for a message the user's app just sent.
  const sentId = '5e7d0c1a9b8f7e6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a3928170605';
  const sentLabel = AwaitedReplies.label(sentId);

  return [
    {
      title: 'the workbench loads with the extension installed from its VSIX',
      async run() {
        await workbench.waitForLoad();
        await workbench.activityBarItem('Impervious').waitFor();
      },
    },
    {
      title: 'the activity-bar icon opens the Impervious views',
      async run() {
        await workbench.openViewContainer('Impervious');
        // Wider than the default 300 px, so labels and descriptions show (in the screenshots too).
        await workbench.resizeSideBar(520);
        await messages.show();
        await watches.show();
      },
    },
    {
      title: 'the Messages view and the status bar show the node connected',
      async run() {
        await simulator.waitForSubscribers(1, uiTimeoutMs);
        await messages.welcome('Connected. Messages appear here as they arrive.').waitFor();
        await workbench.statusBarItem(`${nodeName} · 0`).waitFor();
      },
    },
    {
      title: 'a message from the node appears as a tree item',
      async run() {
        if (backgroundMessages > 0) await simulator.burst(backgroundMessages);
        questionId = simulator.emit({ data: questionText, fromPubkey: alice.pubkey, amount: 2 }).id;
        await messages.message(questionText).waitFor();
        await workbench.statusBarItem(`${nodeName} · ${backgroundMessages + 1}`).waitFor();
      },
    },
    {
      title: 'a reply appears in the thread, under the message it answers',
      async run() {
        simulator.emit({ data: answer, fromPubkey: bob.pubkey, replyToId: questionId });
        const question = messages.message(questionText);
        await messages.expandThread(question);
        const reply = messages.message(answer);
        await reply.waitFor();
        const parentLevel = await messages.level(question);
        const level = await messages.level(reply);
        if (level !== parentLevel + 1) throw new Error(`the reply is at tree level ${level}, its message at ${parentLevel}`);
      },
    },
    {
      title: 'Impervious: Watch for Reply… from the command palette watches a typed ID',
      async run() {
        await watches.watchFor(awaitedId);
      },
    },
    {
      title: 'the reply from the node answers the watch, with a notification',
      async run() {
        simulator.emit({ data: replyText, fromPubkey: carol.pubkey, replyToId: awaitedId, amount: 21 });
        await watches.waitForState(awaitedLabel, /^replied in .*Order 7f3a confirmed/);
        const toast = notifications.toast(`Reply to ${awaitedLabel}`).filter({ hasText: replyText });
        await toast.waitFor();
        const shown = await notifications.message(toast);
        // "Reply to X… from S…, replied in N ms: text", exactly.
        const expected = new RegExp(`^Reply to ${escapeRegExp(awaitedLabel)} from ${escapeRegExp(shortSender(carol.pubkey))}, replied in [0-9.]+ (ms|s): ${escapeRegExp(replyText)}$`);
        if (!expected.test(shown.text)) throw new Error(`the notification says ${JSON.stringify(shown.text)}, not ${expected}`);
        if (shown.links.length > 0) throw new Error(`the notification has links: ${shown.links.join(', ')}`);
      },
    },
    {
      title: "a reply with a Markdown link in its text is notified as plain text, with no link or command",
      async run() {
        await watches.watchFor(plainHostileId);
        simulator.emit({ data: hostileText, fromPubkey: alice.pubkey, replyToId: plainHostileId });
        const toast = notifications.toast(`Reply to ${AwaitedReplies.label(plainHostileId)}`);
        await toast.waitFor();
        const shown = await notifications.message(toast);
        // The words stay readable; none of them becomes a link, let alone a command link.
        for (const words of ['Click [open a terminal]', '(command:workbench.action.terminal.new) and [this]', '(https://example.com)']) {
          if (!shown.text.includes(words)) throw new Error(`the notification does not show ${JSON.stringify(words)}: ${JSON.stringify(shown.text)}`);
        }
        if (shown.links.length > 0) throw new Error(`the notification has links: ${shown.links.join(', ')}`);
        await workbench.moveMouseAway();
      },
    },
    {
      title: 'clicking the answered watch opens the reply as a JSON document',
      async run() {
        await watches.open(awaitedLabel);
        await workbench.moveMouseAway();
        await workbench.tab('.json').waitFor();
        const text = await editor.text();
        for (const expected of [`"replyToId": "${awaitedId}"`, `"dataText": "${replyText}"`]) {
          if (!text.includes(expected)) throw new Error(`the document does not show ${expected}:\n${text}`);
        }
        await workbench.moveMouseAway();
      },
    },
    {
      title: 'hovering a watched ID in an editor shows its reply, how fast it came, and actions',
      async run() {
        // Monaco draws a long token in pieces: the ID's first characters are found in one.
        await editor.pointAt(awaitedId.slice(0, 12));
        const hover = editor.hover(`Awaited reply to ${awaitedLabel}`);
        await hover.waitFor();
        for (const expected of [/Reply: replied in [\d.]+ m?s by /, /Order 7f3a confirmed/, /Open Reply/, /Copy Reply Data/]) {
          if (!expected.test(await hover.innerText())) throw new Error(`the hover does not show ${expected}:\n${await hover.innerText()}`);
        }
      },
    },
    {
      title: 'an ID printed in the terminal is a link: Ctrl+click opens the message',
      async run() {
        await workbench.moveMouseAway();
        await workbench.press('Escape');
        await terminal.create();
        await terminal.run(`echo '{"id":"${questionId}"}'`);
        await terminal.rows(`{"id":"${questionId}"}`).waitFor();
        // The last place the ID shows is the echo's output, not the command line.
        await terminal.ctrlClickUntil(questionId, () => editor.showsLine(questionId, 3000));
        const text = await editor.text();
        if (!text.includes(`"dataText": "${questionText}"`)) throw new Error(`the message document does not show the question:\n${text}`);
      },
    },
    {
      title: 'the ID of a message just sent, printed by curl, offers to watch it; its reply shows how fast it came',
      async run() {
        await terminal.focus();
        const offer = notifications.toast(`Message ${sentLabel} is not held. Watch for its reply?`);
        await terminal.printIdAndClick(sentId, offer);
        await notifications.press(offer, 'Watch for Reply');
        await watches.waitForState(sentLabel, /^waiting/);
        await workbench.statusBarItem('1 awaited').waitFor();
        simulator.emit({ data: 'Channel opened, 2M sat', fromPubkey: bob.pubkey, replyToId: sentId });
        await watches.waitForState(sentLabel, /^replied in [\d.]+ m?s by .*Channel opened/);
        await workbench.moveMouseAway();
      },
    },
    {
      title: 'a watched reply from a hostile sender shows its links as text: no command link in any notification',
      async run() {
        await watches.watchFor(hostileId);
        simulator.emit({ data: hostileData, fromPubkey: hostileSender, replyToId: hostileId });
        // The brackets still show: VS Code did not turn the text into a link.
        await notifications.toast(`Reply to ${hostileLabel}`).filter({ hasText: '[Open Fix]' }).waitFor();
        await notifications.assertNoLinks();
      },
    },
    {
      title: 'the hostile mode: the Messages view keeps drawing, and no notification gets a link',
      async run() {
        const roundDone = new Promise((resolve) => {
          const subscription = simulator.onDidSend((message) => {
            if (Buffer.from(message.data).toString() === 'hostile round 1 done') {
              subscription.dispose();
              resolve();
            }
          });
        });
        simulator.setFaults({ hostile: true });
        await roundDone;
        simulator.setFaults({ hostile: false });
        // Rows of the round draw (where the list is scrolled to depends on where the user was); a
        // view whose items failed would show its welcome text instead.
        await messages.rows(/hostile round 1 done|chain link \d+|loop of (two|three)|I reply to myself/).first().waitFor();
        await messages.rows(/\S/).nth(5).waitFor();
        if (await messages.welcome().isVisible()) throw new Error('the Messages view shows its welcome text: its items did not draw');
        await notifications.assertNoLinks();
      },
    },
    {
      title: 'a keybinding that sends with arguments asks first, in a modal naming pubkey, amount and text; Cancel sends nothing',
      async run() {
        const requests = simulator.stats.restRequests;
        await workbench.moveMouseAway();
        await workbench.press('Control+Alt+Shift+K');
        await dialog.waitFor();
        const shown = await dialog.text();
        for (const expected of [boundSend.pubkey, '4200 sat', boundSend.text, 'more than the minimum']) {
          if (!shown.includes(expected)) throw new Error(`the confirmation does not show "${expected}":\n${shown}`);
        }
        await dialog.press('Cancel');
        await dialog.waitForClose();
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (simulator.stats.restRequests !== requests) throw new Error('the send went out without "Send"');
        await workbench.press('Control+Alt+Shift+K');
        await dialog.press('Send');
        await workbench.statusBarItem('watching for the reply').waitFor();
        if (simulator.stats.restRequests !== requests + 1) throw new Error(`${simulator.stats.restRequests - requests} sends after "Send"`);
      },
    },
  ];
}

/**
 * A new user's first start: the default node is not running. The status bar says so calmly, and
 * keeps saying it through the retries, until the node comes up and the extension connects by itself.
 * @param {import('playwright-core').Page} page
 * @param {() => Promise<void>} startNode starts a node where the default entry points
 */
function firstStartScenario(page, startNode) {
  const workbench = new Workbench(page);
  const notRunning = `${defaultNodeName}: not running`;
  let loadedAt = 0;
  return [
    {
      title: 'a first start with the default node not running: the status bar says "Local node: not running"',
      async run() {
        await workbench.waitForLoad();
        loadedAt = Date.now();
        await workbench.statusBarItem(notRunning).waitFor();
      },
    },
    {
      title: 'after 30 s of refused attempts, it still says "Local node: not running", with a still icon: no spinner, no countdown',
      async run() {
        await workbench.wait(Math.max(0, loadedAt + 30_000 - Date.now()));
        // Watched for a few seconds: an attempt in between would show as a spinner or a countdown.
        for (let look = 0; look < 20; look++) {
          const { text, icons } = await workbench.statusBarLook(defaultNodeName);
          if (text !== notRunning) throw new Error(`the status bar item reads "${text}" ${(Date.now() - loadedAt) / 1000} s after the start`);
          if (icons.length !== 1 || !icons[0].includes('codicon-circle-outline') || icons[0].includes('spin')) {
            throw new Error(`the status bar item's icon is ${JSON.stringify(icons)}`);
          }
          await workbench.wait(150);
        }
      },
    },
    {
      title: 'when the node comes up, the extension connects by itself',
      async run() {
        await startNode();
        // The next attempt is at most the backoff's 30 s cap away.
        await workbench.statusBarItem(`${defaultNodeName} · 0`).waitFor({ timeout: 40_000 });
      },
    },
  ];
}

/** A pubkey as the extension shortens it (messageText.ts: `shortSender`). */
function shortSender(pubkey) {
  return `${pubkey.slice(0, 6)}…${pubkey.slice(-5)}`;
}

/** Text matched literally inside a RegExp. */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function slug(title) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
