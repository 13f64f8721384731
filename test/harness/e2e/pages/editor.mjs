/* global document, getComputedStyle -- page.evaluate() and waitForFunction() run in the browser */
// The active editor: its text and hovers; for a request file, its CodeLenses, the decorations
// after its lines, the marks of failed expectations and the test peek.
import { setTimeout as delay } from 'node:timers/promises';
import { activeEditorLines, activeEditorText, editorHover, textPosition } from '../workbench-ui.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

const activeGroup = '.part.editor .editor-group-container.active';

export class Editor {
  /** @param {Page} page */
  constructor(page) {
    this.page = page;
  }

  /** The text shown in the active editor. */
  text() {
    return activeEditorText(this.page);
  }

  /** Whether a line of the active editor shows `text` within `timeout` ms. */
  showsLine(text, timeout) {
    return this.page
      .waitForFunction(
        ({ group, text }) => [...document.querySelectorAll(`${group} .view-line`)].some((line) => line.textContent?.includes(text)),
        { group: activeGroup, text },
        { timeout },
      )
      .then(() => true, () => false);
  }

  /** Moves the mouse over `text` in the active editor (the middle of its first `charsIn` characters). */
  async pointAt(text, options) {
    const point = await textPosition(this.page, activeEditorLines, text, options);
    await this.page.mouse.move(point.x, point.y);
  }

  /** The hover widget, once it shows `text`. */
  hover(text) {
    return editorHover(this.page, text);
  }
}

export class RequestEditor extends Editor {
  /** CodeLenses of the active editor titled `title` (every "Send" lens contains "Send"). */
  lens(title) {
    return this.page.locator(`${activeGroup} .codelens-decoration a`, { hasText: title });
  }

  /** The texts decorations put after lines of the active editor (VS Code draws them as CSS content). */
  decorations() {
    return this.page.evaluate((group) => {
      const editor = document.querySelector(`${group} .monaco-editor .view-lines`);
      if (!editor) return [];
      const texts = [];
      for (const element of editor.querySelectorAll('span')) {
        const content = getComputedStyle(element, '::after').content;
        if (content && content !== 'none' && content !== 'normal') texts.push(content.replace(/^"|"$/g, ''));
      }
      return texts;
    }, activeGroup);
  }

  /** Waits until a decoration matches `pattern`, and returns its text. */
  async waitForDecoration(pattern, timeoutMs) {
    const end = Date.now() + timeoutMs;
    let texts = [];
    while (Date.now() < end) {
      texts = await this.decorations();
      const found = texts.find((text) => pattern.test(text));
      if (found) return found;
      await delay(100);
    }
    throw new Error(`no decoration matched ${pattern}; shown: ${JSON.stringify(texts)}`);
  }

  /**
   * Clicks a CodeLens until a decoration matches `pattern` (by default: its block's SEND line shows
   * a new send). The lenses are redrawn when a run ends, and a click on one being redrawn is lost.
   */
  async clickUntil(lens, pattern = /^(sent [0-9a-f]{8}…|✓ replied in)/) {
    for (let attempt = 1; ; attempt++) {
      await lens.click();
      try {
        return await this.waitForDecoration(pattern, 3000);
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /** The mark VS Code puts at a failed expectation, showing `text` ("actual != expected"). */
  failureMark(text) {
    return this.page.locator(`${activeGroup} .test-error-content-widget`, { hasText: text });
  }

  /** One side of the test peek's comparison ('original': expected, 'modified': actual), once it shows `text`. */
  peekSide(side, text) {
    return this.page.locator(`.part.editor .test-output-peek .monaco-diff-editor .editor.${side} .view-lines`).filter({ hasText: text });
  }
}
