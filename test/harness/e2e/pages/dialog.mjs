// VS Code's modal dialog (showWarningMessage with `modal: true`).
import { modalDialog, modalDialogText } from '../workbench-ui.mjs';

/** @typedef {import('playwright-core').Page} Page */

export class Dialog {
  /** @param {Page} page */
  constructor(page) {
    this.box = modalDialog(page);
  }

  /** Waits until the dialog shows. */
  waitFor(options) {
    return this.box.waitFor(options);
  }

  /** Waits until the dialog is gone. */
  waitForClose() {
    return this.box.waitFor({ state: 'hidden' });
  }

  /** Everything the dialog reads, as one text. */
  text() {
    return this.box.innerText();
  }

  /** The dialog's sentence, detail and buttons, or `undefined` when none is open. */
  contents() {
    return modalDialogText(this.box.page());
  }

  /** Clicks the button labelled `name` (`exact`: that label only, not one containing it). */
  press(name, { exact } = {}) {
    return this.box.getByRole('button', exact === undefined ? { name } : { name, exact }).click();
  }
}
