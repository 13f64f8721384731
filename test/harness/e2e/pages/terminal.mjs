// The integrated terminal in the panel (its DOM renderer: a canvas has no text to find).
import { activeTerminal, ctrlClickUntil, moveMouseAway, runCommand, runInTerminal, terminalRows, textPosition } from '../workbench-ui.mjs';

/** @typedef {import('playwright-core').Page} Page */

export class Terminal {
  /** @param {Page} page */
  constructor(page) {
    this.page = page;
  }

  /** Opens a new terminal with "Terminal: Create New Terminal". */
  create() {
    return runCommand(this.page, 'Terminal: Create New Terminal');
  }

  /** Gives the terminal the focus: a click on its empty lower part, clear of any link's tooltip. */
  async focus() {
    await moveMouseAway(this.page);
    const box = await activeTerminal(this.page).boundingBox();
    if (!box) throw new Error('the terminal is not shown');
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height - 8);
  }

  /** Types a command line into the focused terminal and runs it. */
  run(commandLine) {
    return runInTerminal(this.page, commandLine);
  }

  /** The rendered rows, once one of them shows `text`. */
  rows(text) {
    return this.page.locator(terminalRows, { hasText: text });
  }

  /** The first single row that `pattern` matches (a line the command line wraps into spans several rows). */
  row(pattern) {
    return this.page.locator(`${terminalRows} > div`, { hasText: pattern }).first();
  }

  /**
   * Prints `{"id":"<id>"}` as `curl … /v1/message/send` does for a message just sent, and
   * Ctrl+clicks the printed ID until `toast` (what the link offers) shows.
   * @param {string} id
   * @param {import('playwright-core').Locator} toast
   */
  async printIdAndClick(id, toast) {
    await this.run(`echo '{"id":"${id}"}'`);
    // The output's own row: the command line echoes the same text, wrapped, before bash prints it.
    await this.row(new RegExp(`^\\s*\\{"id":"${id}"\\}\\s*$`)).waitFor();
    await this.ctrlClickUntil(id, () => toast.waitFor({ timeout: 3000 }).then(() => true, () => false));
  }

  /**
   * Ctrl+clicks the last place `text` shows (the output, not the command that printed it) until
   * `done` resolves true: a link found after the pointer arrived is clicked again.
   */
  async ctrlClickUntil(text, done) {
    await ctrlClickUntil(this.page, await textPosition(this.page, terminalRows, text, { occurrence: 'last' }), done);
  }
}
