// The notification area: the toasts at the bottom right and the notification center.
import { notificationLinks, notificationMessage, notificationToasts, runCommand } from '../workbench-ui.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

export class Notifications {
  /** @param {Page} page */
  constructor(page) {
    this.page = page;
  }

  /** Toasts that contain `text` (every toast without it). */
  toast(text) {
    return notificationToasts(this.page, text);
  }

  /** What a toast says, as the user reads it, and the links in its message. */
  message(toast) {
    return notificationMessage(toast);
  }

  /** The toasts on screen now, oldest first: each one's text and links. */
  async shown() {
    const shown = [];
    for (const toast of await this.toast().all()) {
      if (await toast.isVisible()) shown.push(await notificationMessage(toast));
    }
    return shown;
  }

  /** Clicks the button labelled `name` on a toast. */
  press(toast, name) {
    return toast.getByRole('button', { name }).click();
  }

  /** Throws if any toast or the center holds a link that runs a command or opens a page. */
  async assertNoLinks() {
    const links = await notificationLinks(this.page);
    if (links.length > 0) throw new Error(`links in notifications: ${links.join('; ')}`);
  }

  /** Clears every notification, so none covers the editor. */
  clearAll() {
    return runCommand(this.page, 'Notifications: Clear All Notifications', { prefix: true });
  }
}
