// The workbench as a whole: loading, the activity bar and side bar, the command palette and
// input boxes, Go to File, the status bar, editor tabs and the keyboard.
import {
  activityBarItem,
  answerInputBox,
  chooseInQuickInput,
  editorTabs,
  moveMouseAway,
  openViewContainer,
  resizeSideBar,
  runCommand,
  statusBarItemLook,
  statusBarItems,
  waitForWorkbench,
} from '../workbench-ui.mjs';

/** @typedef {import('playwright-core').Page} Page */

export class Workbench {
  /** @param {Page} page */
  constructor(page) {
    this.page = page;
  }

  /** Waits until the workbench has rendered its activity bar and restored its views. */
  waitForLoad(timeout) {
    return waitForWorkbench(this.page, timeout);
  }

  /** An activity-bar entry by its title. */
  activityBarItem(title) {
    return activityBarItem(this.page, title);
  }

  /** Opens a view container from its activity-bar icon. */
  openViewContainer(title) {
    return openViewContainer(this.page, title);
  }

  /** Drags the side bar's sash until it is `width` px wide. */
  resizeSideBar(width) {
    return resizeSideBar(this.page, width);
  }

  /** Runs a command from the palette by its title; `prefix`: any label starting with it will do. */
  runCommand(title, options) {
    return runCommand(this.page, title, options);
  }

  /** Answers the input box titled `title` with `value`. */
  answerInputBox(title, value) {
    return answerInputBox(this.page, title, value);
  }

  /** Takes the focused entry of the open quick pick once it shows `text`. */
  choose(text) {
    return chooseInQuickInput(this.page, text);
  }

  /** Opens a file of the workspace with Go to File, and waits for its tab. */
  async openFile(name) {
    await this.page.keyboard.press('Control+P');
    await chooseInQuickInput(this.page, name);
    await this.tab(name).waitFor();
  }

  /** Status bar entries that contain `text`. */
  statusBarItem(text) {
    return statusBarItems(this.page, text);
  }

  /** The first status bar entry containing `text`: its text and the classes of its icons. */
  statusBarLook(text) {
    return statusBarItemLook(this.statusBarItem(text));
  }

  /** Editor tabs whose title contains `text`. */
  tab(text) {
    return editorTabs(this.page, text);
  }

  /** Presses a key or a chord ("Escape", "Control+Alt+Shift+K"). */
  press(keys) {
    return this.page.keyboard.press(keys);
  }

  /** Waits `ms` on the page's clock. */
  wait(ms) {
    return this.page.waitForTimeout(ms);
  }

  /** Moves the mouse where no hover or tooltip covers what a screenshot shows. */
  moveMouseAway() {
    return moveMouseAway(this.page);
  }
}
