import { previewData, shortId, shortSender } from '../core/messageText';
import type { NodeSubscriptions } from '../core/nodeSubscriptions';
import type { NodeMessage } from '../core/nodeMessage';
import { replyLatencyMs } from '../core/replyState';
import { formatDuration } from '../core/duration';
import { Throttle } from '../core/throttle';
import type { Watch } from '../core/watches';
import { DisposableStore } from './disposableStore';
import type { Notifier } from './notifier';
import type { NotificationMode } from './settings';

/** In `all` mode, messages arriving within this long are summed up in one notification. */
export const NOTIFICATION_BATCH_MS = 2000;

export interface NotificationActions {
  show(message: NodeMessage): Promise<void>;
  copyData(message: NodeMessage): Promise<void>;
}

/**
 * Notifications for answered watches (`watched`), or for every message (`all`, summed up per
 * couple of seconds so a burst is one notification). The notifier makes their peer text safe.
 */
export class Notifications extends DisposableStore {
  private recent: NodeMessage[] = [];
  private readonly throttle: Throttle;

  constructor(
    hub: NodeSubscriptions,
    private readonly mode: () => NotificationMode,
    private readonly actions: NotificationActions,
    private readonly notifier: Notifier,
  ) {
    super();
    this.throttle = new Throttle(() => this.notifyBatch(), NOTIFICATION_BATCH_MS);
    this.register({ dispose: () => this.throttle.dispose() });
    this.register(hub.watches.onDidChange((watch) => this.onWatchChange(watch)));
    this.register(hub.onDidReceiveMessage((message) => {
      if (this.mode() === 'all') {
        this.recent.push(message);
        this.throttle.schedule();
      }
    }));
  }

  /** A warning the user should see (e.g. TLS verification off, a watch timed out). */
  warn(text: string): void {
    void this.notifier.warn(text);
  }

  private onWatchChange(watch: Watch): void {
    if (!watch.visible || this.mode() === 'none' || watch.settledAt === undefined || watch.settledAt < Date.now() - 5000) {
      return;
    }
    if (watch.state === 'answered' && watch.reply && this.mode() !== 'all') {
      void this.notifyReply(watch, watch.reply);
    } else if (watch.state === 'timedOut') {
      this.warn(`No reply to ${shortId(watch.messageId)} arrived in time; stopped waiting.`);
    }
  }

  private async notifyReply(watch: Watch, reply: NodeMessage): Promise<void> {
    const latency = replyLatencyMs(watch);
    const took = latency === undefined ? '' : `, replied in ${formatDuration(latency)}`;
    const text = `Reply to ${shortId(watch.messageId)} from ${shortSender(reply.fromPubkey)}${took}: ${previewData(reply, 200)}`;
    await this.showWithActions(text, reply);
  }

  /** An information notification about `message`, with "Show" and "Copy Data". */
  private async showWithActions(text: string, message: NodeMessage): Promise<void> {
    const choice = await this.notifier.info(text, 'Show', 'Copy Data');
    if (choice === 'Show') {
      await this.actions.show(message);
    } else if (choice === 'Copy Data') {
      await this.actions.copyData(message);
    }
  }

  private async notifyBatch(): Promise<void> {
    const batch = this.recent;
    this.recent = [];
    const last = batch[batch.length - 1];
    if (!last || this.mode() !== 'all') {
      return;
    }
    const text =
      batch.length === 1
        ? `Message from ${shortSender(last.fromPubkey)}: ${previewData(last, 200)}`
        : `${batch.length} new messages; the last from ${shortSender(last.fromPubkey)}: ${previewData(last, 120)}`;
    await this.showWithActions(text, last);
  }
}
