import * as vscode from 'vscode';
import { formatAmount } from '../../core/sending/amount';
import { systemClock, type Clock } from '../../core/base/clock';
import { stateLabel } from '../../core/connection/connectionProblems';
import { shortSender } from '../../core/text/messageText';
import { labelText, singleLine } from '../../core/text/safeText';
import { isMessage, isMessageElement, MessageTreeModel, type GroupBy, type MessageElement, type MessageTreeElement, type ThreadMarks } from '../../core/messages/messageTree';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { NodeMessage } from '../../core/nodeMessage';
import { Throttle } from '../../core/base/throttle';
import { formatTime } from '../../core/text/timeFormat';
import { DisposableStore } from '../base/disposableStore';
import { serviceTypeIcon } from './icons';
import { CommandId, ContextKey, ViewId } from '../contributionIds';
import { messageTooltipMarkdown, type TooltipWords } from './messageMarkdown';
import type { Probe } from '../services/testProbe';
import type { QueryError } from '../../core/query/query';

const STATE_ICONS: Record<string, string> = {
  connected: 'pass-filled',
  connecting: 'loading~spin',
  reconnecting: 'sync~spin',
  disconnected: 'circle-slash',
  // Calm, like the status bar: attempts go on quietly until the node is up.
  'not running': 'circle-outline',
};

/** A change redraws the tree at most this long after it happened (never sooner: see `Throttle`'s `leading`). */
export const REDRAW_INTERVAL_MS = 100;
/** How long a reveal that found an outdated tree waits for the redraw before it tries again. */
const REVEAL_RETRY_MS = 250;

/**
 * The Messages view. Arrivals only mark the view dirty; the redraw runs 100 ms after the change
 * that asked for it, so at most ten times a second from the first message of a burst on (and not
 * at all while paused): a burst never redraws per message.
 */
export class MessagesView extends DisposableStore implements vscode.TreeDataProvider<MessageTreeElement> {
  readonly model: MessageTreeModel;
  readonly treeView: vscode.TreeView<MessageTreeElement>;
  private readonly onDidChangeTreeDataEmitter = this.register(new vscode.EventEmitter<MessageTreeElement | undefined>());
  readonly onDidChangeTreeData = this.onDidChangeTreeDataEmitter.event;
  private readonly onDidChangePausedEmitter = this.register(new vscode.EventEmitter<boolean>());
  /** Pause and resume (the Timeline follows them). */
  readonly onDidChangePaused = this.onDidChangePausedEmitter.event;
  private readonly onDidChangeFilterEmitter = this.register(new vscode.EventEmitter<void>());
  /** Fires when the query or the time range changes (the Timeline follows the query). */
  readonly onDidChangeFilter = this.onDidChangeFilterEmitter.event;
  private readonly throttle: Throttle;
  private paused = false;
  private newWhilePaused = 0;
  private unread = 0;
  private readonly reportedFailures = new Set<string>();

  constructor(
    private readonly subscriptions: NodeSubscriptions,
    groupBy: GroupBy,
    private readonly probe: Probe,
    private readonly log: (line: string) => void,
    clock: Clock = systemClock,
  ) {
    super();
    this.model = new MessageTreeModel(subscriptions);
    this.model.groupBy = groupBy;
    this.throttle = new Throttle(() => this.redraw(), REDRAW_INTERVAL_MS, clock, false);
    this.treeView = this.register(
      vscode.window.createTreeView(ViewId.Messages, { treeDataProvider: this, showCollapseAll: true }),
    );
    this.register(
      this.treeView.onDidChangeVisibility(({ visible }) => {
        if (visible) {
          this.unread = 0;
          this.updateBadge();
        }
      }),
    );
    this.register(subscriptions.onDidReceiveMessage(() => this.onMessage()));
    this.register(subscriptions.onDidChangeNodes(() => this.refresh()));
    // The last session's messages come back after activation, maybe after the first draw.
    this.register(subscriptions.onDidRestore(() => this.refresh()));
    this.register(subscriptions.onDidClear(() => this.refresh()));
    this.register(subscriptions.onDidChangeStatus(() => this.refresh()));
    this.register(this.throttle);
    void vscode.commands.executeCommand('setContext', ContextKey.Paused, false);
    void vscode.commands.executeCommand('setContext', ContextKey.Filtered, false);
  }

  setGroupBy(groupBy: GroupBy): void {
    this.model.groupBy = groupBy;
    this.refresh();
  }

  /**
   * Filters by a query (docs/queries.md); clearing it (Clear Filter) clears the time range too. A
   * malformed query changes nothing and is returned.
   */
  setFilter(text: string): QueryError | undefined {
    const error = this.model.setFilter(text);
    if (error) {
      return error;
    }
    if (this.model.filter === '') {
      this.model.timeRange = undefined;
    }
    this.filterChanged();
    return undefined;
  }

  /** Shows only the messages received in [from, to) (a range brushed on the Timeline); `undefined` shows all again. */
  setTimeRange(range: { readonly from: number; readonly to: number } | undefined): void {
    this.model.timeRange = range;
    this.filterChanged();
  }

  /** The description says what the view is filtered by: the query, then the time range. */
  private filterChanged(): void {
    const range = this.model.timeRange;
    const parts = [
      this.model.filter ? labelText(this.model.filter, 60) : undefined,
      range ? vscode.l10n.t('received {0}–{1}', formatTime(range.from), formatTime(range.to)) : undefined,
    ].filter((part) => part !== undefined);
    this.treeView.description = parts.length > 0 ? parts.join(' · ') : undefined;
    void vscode.commands.executeCommand('setContext', ContextKey.Filtered, this.model.filtering);
    this.onDidChangeFilterEmitter.fire();
    this.refresh();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    // Draw what is already here, so the view freezes on the state the user saw.
    this.throttle.flush();
    this.paused = true;
    this.newWhilePaused = 0;
    void vscode.commands.executeCommand('setContext', ContextKey.Paused, true);
    this.updateMessage();
    this.onDidChangePausedEmitter.fire(true);
  }

  resume(): void {
    this.paused = false;
    void vscode.commands.executeCommand('setContext', ContextKey.Paused, false);
    this.refresh();
    this.onDidChangePausedEmitter.fire(false);
  }

  /** Marks the view for a redraw (coalesced). */
  refresh(): void {
    if (!this.paused) {
      this.throttle.schedule();
    }
    this.updateMessage();
  }

  /** Redraws now if one is pending: tests and reveal use it to see the newest state at once. */
  flush(): void {
    this.throttle.flush();
  }

  /**
   * Selects a message (its item, or the message as an object: the item of the held copy it is).
   * VS Code walks `getParent` up to a root and expands the way down: the parents come from
   * `ThreadShape`, so the walk ends within `MAX_THREAD_DEPTH` steps for any reply graph (loops,
   * chains of any length). VS Code finds each item by its ID, not by the element object. A message
   * no longer held is not revealed.
   */
  async reveal(target: NodeMessage | MessageElement, options: { expand?: boolean | number } = {}): Promise<void> {
    const element = isMessageElement(target) ? target : this.model.element(target);
    const message = element && this.model.message(element);
    if (!element || !message) {
      return;
    }
    if (this.model.filtering && !this.model.matches(message)) {
      this.setFilter('');
    }
    this.flush();
    const revealOptions = { select: true, focus: true, expand: options.expand ?? false };
    try {
      await this.treeView.reveal(element, revealOptions);
    } catch {
      // The workbench may still hold an older shape (a reply that closed a loop moves items and
      // changes their IDs): draw the whole tree anew, let it fetch, and try once more.
      this.onDidChangeTreeDataEmitter.fire(undefined);
      await new Promise((resolve) => setTimeout(resolve, REVEAL_RETRY_MS));
      await this.treeView.reveal(element, revealOptions);
    }
  }

  /**
   * The provider's entry points never throw: a bug with one element (or one peer's odd message)
   * gives a plain item and a log line, not a blank view.
   */
  getTreeItem(element: MessageTreeElement): vscode.TreeItem {
    try {
      return this.treeItem(element);
    } catch (error) {
      this.reportFailure('draw an item', error);
      return new vscode.TreeItem(vscode.l10n.t('(this item could not be shown)'), vscode.TreeItemCollapsibleState.None);
    }
  }

  resolveTreeItem(item: vscode.TreeItem, element: MessageTreeElement): vscode.TreeItem {
    try {
      return this.resolveTooltip(item, element);
    } catch (error) {
      this.reportFailure('make a tooltip', error);
      return item;
    }
  }

  getChildren(element?: MessageTreeElement): MessageTreeElement[] {
    try {
      return this.model.children(element);
    } catch (error) {
      this.reportFailure('list items', error);
      return [];
    }
  }

  getParent(element: MessageTreeElement): MessageTreeElement | undefined {
    try {
      return this.model.parent(element);
    } catch (error) {
      this.reportFailure('find a parent', error);
      return undefined;
    }
  }

  private treeItem(element: MessageTreeElement): vscode.TreeItem {
    switch (element.kind) {
      case 'message':
        return this.messageItem(element);
      case 'node': {
        const status = this.subscriptions.connection(element.node)?.status;
        const count = this.subscriptions.store(element.node).size;
        const item = new vscode.TreeItem(labelText(element.node), vscode.TreeItemCollapsibleState.Expanded);
        item.id = this.model.id(element);
        const state = status?.notRunning ? 'not running' : status?.state;
        const stateText = status ? stateLabel(status) : vscode.l10n.t('not configured');
        item.description = count === 1 ? vscode.l10n.t('{0} · 1 message', stateText) : vscode.l10n.t('{0} · {1} messages', stateText, count);
        item.tooltip = status ? labelText(status.detail, 300) : vscode.l10n.t('This node is no longer configured; its held messages are kept.');
        item.iconPath = new vscode.ThemeIcon(STATE_ICONS[state ?? 'disconnected'] ?? 'circle-slash');
        item.contextValue = 'node';
        return item;
      }
      case 'group': {
        const label = element.groupBy === 'sender' ? shortSender(element.key) : labelText(element.key) || vscode.l10n.t('(none)');
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.model.id(element);
        item.description = `${element.count}`;
        item.tooltip = labelText(element.key, 300);
        item.iconPath = new vscode.ThemeIcon(element.groupBy === 'sender' ? 'account' : serviceTypeIcon(element.key));
        item.contextValue = 'group';
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(vscode.l10n.t('{0} older messages', element.hidden), vscode.TreeItemCollapsibleState.None);
        item.id = this.model.id(element);
        item.description = vscode.l10n.t('filter or export to see them');
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        return item;
      }
    }
  }

  /**
   * A message's tooltip, made when the pointer rests on the item. VS Code parses the Markdown of
   * every tooltip it is handed, for each of the up to 200 roots (and what is expanded) of every
   * redraw: in a burst that work would hold the extension host up on every redraw, for items
   * nobody points at.
   */
  private resolveTooltip(item: vscode.TreeItem, element: MessageTreeElement): vscode.TreeItem {
    const message = isMessage(element) && item.tooltip === undefined ? this.model.message(element) : undefined;
    if (message) {
      // Not trusted, no HTML: peer text cannot become a link or a command.
      const words = tooltipWords(this.subscriptions.isRecovered(message));
      const tooltip = new vscode.MarkdownString(messageTooltipMarkdown(message, words), false);
      tooltip.isTrusted = false;
      tooltip.supportHtml = false;
      item.tooltip = tooltip;
    }
    return item;
  }

  /** One log line per different failure: a failing item is drawn on every refresh. */
  private reportFailure(what: string, error: unknown): void {
    const text = singleLine(error instanceof Error ? error.message : String(error)).slice(0, 300);
    if (this.reportedFailures.has(text) || this.reportedFailures.size >= 20) {
      return;
    }
    this.reportedFailures.add(text);
    this.log(`Messages view: could not ${what}: ${text}`);
  }

  /**
   * A message's item, from the message built for it here and dropped after: neither the item nor
   * its command keeps the object (the command's argument is the element).
   */
  private messageItem(element: MessageElement): vscode.TreeItem {
    const message = this.model.message(element);
    if (!message) {
      // Evicted since it was listed: the redraw its eviction asked for drops the item.
      const gone = new vscode.TreeItem(vscode.l10n.t('(no longer held)'), vscode.TreeItemCollapsibleState.None);
      gone.id = this.model.id(element);
      return gone;
    }
    const item = new vscode.TreeItem(
      this.label(element, message),
      this.model.hasChildren(element) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.model.id(element, message);
    item.description = [
      ...markTexts(this.model.marks(element, message)),
      shortSender(message.fromPubkey),
      formatTime(message.receivedAt),
      formatAmount(message.amount),
      labelText(message.serviceType, 40),
    ]
      .filter(Boolean)
      .join(' · ');
    // No tooltip here: resolveTreeItem() adds it on hover.
    item.iconPath = new vscode.ThemeIcon(serviceTypeIcon(message.serviceType));
    item.contextValue = message.replyToId ? 'message reply' : 'message';
    item.command = { command: CommandId.OpenMessage, title: vscode.l10n.t('Open Message'), arguments: [element] };
    item.accessibilityInformation = {
      label: labelText(vscode.l10n.t('Message {0} from {1}: {2}', labelText(message.id, 400), labelText(message.fromPubkey, 400), String(item.label)), 400),
    };
    return item;
  }

  /**
   * The item's label: a preview that fails on some body must not throw out of getTreeItem, which
   * would leave the whole view empty; such a message is labelled by its size.
   */
  private label(element: MessageElement, message: NodeMessage): string {
    try {
      return labelText(this.model.preview(element, message));
    } catch {
      return vscode.l10n.t('{0} bytes', message.data.byteLength);
    }
  }

  private onMessage(): void {
    if (!this.treeView.visible) {
      this.unread++;
    }
    if (this.paused) {
      this.newWhilePaused++;
      this.updateMessage();
    } else {
      this.throttle.schedule();
    }
  }

  private redraw(): void {
    this.probe.redrew();
    this.onDidChangeTreeDataEmitter.fire(undefined);
    this.updateBadge();
    this.updateMessage();
  }

  private updateBadge(): void {
    this.treeView.badge =
      this.unread > 0 ? { value: this.unread, tooltip: this.unread === 1 ? vscode.l10n.t('1 new message') : vscode.l10n.t('{0} new messages', this.unread) } : undefined;
  }

  private updateMessage(): void {
    let text: string | undefined;
    if (this.paused) {
      text = vscode.l10n.t('Paused, {0} new', this.newWhilePaused);
    } else if (this.model.filter) {
      const { matching, total } = this.model.countMatches();
      text = vscode.l10n.t('Filter "{0}": {1} of {2} messages', labelText(this.model.filter, 40), matching, total);
    } else if (this.model.timeRange) {
      const { matching, total } = this.model.countMatches();
      const { from, to } = this.model.timeRange;
      text = vscode.l10n.t('Received {0}–{1} (from the Timeline): {2} of {3} messages', formatTime(from), formatTime(to), matching, total);
    }
    if (this.treeView.message !== text) {
      this.treeView.message = text;
    }
  }
}

/**
 * How an item says where it is and how it came: "recovered" on a message fetched from a v1 node's
 * stored messages after a gap in its stream, "↻ loop" on the oldest message of a reply loop (shown
 * as a root, the rest of the loop under it), "↩ reply to an earlier message" on a reply whose
 * parent is not held, "↳ N deep" on a reply past the nesting depth (shown flat under its ancestor
 * at that depth), and "duplicate ID" on each message whose ID another held message has too.
 */
function markTexts(marks: ThreadMarks): string[] {
  return [
    marks.recovered ? vscode.l10n.t('recovered') : '',
    marks.loop ? vscode.l10n.t('↻ loop') : '',
    marks.orphan ? vscode.l10n.t('↩ reply to an earlier message') : '',
    marks.flatDepth > 0 ? vscode.l10n.t('↳ {0} deep', marks.flatDepth) : '',
    marks.duplicate ? vscode.l10n.t('duplicate ID') : '',
  ];
}

/** The tooltip's words, in the display language (read when a tooltip is made, on hover). */
function tooltipWords(recovered: boolean): TooltipWords {
  return {
    ...(recovered ? { recovered: vscode.l10n.t("Recovered: it arrived while the stream was reconnecting, and was fetched from the node's stored messages.") } : {}),
    binary: (byteLength) => vscode.l10n.t('{0} bytes of binary data', byteLength),
    empty: vscode.l10n.t('(empty)'),
    id: vscode.l10n.t('ID'),
    replyTo: vscode.l10n.t('Reply to'),
    from: vscode.l10n.t('From'),
    service: vscode.l10n.t('Service'),
    amount: vscode.l10n.t('Amount'),
    received: vscode.l10n.t('Received'),
    node: vscode.l10n.t('Node'),
  };
}
