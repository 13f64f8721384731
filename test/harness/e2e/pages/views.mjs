// The extension's tree views in the side bar: Messages and Awaited Replies.
import { answerInputBox, descriptionOf, expandRow, expandView, runCommand, treeItems, viewPane, welcomeContent } from '../workbench-ui.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/** A view of the side bar whose rows are tree items. */
class TreeView {
  /**
   * @param {Page} page
   * @param {string} name the view's name, as its header shows it
   */
  constructor(page, name) {
    this.page = page;
    this.name = name;
    this.pane = viewPane(page, name);
  }

  /** Expands the view's pane, if it is collapsed. */
  show() {
    return expandView(this.page, this.name);
  }

  /** Rows that contain `text` (a string or a RegExp; every row without it). */
  rows(text) {
    return treeItems(this.pane, text);
  }

  /** The description (the grey text after the label) of a row. */
  description(row) {
    return descriptionOf(row);
  }

  /** The view's welcome content (shown while its tree is empty), with `text` if given. */
  welcome(text) {
    const content = welcomeContent(this.pane);
    return text === undefined ? content : content.filter({ hasText: text });
  }
}

export class MessagesView extends TreeView {
  /** @param {Page} page */
  constructor(page) {
    super(page, 'Messages');
  }

  /** The row of a message that shows `text`. */
  message(text) {
    return this.rows(text);
  }

  /** Expands a message once it has replies (a message that was a leaf stays collapsed when its first reply arrives). */
  async expandThread(row) {
    await row.and(this.page.locator('[aria-expanded]')).waitFor();
    await expandRow(row);
  }

  /** A row's depth in the tree (1 at the top). */
  async level(row) {
    return Number(await row.getAttribute('aria-level'));
  }
}

export class AwaitedReplies extends TreeView {
  /** @param {Page} page */
  constructor(page) {
    super(page, 'Awaited Replies');
  }

  /** A message ID as a watch's label shows it. */
  static label(id) {
    return `${id.slice(0, 8)}…`;
  }

  /** The row of the watch labelled `label`. */
  watch(label) {
    return this.rows(label);
  }

  /** Waits until the watch labelled `label` describes itself as `state` matches ("waiting", "replied in …"). */
  waitForState(label, state) {
    return this.description(this.watch(label)).filter({ hasText: state }).waitFor();
  }

  /** Watches a typed ID with "Impervious: Watch for Reply…", until its row shows it waiting. */
  async watchFor(id) {
    await runCommand(this.page, 'Impervious: Watch for Reply');
    await answerInputBox(this.page, 'Watch for a Reply', id);
    await this.waitForState(AwaitedReplies.label(id), /^waiting/);
  }

  /** Clicks a watch: an answered one opens its reply. */
  open(label) {
    return this.watch(label).click();
  }
}
