import * as vscode from 'vscode';
import { encodeId } from '../core/idEncoding';
import { previewData, shortId } from '../core/messageText';
import { replyStateText } from '../core/replyState';
import { labelText } from '../core/safeText';
import { formatAge } from '../core/timeFormat';
import type { Watch, WatchRegistry } from '../core/watches';
import { DisposableStore } from './disposableStore';
import { CommandId, ViewId } from './ids';
import { Ticker } from './ticker';

/** The Awaited Replies view: each watch with its age, marked when answered. */
export class WatchesView extends DisposableStore implements vscode.TreeDataProvider<Watch> {
  readonly treeView: vscode.TreeView<Watch>;
  private readonly onDidChangeTreeDataEmitter = this.register(new vscode.EventEmitter<Watch | undefined>());
  readonly onDidChangeTreeData = this.onDidChangeTreeDataEmitter.event;
  /** Ages tick once a second, only while the view is visible and something waits. */
  private readonly ticker = this.register(new Ticker(() => this.onDidChangeTreeDataEmitter.fire(undefined)));

  constructor(private readonly watches: WatchRegistry) {
    super();
    this.treeView = this.register(vscode.window.createTreeView(ViewId.Watches, { treeDataProvider: this }));
    this.register(watches.onDidChange(() => this.refresh()));
    this.register(this.treeView.onDidChangeVisibility(() => this.updateTicker()));
    this.refresh();
  }

  private refresh(): void {
    this.onDidChangeTreeDataEmitter.fire(undefined);
    const waiting = this.watches.list().filter((watch) => watch.state === 'waiting').length;
    this.treeView.badge = waiting > 0 ? { value: waiting, tooltip: `${waiting} awaited repl${waiting === 1 ? 'y' : 'ies'}` } : undefined;
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
    const item = new vscode.TreeItem(labelText(shortId(watch.messageId)), vscode.TreeItemCollapsibleState.None);
    // Encoded: an ID is any string (lone surrogates included), never structure.
    item.id = `watch/${encodeId(watch.node ?? '')}/${encodeId(watch.messageId)}/${watch.createdAt}`;
    const now = Date.now();
    switch (watch.state) {
      case 'waiting':
        item.description = `waiting ${formatAge(now - watch.createdAt)}`;
        item.iconPath = new vscode.ThemeIcon('watch');
        break;
      case 'answered': {
        const reply = watch.reply;
        // "replied in 820 ms by 03ab…": from the send when a send made the watch, else from watching.
        item.description = reply ? labelText(`${replyStateText(watch, now)}: ${previewData(reply, 60)}`, 120) : `${replyStateText(watch, now)} (reply no longer held)`;
        item.iconPath = new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
        if (reply) {
          item.command = { command: CommandId.OpenMessage, title: 'Open Reply', arguments: [reply] };
        }
        break;
      }
      case 'timedOut':
        item.description = `no reply after ${formatAge((watch.settledAt ?? now) - watch.createdAt)}`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        break;
      case 'cancelled':
        item.description = 'stopped';
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        break;
    }
    item.tooltip = `Awaiting a reply to ${labelText(watch.messageId, 200)}${watch.node ? ` on ${labelText(watch.node)}` : ''}\nWatched since ${new Date(watch.createdAt).toLocaleString()}\n${labelText(replyStateText(watch, now))}`;
    item.contextValue = `watch ${watch.state}`;
    return item;
  }

  private updateTicker(): void {
    this.ticker.set(this.treeView.visible && this.watches.list().some((watch) => watch.state === 'waiting'));
  }
}
