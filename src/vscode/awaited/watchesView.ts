import * as vscode from 'vscode';
import { systemClock, type Clock } from '../../core/base/clock';
import { encodeId } from '../../core/ids/idEncoding';
import { previewData, shortId } from '../../core/text/messageText';
import { replyStateText } from '../../core/watches/replyState';
import { labelText } from '../../core/text/safeText';
import { formatDuration } from '../../core/text/duration';
import type { Watch, WatchRegistry } from '../../core/watches/watches';
import { DisposableStore } from '../base/disposableStore';
import { CommandId, ViewId } from '../contributionIds';
import { Ticker } from '../base/ticker';

/** The Awaited Replies view: each watch with its age, marked when answered. */
export class WatchesView extends DisposableStore implements vscode.TreeDataProvider<Watch> {
  readonly treeView: vscode.TreeView<Watch>;
  private readonly onDidChangeTreeDataEmitter = this.register(new vscode.EventEmitter<Watch | undefined>());
  readonly onDidChangeTreeData = this.onDidChangeTreeDataEmitter.event;
  /** Ages tick once a second, only while the view is visible and something waits. */
  private readonly ticker = this.register(new Ticker(() => this.onDidChangeTreeDataEmitter.fire(undefined)));

  constructor(
    private readonly watches: WatchRegistry,
    private readonly clock: Clock = systemClock,
  ) {
    super();
    this.treeView = this.register(vscode.window.createTreeView(ViewId.Watches, { treeDataProvider: this }));
    this.register(watches.onDidChange(() => this.refresh()));
    this.register(this.treeView.onDidChangeVisibility(() => this.updateTicker()));
    // Restored watches need their badge; with none, the new view already is what a refresh would make it.
    if (watches.list().length > 0) {
      this.refresh();
    }
  }

  private refresh(): void {
    this.onDidChangeTreeDataEmitter.fire(undefined);
    const waiting = this.watches.list().filter((watch) => watch.state === 'waiting').length;
    this.treeView.badge = waiting > 0 ? { value: waiting, tooltip: waiting === 1 ? vscode.l10n.t('1 awaited reply') : vscode.l10n.t('{0} awaited replies', waiting) } : undefined;
    this.updateTicker();
  }

  getChildren(element?: Watch): Watch[] {
    // Newest watch first.
    return element ? [] : [...this.watches.list()].reverse();
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(watch: Watch): vscode.TreeItem {
    // A query watch is labelled with its query, an ID watch with the ID it awaits a reply to.
    const label = watch.query ? labelText(watch.query.text, 60) : labelText(shortId(watch.messageId));
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    // Encoded: an ID is any string (lone surrogates included), never structure.
    item.id = `watch/${encodeId(watch.node ?? '')}/${watch.query ? `query/${encodeId(watch.query.text)}` : encodeId(watch.messageId)}/${watch.createdAt}`;
    const now = this.clock.now();
    switch (watch.state) {
      case 'waiting':
        item.description = vscode.l10n.t('waiting {0}', formatDuration(now - watch.createdAt));
        item.iconPath = new vscode.ThemeIcon(watch.query ? 'search' : 'watch');
        break;
      case 'answered': {
        const reply = watch.reply;
        // "replied in 820 ms by 03ab…: pong", the reply state then the start of the reply's data; the
        // time is from the send when a send made the watch, else from watching.
        item.description = reply
          ? labelText(vscode.l10n.t('{0}: {1}', replyStateText(watch, now), previewData(reply, 60)), 120)
          : vscode.l10n.t('{0} (reply no longer held)', replyStateText(watch, now));
        item.iconPath = new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
        if (reply) {
          item.command = { command: CommandId.OpenMessage, title: vscode.l10n.t('Open Reply'), arguments: [reply] };
        }
        break;
      }
      case 'timedOut':
        item.description = watch.query
          ? vscode.l10n.t('no match after {0}', formatDuration((watch.settledAt ?? now) - watch.createdAt))
          : vscode.l10n.t('no reply after {0}', formatDuration((watch.settledAt ?? now) - watch.createdAt));
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        break;
      case 'cancelled':
        item.description = vscode.l10n.t('stopped');
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        break;
    }
    const awaiting = watch.query ? this.awaitingMatch(watch) : this.awaitingReply(watch);
    const since = vscode.l10n.t('Watched since {0}', new Date(watch.createdAt).toLocaleString());
    item.tooltip = `${awaiting}\n${since}\n${labelText(replyStateText(watch, now))}`;
    item.contextValue = `watch ${watch.state}`;
    return item;
  }

  private awaitingReply(watch: Watch): string {
    return watch.node
      ? vscode.l10n.t('Awaiting a reply to {0} on {1}', labelText(watch.messageId, 200), labelText(watch.node))
      : vscode.l10n.t('Awaiting a reply to {0}', labelText(watch.messageId, 200));
  }

  private awaitingMatch(watch: Watch): string {
    const query = labelText(watch.subject, 200);
    return watch.node ? vscode.l10n.t('Awaiting a message matching {0} on {1}', query, labelText(watch.node)) : vscode.l10n.t('Awaiting a message matching {0}', query);
  }

  private updateTicker(): void {
    this.ticker.set(this.treeView.visible && this.watches.list().some((watch) => watch.state === 'waiting'));
  }
}
