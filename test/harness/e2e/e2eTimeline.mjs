/* global getComputedStyle -- evaluated inside the webview frame */
// The end-to-end steps of the Timeline: opened from the palette into the panel, its webview frame
// read from inside (the chart drawn, the table's counts equal to what is held, a hostile sender's
// name shown as text), a range brushed to filter the Messages view, a latency mark clicked on the
// chart's canvas to reveal its reply, and a light theme recolouring the chart.
import { moveMouseAway, runCommand, statusBarItems } from './workbench-ui.mjs';

/** The watch whose latency mark is clicked on the chart (its ID's first characters), and its reply. */
const markedSentLabel = '5e7d0c1a';
const markedReplyText = 'Channel opened, 2M sat';
/** A sender name that would be markup if the webview wrote it as HTML. */
const hostileSender = '<img src=x onerror=alert(1)></script><b>';

/**
 * The Timeline's page: VS Code nests every webview in two frames, and other webviews may be open;
 * the Timeline's is the frame that holds its chart.
 * @param {import('playwright-core').Page} page
 * @param {number} timeout
 * @returns {Promise<import('playwright-core').Frame>}
 */
export async function timelineFrame(page, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (await frame.locator('.chart canvas').count().catch(() => 0)) return frame;
    }
    if (Date.now() > deadline) throw new Error('no webview frame holds the Timeline\'s chart');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Picks a colour theme from the palette ("Browse Color Themes in Marketplace" comes first there, so
 * the command's own row is clicked).
 * @param {import('playwright-core').Page} page
 * @param {string} theme
 */
export async function pickColorTheme(page, theme) {
  await page.keyboard.press('F1');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await input.waitFor();
  await input.pressSequentially('Preferences: Color Theme');
  await widget.locator('.monaco-list-row:is([aria-label="Preferences: Color Theme"], [aria-label^="Preferences: Color Theme,"])').click();
  await widget.locator('.monaco-list-row', { hasText: theme }).first().waitFor();
  await input.pressSequentially(theme);
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
}

/**
 * Where the chart drew the latency mark of the watch on `sentLabel` (the plot's `data-marks`: left,
 * top and the sent message's label of each mark, in CSS pixels of the plot), once it is drawn.
 * @param {import('playwright-core').Locator} over
 */
async function markPosition(over, sentLabel, timeout) {
  const deadline = Date.now() + timeout;
  let previous;
  for (;;) {
    const marks = JSON.parse((await over.getAttribute('data-marks')) ?? '[]');
    const found = marks.find(([, , label]) => label.startsWith(sentLabel));
    // Only where two reads a quarter second apart agree: a chart shown again lays itself out anew.
    if (found && previous && found[0] === previous[0] && found[1] === previous[1]) return { left: found[0], top: found[1] };
    previous = found;
    if (Date.now() > deadline) throw new Error(`no latency mark for ${sentLabel} among ${marks.length}: ${JSON.stringify(marks)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The Messages view's selected row with `text`. Only the Messages view's rows are labelled
 * "Message …": Awaited Replies shows a reply's text too, and may have its own row selected.
 */
function selectedMessage(page, text) {
  return page.locator('.part.sidebar .monaco-list-row[aria-selected="true"][aria-label^="Message "]', { hasText: text });
}

/** What every node holds, as the status bar says it ("Simulated node · 1057", "Simulator · 24"). */
async function heldInStatusBar(page) {
  const texts = await page.locator('.part.statusbar .statusbar-item').allInnerTexts();
  return texts.reduce((sum, text) => sum + Number(/^\S.* · (\d+)$/.exec(text.trim())?.[1] ?? 0), 0);
}

/**
 * @param {import('playwright-core').Page} page
 * @param {import('../../../src/core/simulator/simulatedNode').SimulatedNode} simulator
 * @param {{ uiTimeoutMs: number, nodeName: string }} options
 */
export function timelineSteps(page, simulator, { uiTimeoutMs, nodeName }) {
  /** @type {import('playwright-core').Frame} */
  let frame;
  const swatchColours = () => frame.locator('.legend .swatch').evaluateAll((swatches) => swatches.map((swatch) => getComputedStyle(swatch).backgroundColor));
  let darkColours;
  return [
    {
      title: 'Impervious: Show Timeline opens the Timeline in the panel: the chart is drawn, and the table counts every held message',
      async run() {
        await moveMouseAway(page);
        await page.keyboard.press('Escape');
        simulator.emit({ data: 'a name that is markup', fromPubkey: hostileSender });
        await runCommand(page, 'Impervious: Group Messages By');
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Sender' }).first().click();
        await runCommand(page, 'Impervious: Show Timeline');
        frame = await timelineFrame(page, uiTimeoutMs);
        await frame.getByRole('button', { name: 'All held' }).click();
        await frame.getByRole('button', { name: 'Table' }).click();
        await frame.locator('table.bins tfoot').waitFor({ timeout: uiTimeoutMs });
        await statusBarItems(page, `${nodeName} · `).first().waitFor();
        // The table follows the data, the status bar its own throttle: wait until both count the same.
        const tableTotal = () => frame.locator('table.bins tfoot th').last().innerText().then(Number);
        const deadline = Date.now() + uiTimeoutMs;
        let held = await heldInStatusBar(page);
        while ((await tableTotal()) !== held && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          held = await heldInStatusBar(page);
        }
        const rowsTotal = await frame.locator('table.bins tbody tr').evaluateAll((rows) => rows.reduce((sum, row) => sum + Number(row.lastElementChild?.textContent), 0));
        if ((await tableTotal()) !== held || rowsTotal !== held) throw new Error(`the table counts ${await tableTotal()} (rows ${rowsTotal}), the status bar ${held}`);
      },
    },
    {
      title: "a hostile sender's name shows as its characters in the Timeline's legend and table, never as markup",
      async run() {
        await frame.locator('table.bins thead th', { hasText: '<img s' }).first().waitFor({ timeout: uiTimeoutMs });
        await frame.locator('.legend .entry', { hasText: '<img s' }).first().waitFor({ timeout: uiTimeoutMs });
        // VS Code adds a script of its own to every webview: the sender's would say alert(…).
        const elements = (await frame.locator('img, b').count()) + (await frame.locator('script', { hasText: 'alert' }).count());
        if (elements > 0) throw new Error(`${elements} element(s) came from a sender's name`);
        await frame.getByRole('button', { name: 'Chart' }).click();
      },
    },
    {
      title: 'dragging across the Timeline filters the Messages view to that time; Show all messages clears it',
      async run() {
        const over = frame.locator('.u-over');
        const box = await over.boundingBox();
        if (!box) throw new Error('the chart is not shown');
        await page.mouse.move(box.x + box.width * 0.05, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 8 });
        await page.mouse.move(box.x + box.width * 0.99, box.y + box.height / 2, { steps: 8 });
        await page.mouse.up();
        // The Messages view's header says so (its aria-label changes with the description, so it is found by its text).
        const described = page.locator('.part.sidebar .pane-header', { hasText: /Messages.*received \d\d:\d\d:\d\d–\d\d:\d\d:\d\d/ });
        await described.waitFor({ timeout: uiTimeoutMs });
        await page.locator('.part.sidebar', { hasText: /\(from the Timeline\): \d+ of \d+ messages/ }).waitFor({ timeout: uiTimeoutMs });
        await frame.getByRole('button', { name: 'Show all messages' }).click();
        await described.waitFor({ state: 'detached', timeout: uiTimeoutMs });
      },
    },
    {
      title: "a latency mark's reply is revealed and selected in the Messages view (from the table, as the keyboard does it)",
      async run() {
        await frame.getByRole('button', { name: 'Table' }).click();
        await frame.locator('table.replies tbody tr', { hasText: 'e2e0a1b2' }).getByRole('button', { name: 'Reveal' }).first().click();
        await selectedMessage(page, 'Order 7f3a confirmed').waitFor({ timeout: uiTimeoutMs });
        await frame.getByRole('button', { name: 'Chart' }).click();
      },
    },
    {
      title: "clicking a latency mark on the chart reveals and selects its reply in the Messages view",
      async run() {
        // Another reply than the one the table revealed: the selection must move to this one.
        const over = frame.locator('.u-over');
        const selected = selectedMessage(page, markedReplyText);
        const deadline = Date.now() + uiTimeoutMs;
        // As a user does when the chart moved under the pointer: look where the mark is, and click again.
        for (;;) {
          const mark = await markPosition(over, markedSentLabel, Math.max(1, deadline - Date.now()));
          const box = await over.boundingBox();
          if (!box) throw new Error('the chart is not shown');
          await page.mouse.click(box.x + mark.left, box.y + mark.top);
          try {
            await selected.waitFor({ timeout: Math.max(1, Math.min(4000, deadline - Date.now())) });
            break;
          } catch (error) {
            if (Date.now() >= deadline) throw error;
          }
        }
        await moveMouseAway(page);
      },
    },
    {
      title: "a light theme recolours the Timeline's chart",
      async run() {
        darkColours = await swatchColours();
        await pickColorTheme(page, 'Light Modern');
        const deadline = Date.now() + uiTimeoutMs;
        let light = await swatchColours();
        while (JSON.stringify(light) === JSON.stringify(darkColours) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          light = await swatchColours();
        }
        if (JSON.stringify(light) === JSON.stringify(darkColours)) throw new Error(`the chart kept its colours: ${light.join(', ')}`);
      },
    },
    {
      title: 'back to the dark theme',
      async run() {
        await pickColorTheme(page, 'Dark Modern');
        await runCommand(page, 'Impervious: Group Messages By');
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Thread' }).first().click();
      },
    },
  ];
}
