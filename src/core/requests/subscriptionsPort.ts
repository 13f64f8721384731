import type { Clock } from '../base/clock';
import { systemClock } from '../base/clock';
import type { Event } from '../base/emitter';
import type { NodeMessage } from '../nodeMessage';
import type { NodeSubscriptions } from '../nodeSubscriptions';
import { minimumAmount } from '../sending/amount';
import type { RequestPort } from './runner';

/** The runner's port over the extension's nodes: sends through REST, waits through the pipeline's watches. */
export function subscriptionsRequestPort(subscriptions: NodeSubscriptions, clock: Clock = systemClock): RequestPort {
  return {
    send: (request) => subscriptions.sendMessage(request),
    // Not shown in Awaited Replies: the request file's CodeLens and results show the wait.
    waitForReply: (id, timeoutMs) => subscriptions.watches.watch(id, { timeoutMs, visible: false }).promise,
    waitForMessage: (matches, timeoutMs, signal) => nextMessage(subscriptions.onDidReceiveMessage, matches, timeoutMs, signal, clock),
    minimumAmount,
    nodeNames: () => subscriptions.nodeNames(),
    clock,
  };
}

/**
 * The first message `received` fires from now on that `matches`, or `undefined` after `timeoutMs`
 * or on `signal`. Holds one listener and one timer, both gone once it settles.
 */
export function nextMessage(
  received: Event<NodeMessage>,
  matches: (message: NodeMessage) => boolean,
  timeoutMs: number,
  signal: AbortSignal,
  clock: Clock,
): Promise<NodeMessage | undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(undefined);
      return;
    }
    let settled = false;
    const settle = (message: NodeMessage | undefined): void => {
      if (settled) {
        return;
      }
      settled = true;
      listener.dispose();
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
      resolve(message);
    };
    const aborted = (): void => settle(undefined);
    const listener = received((message) => {
      if (matches(message)) {
        settle(message);
      }
    });
    const timer = clock.setTimeout(() => settle(undefined), timeoutMs);
    signal.addEventListener('abort', aborted, { once: true });
  });
}
