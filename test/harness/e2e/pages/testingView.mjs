// The Testing view (the Test Explorer) in the side bar.
import { expandRow, runCommand, treeItems } from '../workbench-ui.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

export class TestingView {
  /** @param {Page} page */
  constructor(page) {
    this.page = page;
  }

  /** Shows the Test Explorer with "Testing: Focus on Test Explorer View". */
  focus() {
    return runCommand(this.page, 'Testing: Focus on Test Explorer View', { prefix: true });
  }

  /** Rows (a request file, a block) that show `name`. */
  row(name) {
    return treeItems(this.page.locator('.part.sidebar'), name);
  }

  /** The first row showing `name` with the passed icon. */
  passed(name) {
    return this.row(name).filter({ has: this.page.locator('.codicon-testing-passed-icon') }).first();
  }

  /** The first row showing `name` with the failed icon. */
  failed(name) {
    return this.row(name).filter({ has: this.page.locator('.codicon-testing-failed-icon') }).first();
  }

  /** Expands a row, unless it is expanded already. */
  expand(row) {
    return expandRow(row);
  }
}
