// A walkthrough of the Welcome page: its steps, their links and their check marks.
import { chooseInQuickInput, editorTabs, runCommand } from '../workbench-ui.mjs';

/** @typedef {import('playwright-core').Page} Page */

export class Walkthrough {
  /** @param {Page} page */
  constructor(page) {
    this.page = page;
  }

  /** Opens the walkthrough titled `title` with "Welcome: Open Walkthrough...". */
  async open(title) {
    await runCommand(this.page, 'Welcome: Open Walkthrough...', { prefix: true });
    await chooseInQuickInput(this.page, title);
  }

  /** Brings the Welcome page's tab to the front. */
  show() {
    return editorTabs(this.page, 'Welcome').click();
  }

  /** A step by the end of its ID ("startSimulator"). */
  step(id) {
    return this.page.locator(`.getting-started-step[data-step-id$="#${id}"]`);
  }

  /** How many steps the walkthrough shows. */
  stepCount() {
    return this.page.locator('.getting-started-step').count();
  }

  /** A step's check mark, present once the step is done. */
  checked(id) {
    return this.step(id).locator('.codicon-getting-started-step-checked');
  }

  /** Whether a step is checked now. */
  async isChecked(id) {
    return (await this.checked(id).count()) > 0;
  }

  /** Selects a step, then clicks its link or button showing `text`. */
  async follow(id, text) {
    await this.step(id).click();
    await this.step(id).locator('a, .button-link', { hasText: text }).first().click();
  }
}
