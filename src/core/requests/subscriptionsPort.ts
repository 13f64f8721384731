import type { Clock } from '../base/clock';
import { systemClock } from '../base/clock';
import type { NodeSubscriptions } from '../nodeSubscriptions';
import { minimumAmount } from '../sending/amount';
import type { RequestPort } from './runner';

/** The runner's port over the extension's nodes: sends through REST, waits through the pipeline's watches. */
export function subscriptionsRequestPort(subscriptions: NodeSubscriptions, clock: Clock = systemClock): RequestPort {
  return {
    send: (request) => subscriptions.sendMessage(request),
    // Not shown in Awaited Replies: the request file's CodeLens and results show the wait.
    waitForReply: (id, timeoutMs) => subscriptions.watches.watch(id, { timeoutMs, visible: false }).promise,
    minimumAmount,
    nodeNames: () => subscriptions.nodeNames(),
    clock,
  };
}
