import type { Services } from '../services';
import { AwaitedStatus } from './awaitedStatus';
import { WatchesView } from './watchesView';

/** Awaited replies: the Awaited Replies view and the "N awaited" status bar item. */
export function registerAwaitedReplies(services: Services): { watchesView: WatchesView; awaitedStatus: AwaitedStatus } {
  const watchesView = new WatchesView(services.subscriptions.watches, services.clock);
  const awaitedStatus = new AwaitedStatus(services.subscriptions);
  services.register(watchesView, awaitedStatus);
  return { watchesView, awaitedStatus };
}
