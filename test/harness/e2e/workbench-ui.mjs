/* global document, NodeFilter -- page.evaluate() runs in the browser */
// Driving the VS Code workbench in the browser as a user does: clicks, keys, and what shows on
// screen. The selectors are VS Code's own DOM (aria labels and classes, as of 1.139): the
// workbench's common parts here, a feature's own (the Testing view, CodeLenses, the walkthrough)
// in its page object in pages/; the specs hold none, so a workbench update changes these files.

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/** Waits until the workbench has rendered its activity bar and restored its views. */
export async function waitForWorkbench(page, timeout = 60_000) {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout });
}

/**
 * An activity-bar entry (a tab) by its title: the aria-label of its icon, with a keybinding in
 * parentheses or not.
 */
export function activityBarItem(page, title) {
  const icon = page.locator(`a.action-label:is([aria-label="${title}"], [aria-label^="${title} ("])`);
  return page.locator('.part.activitybar li.action-item', { has: icon });
}

/** Clicks a view container's activity-bar icon, unless its views already show. */
export async function openViewContainer(page, title) {
  const tab = activityBarItem(page, title);
  // The tab is selected while its container is open; clicking it then would close the side bar.
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await moveMouseAway(page);
}

/** Drags the sash between the side bar and the editors until the side bar is `width` px wide. */
export async function resizeSideBar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('the side bar is not shown');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
  await moveMouseAway(page);
}

/** A view's pane in the side bar, by the view's name ("Messages"). */
export function viewPane(page, name) {
  return page.locator('.part.sidebar .pane', { has: page.locator(`.pane-header[aria-label="${name} Section"]`) });
}

/** Expands a collapsed view pane. */
export async function expandView(page, name) {
  const header = page.locator(`.part.sidebar .pane-header[aria-label="${name} Section"]`);
  await header.waitFor();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
}

/** Tree rows of a view pane that contain `text` (a string or a RegExp). */
export function treeItems(pane, text) {
  return pane.locator('.monaco-list-row[role="treeitem"]', { hasText: text });
}

/** The description (the grey text after the label) of a tree row. */
export function descriptionOf(row) {
  return row.locator('.label-description');
}

/** Expands a tree row with its twistie, unless it is expanded already. */
export async function expandRow(row) {
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
}

/**
 * Runs a command from the command palette: F1, its title typed, Enter once the palette's
 * focused entry is that command. `prefix`: any entry whose label starts with the title will do
 * (VS Code's own commands, whose labels may carry more after it).
 */
export async function runCommand(page, title, { prefix = false } = {}) {
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('.quick-input-box input');
  await input.waitFor();
  // F1 opens the palette with ">" typed; typing continues after it.
  await input.pressSequentially(title);
  // A command with a keybinding has it in its label: "Terminal: Create New Terminal, Ctrl+Shift+C".
  const focused = prefix ? `[aria-label^="${title}"]` : `:is([aria-label="${title}"], [aria-label^="${title}…"], [aria-label^="${title},"])`;
  await quickInput(page).locator(`.monaco-list-row.focused${focused}`).waitFor();
  await page.keyboard.press('Enter');
}

/** Types `text` into the open quick input (Go to File, a quick pick) and takes its focused entry once it shows `text`. */
export async function chooseInQuickInput(page, text) {
  const input = quickInput(page).locator('.quick-input-box input');
  await input.waitFor();
  await input.pressSequentially(text);
  await quickInput(page).locator('.monaco-list-row.focused', { hasText: text }).waitFor();
  await page.keyboard.press('Enter');
}

/** Types `value` into the input box titled `title` (from showInputBox) and accepts it. */
export async function answerInputBox(page, title, value) {
  await quickInput(page).locator('.quick-input-title', { hasText: title }).waitFor();
  const input = quickInput(page).locator('.quick-input-box input');
  await input.fill('');
  await input.pressSequentially(value);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
}

function quickInput(page) {
  return page.locator('.quick-input-widget');
}

/** The welcome content a view shows while its tree is empty. */
export function welcomeContent(pane) {
  return pane.locator('.welcome-view-content');
}

/** Status bar entries that contain `text`. */
export function statusBarItems(page, text) {
  return page.locator('.part.statusbar .statusbar-item', { hasText: text });
}

/** A status bar entry's text and the classes of each of its icons. */
export async function statusBarItemLook(item) {
  return item.evaluate((element) => ({
    text: element.textContent?.trim() ?? '',
    icons: [...element.querySelectorAll('.codicon')].map((icon) => [...icon.classList].join(' ')),
  }));
}

/** Notification toasts (bottom right) that contain `text`. */
export function notificationToasts(page, text) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

/**
 * What a notification toast says, as the user reads it, and the links in its message (a link or
 * command there would come from text rendered as Markdown).
 */
export async function notificationMessage(toast) {
  const message = toast.locator('.notification-list-item-message');
  await message.waitFor();
  const links = await toast.locator('a[href]').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
  return { text: (await message.innerText()).replaceAll('\u00a0', ' ').trim(), links };
}

/**
 * The links in the notification toasts and the notification center that would run a command or
 * open a page, each as "text -> target".
 */
export async function notificationLinks(page) {
  return page
    .locator('.notifications-toasts, .notifications-center')
    .locator('a[href^="command:"], a[href^="http"], a[data-href^="command:"]')
    .evaluateAll((anchors) => anchors.map((anchor) => `${anchor.textContent} -> ${anchor.getAttribute('href') ?? anchor.getAttribute('data-href')}`));
}

/** Editor tabs whose title contains `text`. */
export function editorTabs(page, text) {
  return page.locator('.part.editor .tabs-container .tab', { hasText: text });
}

/** The active editor's rendered lines. */
export const activeEditorLines = '.part.editor .editor-group-container.active .view-lines';

/** The text shown in the active editor (Monaco renders only the visible lines). */
export async function activeEditorText(page) {
  const lines = page.locator('.part.editor .editor-group-container.active .monaco-editor .view-lines');
  await lines.waitFor();
  // Monaco draws spaces as non-breaking spaces.
  return (await lines.innerText()).replaceAll('\u00a0', ' ');
}

/** Moves the mouse to an empty spot, so no hover or tooltip covers what a screenshot shows. */
export async function moveMouseAway(page) {
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.mouse.move(viewport.width - 2, Math.round(viewport.height / 2));
}

/**
 * Where `text` shows on screen in the editor or the terminal: the middle of its first
 * `charsIn` characters, in page coordinates. `occurrence: 'last'` takes the last place it shows
 * (in a terminal, the output line rather than the command that printed it). The terminal must use
 * its DOM renderer (`terminal.integrated.gpuAcceleration: "off"`): a canvas has no text to find.
 */
export async function textPosition(page, scope, text, { occurrence = 'first', charsIn = 4 } = {}) {
  const container = page.locator(scope).first();
  await container.waitFor();
  const handle = await container.elementHandle();
  const point = await page.evaluate(
    ({ root, text, occurrence, charsIn }) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let found;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // Monaco and xterm draw spaces as non-breaking spaces.
        const index = node.data.replaceAll('\u00a0', ' ').indexOf(text);
        if (index >= 0) {
          found = { node, index };
          if (occurrence === 'first') break;
        }
      }
      if (!found) return undefined;
      const range = document.createRange();
      range.setStart(found.node, found.index);
      range.setEnd(found.node, found.index + Math.min(charsIn, text.length));
      const box = range.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    },
    { root: handle, text, occurrence, charsIn },
  );
  if (!point) throw new Error(`"${text}" is not shown in ${scope}`);
  return point;
}

/** The editor hover widget, once it shows `text`. */
export function editorHover(page, text) {
  return page.locator('.monaco-hover:not(.hidden)', { hasText: text });
}

/** The integrated terminal's rendered rows (DOM renderer). */
export const terminalRows = '.part.panel .terminal-wrapper.active .xterm-rows';

/** The active terminal's area in the panel. */
export function activeTerminal(page) {
  return page.locator('.part.panel .terminal-wrapper.active');
}

/** Types a command line into the focused terminal and runs it. */
export async function runInTerminal(page, commandLine) {
  // Typed before the shell prints its prompt, the line would be echoed twice.
  await page.locator(terminalRows, { hasText: /[$#] / }).waitFor();
  await page.keyboard.type(commandLine);
  await page.keyboard.press('Enter');
}

/**
 * Ctrl+click at a point, as a user follows a link in the terminal or the editor, until `done`
 * resolves true. Links are found asynchronously after the pointer arrives (an extension's provider
 * runs in the extension host), so a click that came too early is tried again, a few times.
 */
export async function ctrlClickUntil(page, { x, y }, done, attempts = 4) {
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(x, y);
    await page.waitForTimeout(500 * attempt);
    await page.keyboard.down('Control');
    await page.mouse.move(x + 1, y);
    await page.mouse.click(x + 1, y);
    await page.keyboard.up('Control');
    if (await done()) return;
    if (attempt === attempts) throw new Error(`Ctrl+click at ${Math.round(x)},${Math.round(y)} did not follow a link`);
  }
}

/** VS Code's modal dialog (showWarningMessage with `modal: true`). */
export function modalDialog(page) {
  return page.locator('.monaco-dialog-box');
}

/** The modal dialog's sentence, detail and buttons, or `undefined` when none is open. */
export async function modalDialogText(page) {
  const dialog = modalDialog(page);
  if (!(await dialog.isVisible())) return undefined;
  const message = (await dialog.locator('.dialog-message-text').innerText()).trim();
  const details = dialog.locator('.dialog-message-detail');
  const detail = (await details.count()) > 0 ? (await details.first().innerText()).trim() : '';
  const buttons = (await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((text) => text.trim());
  return { message, detail, buttons };
}
