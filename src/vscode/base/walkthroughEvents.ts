import * as vscode from 'vscode';
import type { ContextKey } from '../contributionIds';

/** How long a walkthrough event's context key stays true. */
const EVENT_MS = 2000;

const clearing = new Map<ContextKey, ReturnType<typeof setTimeout>>();

/**
 * Tells the walkthrough that one of its steps happened, through the context key the step's
 * `onContext:` completion event names. The key is set and, a moment later, cleared again: VS Code's
 * walkthrough service starts when a walkthrough or the Welcome page first opens, and a key that is
 * already true then is taken as seen without ticking its step, for the rest of the window's life.
 * A key that stayed true after a reply before the walkthrough was opened would keep its step
 * unchecked; one that is false again is ticked by the next reply.
 */
export function walkthroughEvent(key: ContextKey): void {
  clearTimeout(clearing.get(key));
  setContextKey(key, true);
  clearing.set(
    key,
    setTimeout(() => {
      clearing.delete(key);
      setContextKey(key, false);
    }, EVENT_MS),
  );
}

function setContextKey(key: ContextKey, value: boolean): void {
  // Fails only while the window closes; nothing is left to tell then.
  vscode.commands.executeCommand('setContext', key, value).then(undefined, () => undefined);
}
