import * as vscode from 'vscode';
import { previewData, shortId, shortSender } from '../../core/text/messageText';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { NodeMessage } from '../../core/nodeMessage';
import { replyLatencyMs } from '../../core/watches/replyLatency';
import { formatDuration } from '../../core/text/duration';
import { labelText } from '../../core/text/safeText';
import { systemClock, type Clock } from '../../core/base/clock';
import { Throttle } from '../../core/base/throttle';
import type { Watch } from '../../core/watches/watches';
import { DisposableStore } from '../base/disposableStore';
import type { Notifier } from '../services/notifier';
import type { NotificationMode } from '../services/settings';

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
export class MessageNotifications extends DisposableStore {
  private recent: NodeMessage[] = [];
  private readonly throttle: Throttle;

  constructor(
    subscriptions: Pick<NodeSubscriptions, 'watches' | 'onDidReceiveMessage'>,
    private readonly mode: () => NotificationMode,
    private readonly actions: NotificationActions,
    private readonly notifier: Notifier,
    private readonly clock: Clock = systemClock,
  ) {
    super();
    this.throttle = new Throttle(() => this.notifyBatch(), NOTIFICATION_BATCH_MS);
    this.register(this.throttle);
    this.register(subscriptions.watches.onDidChange((watch) => this.onWatchChange(watch)));
    this.register(subscriptions.onDidReceiveMessage((message) => {
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
    if (!watch.visible || this.mode() === 'none' || watch.settledAt === undefined || watch.settledAt < this.clock.now() - 5000) {
      return;
    }
    if (watch.state === 'answered' && watch.reply && this.mode() !== 'all') {
      void this.notifyReply(watch, watch.reply);
    } else if (watch.state === 'timedOut') {
      this.warn(
        watch.query
          ? vscode.l10n.t('No message matching {0} arrived in time; stopped waiting.', labelText(watch.query.text, 80))
          : vscode.l10n.t('No reply to {0} arrived in time; stopped waiting.', shortId(watch.messageId)),
      );
    }
  }

  private async notifyReply(watch: Watch, reply: NodeMessage): Promise<void> {
    const latency = replyLatencyMs(watch);
    const id = shortId(watch.messageId);
    const sender = shortSender(reply.fromPubkey);
    const preview = previewData(reply, 200);
    const text = watch.query
      ? vscode.l10n.t('Message matching {0} from {1}, after {2}: {3}', labelText(watch.query.text, 80), sender, formatDuration(latency ?? 0), preview)
      : latency === undefined
        ? vscode.l10n.t('Reply to {0} from {1}: {2}', id, sender, preview)
        : vscode.l10n.t('Reply to {0} from {1}, replied in {2}: {3}', id, sender, formatDuration(latency), preview);
    await this.showWithActions(text, reply);
  }

  /** An information notification about `message`, with "Show" and "Copy Data". */
  private async showWithActions(text: string, message: NodeMessage): Promise<void> {
    const show = vscode.l10n.t('Show');
    const copyData = vscode.l10n.t('Copy Data');
    const choice = await this.notifier.info(text, show, copyData);
    if (choice === show) {
      await this.actions.show(message);
    } else if (choice === copyData) {
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
        ? vscode.l10n.t('Message from {0}: {1}', shortSender(last.fromPubkey), previewData(last, 200))
        : vscode.l10n.t('{0} new messages; the last from {1}: {2}', batch.length, shortSender(last.fromPubkey), previewData(last, 120));
    await this.showWithActions(text, last);
  }
}
