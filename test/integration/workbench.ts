import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

/** A notification as the workbench shows it: its text, and the targets of any links in it. */
export interface ShownNotification {
  readonly text: string;
  readonly links: readonly string[];
}

/** Set by the code-server harness, which answers questions about the page (test/harness/workbench-queries.mjs). */
const queriesDir = process.env.IMPERVIOUS_TEST_WORKBENCH;
let nextQuestion = 0;

/** Whether this run can see the workbench (the code-server harness); desktop VS Code runs cannot. */
export const canSeeWorkbench = queriesDir !== undefined;

/** A modal dialog as the workbench shows it. */
export interface ShownDialog {
  readonly message: string;
  readonly detail: string;
  readonly buttons: readonly string[];
}

/** The notification toasts on screen now. */
export function shownNotifications(timeoutMs = 10_000): Promise<ShownNotification[]> {
  return askWorkbench<ShownNotification[]>({ what: 'notifications' }, timeoutMs);
}

/**
 * Waits for a modal dialog whose sentence `matches`, then clicks its button `press` as a user
 * would; resolves with what it showed. Only the code-server harness can see the workbench.
 */
export async function answerDialog(matches: (message: string) => boolean, press: string, timeoutMs = 20_000): Promise<ShownDialog> {
  const end = Date.now() + timeoutMs;
  let last: ShownDialog | null = null;
  for (;;) {
    last = await askWorkbench<ShownDialog | null>({ what: 'dialog' });
    if (last && matches(last.message)) {
      await askWorkbench<ShownDialog | null>({ what: 'dialog', press });
      return last;
    }
    if (Date.now() > end) {
      throw new Error(`Timed out waiting for a dialog; the workbench shows ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function askWorkbench<T>(question: { readonly what: string; readonly press?: string }, timeoutMs = 10_000): Promise<T> {
  if (!queriesDir) {
    throw new Error('Only the code-server harness can show what the workbench shows');
  }
  const id = `${process.pid}-${nextQuestion++}`;
  const answerFile = path.join(queriesDir, `${id}.answer.json`);
  const partial = path.join(queriesDir, `${id}.question.partial`);
  fs.writeFileSync(partial, JSON.stringify(question));
  fs.renameSync(partial, path.join(queriesDir, `${id}.question.json`));
  const end = Date.now() + timeoutMs;
  while (!fs.existsSync(answerFile)) {
    if (Date.now() > end) {
      throw new Error('The harness did not answer what the workbench shows');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const answer = JSON.parse(fs.readFileSync(answerFile, 'utf8')) as { value?: T; error?: string };
  fs.rmSync(answerFile, { force: true });
  if (answer.error !== undefined || answer.value === undefined) {
    throw new Error(`The harness could not read the workbench: ${answer.error}`);
  }
  return answer.value;
}

/**
 * Waits until the workbench shows a notification whose text `matches`, and checks that it has no
 * link; resolves with it. Without a workbench to look at (desktop VS Code), resolves `undefined`.
 */
export async function notificationOnScreen(matches: (text: string) => boolean, what: string, timeoutMs = 10_000): Promise<ShownNotification | undefined> {
  if (!canSeeWorkbench) {
    return undefined;
  }
  const end = Date.now() + timeoutMs;
  let last: ShownNotification[] = [];
  for (;;) {
    last = await shownNotifications();
    const found = last.find((notification) => matches(notification.text));
    if (found) {
      if (found.links.length > 0) {
        throw new Error(`The notification ${JSON.stringify(found.text)} has links: ${found.links.join(', ')}`);
      }
      return found;
    }
    if (Date.now() > end) {
      throw new Error(`Timed out waiting for the workbench to show ${what}; it shows ${JSON.stringify(last.map((notification) => notification.text))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Closes every notification, so the next one is not queued behind old toasts. */
export async function clearNotifications(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
}
