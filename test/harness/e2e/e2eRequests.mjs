// The end-to-end steps of request files: opened from the workspace, sent from a CodeLens, the
// SEND line showing the wait and the reply, the Test Explorer after Run All with a failed `==`
// compared, and the walkthrough ticking off its steps.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { editorHover, editorTabs, modalDialog, moveMouseAway, textPosition } from './workbench-ui.mjs';

export const requestFileName = 'ping.imp';
/** A request file whose second block pays what the peer quotes in its reply to the first. */
const quoteFileName = 'quote.imp';
/** A request file whose one test fails a `==`: its reply is `re: status`, not what it expects. */
const failingFileName = 'status.imp';
const failingExpected = '"status: ok"';
const failingActual = '"re: status"';

/** Writes the workspace's request files, addressed to the simulated node's first peer. */
export function writeRequestFile(folder, simulator) {
  const alice = simulator.peers[0];
  const text = [
    `@alice = ${alice.pubkey}`,
    '',
    '### ping alice',
    '# @name ping',
    '# @timeout 10s',
    'SEND {{alice}}',
    '',
    'ping',
    '',
    '> expect reply within 10s',
    '> expect reply.data contains "ping"',
    '',
    '### answer her reply',
    '# @name followUp',
    '# @timeout 6s',
    'SEND {{alice}}',
    'Reply-To: {{ping.reply.id}}',
    '',
    '{"about":{{ping.id | json}},"heard":{{ping.reply.data | json}}}',
    '',
    '> expect reply.data contains "heard"',
    '',
  ].join('\n');
  writeFileSync(path.join(folder, requestFileName), text);
  const failing = [`@alice = ${alice.pubkey}`, '', '### status check', '# @name status', 'SEND {{alice}}', '', 'status', '', `> expect reply.data == ${failingExpected}`, ''];
  writeFileSync(path.join(folder, failingFileName), failing.join('\n'));
  const quote = [
    `@alice = ${alice.pubkey}`,
    '',
    '### ask alice for a price',
    '# @name quote',
    'SEND {{alice}}',
    '',
    '{"action":"quote"}',
    '',
    '### pay what she quoted',
    '# @name pay',
    'SEND {{quote.reply.from}}',
    'Amount: {{quote.reply.json.price_sat}}',
    '',
    'paid',
    '',
  ];
  writeFileSync(path.join(folder, quoteFileName), quote.join('\n'));
}

/** The texts decorations put after lines of the active editor (VS Code draws them as CSS content). */
async function decorationTexts(page) {
  return page.evaluate(() => {
    // Runs in the page: the browser's globals.
    /* global document, getComputedStyle */
    const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor .view-lines');
    if (!editor) return [];
    const texts = [];
    for (const element of editor.querySelectorAll('span')) {
      const content = getComputedStyle(element, '::after').content;
      if (content && content !== 'none' && content !== 'normal') texts.push(content.replace(/^"|"$/g, ''));
    }
    return texts;
  });
}

async function waitForDecoration(page, pattern, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let texts = [];
  while (Date.now() < end) {
    texts = await decorationTexts(page);
    const found = texts.find((text) => pattern.test(text));
    if (found) return found;
    await delay(100);
  }
  throw new Error(`no decoration matched ${pattern}; shown: ${JSON.stringify(texts)}`);
}

/** Runs a workbench command from the palette by its title (the row may also show a keybinding). */
async function runWorkbenchCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.pressSequentially(title);
  await page.locator(`.quick-input-widget .monaco-list-row.focused[aria-label^="${title}"]`).waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Clicks a CodeLens until its block's SEND line shows a new send. The lenses are redrawn when a
 * run ends, and a click on one being redrawn is lost.
 */
async function clickUntilSent(page, lens) {
  for (let attempt = 1; ; attempt++) {
    await lens.click();
    try {
      return await waitForDecoration(page, /^(sent [0-9a-f]{8}…|✓ replied in)/, 3000);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Opens a file of the workspace with Go to File. */
async function openWorkspaceFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.pressSequentially(name);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name }).waitFor();
  await page.keyboard.press('Enter');
  await editorTabs(page, name).waitFor();
}

function codeLens(page, title) {
  return page.locator('.part.editor .editor-group-container.active .codelens-decoration a', { hasText: title });
}

/**
 * @param {import('playwright-core').Page} page
 * @param {import('../../../src/core/simulator/simulatedNode').SimulatedNode} simulator
 * @param {{ uiTimeoutMs: number, save?: (name: string) => Promise<void> }} options
 *   save: keeps the screen as `name` (the README's pictures), when screenshots are wanted.
 */
export function requestFileSteps(page, simulator, { uiTimeoutMs, save }) {
  return [
    {
      title: 'a request file from the workspace opens with Send and Send and Check above its blocks',
      async run() {
        // The earlier steps' toasts would cover the editor.
        await runWorkbenchCommand(page, 'Notifications: Clear All Notifications');
        await openWorkspaceFile(page, requestFileName);
        await codeLens(page, 'Send and Check').first().waitFor();
      },
    },
    {
      title: 'Send and Check sends the block, and its SEND line turns to "replied in … ms"',
      async run() {
        await codeLens(page, 'Send and Check').first().click();
        await waitForDecoration(page, /^✓ replied in \d+ ms · re: ping$/, uiTimeoutMs);
        await codeLens(page, 'Show Reply').first().waitFor();
      },
    },
    {
      title: 'while the node is slow, the next block shows how long it has waited',
      async run() {
        // The node stops sending for a moment: the reply of this send is lost, as a dead link loses it.
        simulator.setFaults({ stall: true });
        try {
          await codeLens(page, 'Send and Check').nth(1).click();
          await waitForDecoration(page, /^sent [0-9a-f]{8}…, waiting [1-9] s$/, uiTimeoutMs);
          await moveMouseAway(page);
          await save?.('requests-run.png');
        } finally {
          simulator.setFaults({ stall: false });
        }
        await waitForDecoration(page, /^✗ timed out after 6(\.\d)? s$/, uiTimeoutMs);
      },
    },
    {
      title: 'Run All Tests asks first, naming how many sends in how many request files, then shows each block with expectations passed',
      async run() {
        await runWorkbenchCommand(page, 'Test: Run All Tests');
        // Run All Tests was not aimed at request files: it asks before it sends, however little.
        const dialog = modalDialog(page);
        await dialog.waitFor();
        const shown = await dialog.innerText();
        if (!/Running all tests runs request files too: 3 sends from 2 request files/.test(shown)) throw new Error(`the question reads:\n${shown}`);
        await dialog.getByRole('button', { name: 'Send', exact: true }).click();
        await dialog.waitFor({ state: 'hidden' });
        await runWorkbenchCommand(page, 'Testing: Focus on Test Explorer View');
        const row = (name) => page.locator('.part.sidebar .monaco-list-row[role="treeitem"]', { hasText: name });
        const passed = (name) => row(name).filter({ has: page.locator('.codicon-testing-passed-icon') }).first();
        await passed(requestFileName).waitFor();
        const file = row(requestFileName).first();
        if ((await file.getAttribute('aria-expanded')) !== 'true') await file.locator('.monaco-tl-twistie').click();
        for (const name of ['ping', 'followUp']) await passed(name).waitFor();
        await moveMouseAway(page);
        await save?.('requests-tests.png');
      },
    },
    {
      title: 'a test that fails a == shows the expected value against the actual one, in the Testing view and its peek',
      async run() {
        const row = (name) => page.locator('.part.sidebar .monaco-list-row[role="treeitem"]', { hasText: name });
        const file = row(failingFileName).filter({ has: page.locator('.codicon-testing-failed-icon') }).first();
        await file.waitFor();
        if ((await file.getAttribute('aria-expanded')) !== 'true') await file.locator('.monaco-tl-twistie').click();
        await row('status').filter({ has: page.locator('.codicon-testing-failed-icon') }).first().waitFor();
        // In the file, VS Code marks the failed expectation with "actual != expected", which it
        // writes only for a message that carries both; clicking the mark opens the comparison.
        await openWorkspaceFile(page, failingFileName);
        await runWorkbenchCommand(page, 'Test: Go to Next Test Failure');
        const mark = page.locator('.part.editor .editor-group-container.active .test-error-content-widget', { hasText: `${failingActual} != ${failingExpected}` });
        await mark.click();
        const peek = page.locator('.part.editor .test-output-peek');
        const side = (name) => peek.locator(`.monaco-diff-editor .editor.${name} .view-lines`);
        await side('original').filter({ hasText: failingExpected }).waitFor();
        await side('modified').filter({ hasText: failingActual }).waitFor();
        await moveMouseAway(page);
        await page.keyboard.press('Escape');
      },
    },
    {
      title: "a block whose amount comes from the simulated peer's reply stops at a modal naming that amount; Cancel sends nothing more",
      async run() {
        await runWorkbenchCommand(page, 'Notifications: Clear All Notifications');
        await openWorkspaceFile(page, quoteFileName);
        const sends = simulator.stats.restRequests;
        // The second block's Send: it runs the quote first, and its amount is the quote's price.
        await codeLens(page, 'Send').nth(1).click();
        const dialog = modalDialog(page);
        await dialog.waitFor({ timeout: uiTimeoutMs });
        const shown = await dialog.innerText();
        for (const expected of ['The amount of the next send, 250 sat, came from the reply to "quote"', '250 sat ("pay")']) {
          if (!shown.includes(expected)) throw new Error(`the question does not say "${expected}":\n${shown}`);
        }
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await waitForDecoration(page, /^✗ not sent: the amount for this run was not confirmed$/, uiTimeoutMs);
        await delay(500);
        if (simulator.stats.restRequests !== sends + 1) throw new Error(`${simulator.stats.restRequests - sends} sends: only the quote request may go out`);
      },
    },
    {
      title: 'the walkthrough checks off each of its five steps when its action is done, "send and check" only once the reply arrives',
      async run() {
        await runWorkbenchCommand(page, 'Notifications: Clear All Notifications');
        await runWorkbenchCommand(page, 'Welcome: Open Walkthrough...');
        const input = page.locator('.quick-input-widget .quick-input-box input');
        await input.pressSequentially('Send and Check Requests');
        await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Send and Check Requests' }).waitFor();
        await page.keyboard.press('Enter');
        const step = (id) => page.locator(`.getting-started-step[data-step-id$="#${id}"]`);
        const checked = (id) => step(id).locator('.codicon-getting-started-step-checked');
        const link = (id, text) => step(id).locator('a, .button-link', { hasText: text }).first();
        const welcome = () => editorTabs(page, 'Welcome').click();
        const ids = ['startSimulator', 'openSample', 'sendAndCheck', 'hoverId', 'openWatches'];
        for (const id of ids) await step(id).waitFor();
        if ((await page.locator('.getting-started-step').count()) !== ids.length) throw new Error('the walkthrough does not have exactly five steps');
        // The earlier steps sent from a request file and opened Awaited Replies, before the
        // walkthrough was open: none of that may count, and nothing may be checked yet.
        for (const id of ids) if (await checked(id).count()) throw new Error(`the step ${id} is checked before its action`);

        await step('startSimulator').click();
        await link('startSimulator', 'Start the Simulated Node').click();
        await checked('startSimulator').waitFor();

        await step('openSample').click();
        await link('openSample', 'Open the Sample Request File').click();
        await editorTabs(page, 'Untitled').waitFor();
        await codeLens(page, 'Send and Check').first().waitFor();
        await welcome();
        await checked('openSample').waitFor();

        // Clicked while the node is stalled, the send waits and no reply comes: not done yet.
        await editorTabs(page, 'Untitled').click();
        simulator.setFaults({ stall: true });
        try {
          await codeLens(page, 'Send and Check').first().click();
          await waitForDecoration(page, /^sent [0-9a-f]{8}…, waiting [2-9] s$/, uiTimeoutMs);
          await welcome();
          if (await checked('sendAndCheck').count()) throw new Error('"send and check" is checked on the click, before any reply');
          await editorTabs(page, 'Untitled').click();
        } finally {
          simulator.setFaults({ stall: false });
        }
        await waitForDecoration(page, /^✗ timed out after 10(\.\d)? s$/, uiTimeoutMs);
        await clickUntilSent(page, codeLens(page, 'Send and Check').first());
        await waitForDecoration(page, /^✓ replied in \d+ ms · re: ping$/, uiTimeoutMs);
        await welcome();
        await checked('sendAndCheck').waitFor();

        await editorTabs(page, 'Untitled').click();
        const point = await textPosition(page, '.part.editor .editor-group-container.active .view-lines', 'ping.id', { charsIn: 2 });
        await page.mouse.move(point.x, point.y);
        await editorHover(page, 'ping.id').waitFor();
        await moveMouseAway(page);
        await welcome();
        await checked('hoverId').waitFor();

        // Awaited Replies may already be open from the earlier steps: the link counts all the same.
        await step('openWatches').click();
        await link('openWatches', 'Open Awaited Replies').click();
        await checked('openWatches').waitFor();
        for (const id of ids) if (!(await checked(id).count())) throw new Error(`the step ${id} is not checked at the end`);
        await moveMouseAway(page);
      },
    },
  ];
}
