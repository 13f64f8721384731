// What the workbench shows, for the integration suites: they run in the extension host, which
// cannot see the workbench; the harness has the page. A suite writes a question into a folder
// (test/integration/workbench.ts), the harness answers it from the page's DOM.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Dialog, Notifications } from '../e2e/pages/index.mjs';

export const workbenchQueriesEnv = 'IMPERVIOUS_TEST_WORKBENCH';
const pollMs = 100;

/** What each question asks, by name. */
const answers = {
  /** The notification toasts on screen now, oldest first: each one's text and links. */
  notifications(page) {
    return new Notifications(page).shown();
  },
  /**
   * The modal dialog on screen now (`null` when none): its sentence, detail and buttons; with
   * `press`, then clicks the button of that label, as the user would.
   */
  async dialog(page, { press }) {
    const dialog = new Dialog(page);
    const shown = await dialog.contents();
    if (shown && press !== undefined) await dialog.press(press, { exact: true });
    return shown ?? null;
  },
};

/**
 * Answers the questions written to `dir` (`<id>.question.json`, `{ "what": "notifications" }`) with
 * `<id>.answer.json`, until `stop()`.
 */
export function answerWorkbenchQueries(page, dir) {
  mkdirSync(dir, { recursive: true });
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const name of existsSync(dir) ? readdirSync(dir) : []) {
        if (!name.endsWith('.question.json')) continue;
        const question = path.join(dir, name);
        const id = name.slice(0, -'.question.json'.length);
        let answer;
        try {
          const { what, ...details } = JSON.parse(readFileSync(question, 'utf8'));
          answer = answers[what] ? { value: await answers[what](page, details) } : { error: `no answer for ${JSON.stringify(what)}` };
        } catch (error) {
          answer = { error: String(error) };
        }
        rmSync(question, { force: true });
        const partial = path.join(dir, `${id}.answer.partial`);
        writeFileSync(partial, JSON.stringify(answer));
        renameSync(partial, path.join(dir, `${id}.answer.json`));
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop.catch(() => undefined);
    },
  };
}
