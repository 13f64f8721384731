import * as vscode from 'vscode';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import { formatLatencySummary } from '../../core/watches/replyLatency';
import { singleLine } from '../../core/text/safeText';
import { DisposableStore } from '../base/disposableStore';
import { AWAITED_STATUS_BAR_ITEM_ID, ViewCommand } from '../contributionIds';

/**
 * "$(watch) 2 awaited" in the status bar while replies are awaited; a click shows Awaited Replies.
 * The item is made the first time a reply is awaited, not at activation: until then it would only be hidden.
 */
export class AwaitedStatus extends DisposableStore {
  private item: vscode.StatusBarItem | undefined;

  constructor(private readonly subscriptions: Pick<NodeSubscriptions, 'watches' | 'nodeNames' | 'replyLatencies'>) {
    super();
    this.register(subscriptions.watches.onDidChange(() => this.update()));
    this.update();
  }

  /** The text shown, or `undefined` while nothing is awaited. */
  get text(): string | undefined {
    return this.item?.text || undefined;
  }

  private update(): void {
    // Only the watches the user made: an API caller's waits are its own business.
    const awaited = this.subscriptions.watches.list().filter((watch) => watch.state === 'waiting').length;
    if (awaited === 0) {
      if (this.item) {
        this.item.text = '';
        this.item.hide();
      }
      return;
    }
    const item = (this.item ??= this.createItem());
    item.text = `$(watch) ${vscode.l10n.t('{0} awaited', awaited)}`;
    item.tooltip = [vscode.l10n.t('{0} awaited replies', awaited), ...nodeLatencyLines(this.subscriptions)].join('\n');
    item.show();
  }

  private createItem(): vscode.StatusBarItem {
    const item = this.register(vscode.window.createStatusBarItem(AWAITED_STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Left, 0));
    item.name = vscode.l10n.t('Impervious: Awaited Replies');
    item.command = ViewCommand.FocusWatches;
    return item;
  }
}

/** One line per node with reply latencies: "Local node: p50 820 ms · p95 1.4 s · max 2.1 s (last 12 replies)". */
export function nodeLatencyLines(subscriptions: Pick<NodeSubscriptions, 'nodeNames' | 'replyLatencies'>): string[] {
  return subscriptions.nodeNames().flatMap((node) => {
    const line = nodeLatencyLine(subscriptions, node);
    return line ? [`${singleLine(node)}: ${line}`] : [];
  });
}

/** A node's reply latency summary, or `undefined` before its first timed reply. */
export function nodeLatencyLine(subscriptions: Pick<NodeSubscriptions, 'replyLatencies'>, node: string): string | undefined {
  const summary = subscriptions.replyLatencies.summary(node);
  return summary
    ? vscode.l10n.t('reply latency {0} (last {1} replies)', formatLatencySummary(summary), summary.count)
    : undefined;
}
