import * as vscode from 'vscode';
import { formatAmount } from '../../core/sending/amount';
import type { Clock } from '../../core/base/clock';
import { previewData, shortId, shortSender } from '../../core/text/messageText';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { NodeMessage } from '../../core/nodeMessage';
import { Throttle } from '../../core/base/throttle';
import { ListenerErrorReporter } from '../../core/base/listenerErrorReporter';
import { RejectionReporter } from '../../core/wire/rejectionReporter';
import { logText } from '../../core/text/safeText';
import { describeRecovery } from '../../core/backfill/recoveryText';

/** Message lines written per flush; a burst past that is summed up in one line. */
const MAX_MESSAGE_LINES_PER_FLUSH = 200;
/** A log line is cut here: peer text in it (a 4 MiB body, an error message) never floods the log. */
const MAX_LINE_LENGTH = 2000;

/**
 * The "Impervious" log output channel: one line per message and per connection change. Message
 * lines are queued and written in batches, so a burst costs a few appends, not one per message.
 * Every line goes through `logText`: a newline in a service type or an error message shows as
 * `\n` and cannot forge a line of its own.
 */
export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly rejections: RejectionReporter;
  private readonly listenerErrors = new ListenerErrorReporter((line) => this.error(line));
  private queue: string[] = [];
  private skipped = 0;
  private readonly throttle: Throttle;

  constructor(clock?: Clock) {
    this.channel = vscode.window.createOutputChannel('Impervious', { log: true });
    this.throttle = new Throttle(() => this.flush(), 250, clock);
    this.rejections = new RejectionReporter((line) => this.warn(line), { clock });
  }

  /** A line per message, per rejected frame (summed up in bursts), per error from a node and per gap a v1 node's stored messages filled; never a key. */
  follow(subscriptions: Pick<NodeSubscriptions, 'onDidReceiveMessage' | 'onDidRejectFrame' | 'onDidReceiveError' | 'onDidRecoverMessages'>): vscode.Disposable[] {
    return [
      subscriptions.onDidRecoverMessages((report) => {
        const { warning, line } = describeRecovery(report);
        if (warning) {
          this.warn(line);
        } else {
          this.info(line);
        }
      }),
      subscriptions.onDidReceiveMessage((message) => this.message(message)),
      subscriptions.onDidRejectFrame(({ node, event }) => this.rejections.reject(node, event.reason)),
      subscriptions.onDidReceiveError(({ node, event }) => this.warn(vscode.l10n.t('[{0}] Error from the node: {1} (code {2})', node, event.message, event.code))),
    ];
  }

  /** A listener of a core event threw: logged once per kind, then counted (see `ListenerErrorReporter`). */
  listenerError(error: unknown, event: string): void {
    this.listenerErrors.error(error, event);
  }

  private message(message: NodeMessage): void {
    if (this.queue.length >= MAX_MESSAGE_LINES_PER_FLUSH) {
      this.skipped++;
    } else {
      this.queue.push(describeMessage(message));
    }
    this.throttle.schedule();
  }

  info(line: string): void {
    this.flush();
    this.channel.info(logText(line, MAX_LINE_LENGTH));
  }

  warn(line: string): void {
    this.flush();
    this.channel.warn(logText(line, MAX_LINE_LENGTH));
  }

  error(line: string): void {
    this.flush();
    this.channel.error(logText(line, MAX_LINE_LENGTH));
  }

  show(): void {
    this.channel.show(true);
  }

  flush(): void {
    if (this.queue.length === 0 && this.skipped === 0) {
      return;
    }
    const lines = this.queue;
    if (this.skipped > 0) {
      lines.push(vscode.l10n.t('… and {0} more messages in this burst (see the Messages view)', this.skipped));
    }
    this.queue = [];
    this.skipped = 0;
    this.channel.info(lines.join('\n'));
  }

  dispose(): void {
    this.throttle.dispose();
    this.rejections.dispose();
    this.flush();
    this.channel.dispose();
  }
}

function describeMessage(message: NodeMessage): string {
  const reply = message.replyToId ? ` ↩ ${shortId(message.replyToId)}` : '';
  return logText(
    vscode.l10n.t(
      '[{0}] {1}{2} from {3} · {4} · {5} · {6}',
      message.node,
      shortId(message.id),
      reply,
      shortSender(message.fromPubkey),
      message.serviceType || '?',
      formatAmount(message.amount),
      previewData(message, 120),
    ),
    MAX_LINE_LENGTH,
  );
}
