import * as vscode from 'vscode';
import type { GroupBy, MessageTreeModel } from '../../core/messages/messageTree';
import type { NodeMessage } from '../../core/nodeMessage';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import { replyLatencyMs } from '../../core/watches/replyLatency';
import type { AnsweredReply, TimedOutWatch, TimelineInput, TimelineMessage } from '../../core/timeline/timelineBins';
import { parseGesture, type TimelineData, type TimelineGesture, type TimelineGrouping, type TimelineUpdate } from '../../core/timeline/timelineData';
import { TimelinePublisher } from '../../core/timeline/timelinePublisher';
import { DisposableStore } from '../base/disposableStore';
import { ViewId } from '../contributionIds';
import type { MessagesView } from '../messages/messagesView';
import { timelineHtml } from './timelineHtml';

/** What the Timeline acts on. */
export interface TimelineServices {
  readonly subscriptions: NodeSubscriptions;
  readonly messagesView: MessagesView;
  readonly extensionUri: vscode.Uri;
}

/** What the webview reported after its last drawing: the tests and the benchmark read it. */
export interface TimelineDrawn {
  readonly bins: number;
  /** Messages in the chart's bins, and in the data table's rows. */
  readonly total: number;
  readonly tableTotal: number;
}

/** The Timeline's state as tests read it (returned by `impervious.showTimeline`). */
export interface TimelineProbe {
  readonly resolved: boolean;
  readonly visible: boolean;
  readonly posted: number;
  readonly lastData: TimelineData | undefined;
  readonly drawn: TimelineDrawn | undefined;
}

/**
 * The Timeline, a webview view in the panel. The extension keeps the numbers (`TimelinePublisher`
 * aggregates and throttles them) and the webview draws them with its own bundle, loaded only when
 * the view is opened: `dist/extension.js` carries no chart code.
 */
export class TimelineView extends DisposableStore implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  /** Made when the view is first resolved: until it is shown, nothing it would follow matters. */
  private publisher: TimelinePublisher | undefined;
  private lastData: TimelineData | undefined;
  private drawn: TimelineDrawn | undefined;

  constructor(private readonly services: TimelineServices) {
    super();
  }

  get probe(): TimelineProbe {
    return { resolved: this.view !== undefined, visible: this.view?.visible ?? false, posted: this.publisher?.posted ?? 0, lastData: this.lastData, drawn: this.drawn };
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    const publisher = (this.publisher ??= this.createPublisher());
    this.view = view;
    const dist = vscode.Uri.joinPath(this.services.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist] };
    view.webview.html = timelineHtml(view.webview, dist);
    const subscriptions = [
      view.webview.onDidReceiveMessage((message: unknown) => {
        const gesture = parseGesture(message);
        if (gesture) {
          void this.onGesture(publisher, gesture);
        }
      }),
      view.onDidChangeVisibility(() => publisher.setVisible(view.visible)),
    ];
    view.onDidDispose(() => {
      subscriptions.forEach((subscription) => subscription.dispose());
      publisher.setVisible(false);
      if (this.view === view) {
        this.view = undefined;
      }
    });
  }

  /** Opens the Timeline in the panel; resolves with its state once the view is resolved. */
  async show(): Promise<TimelineProbe> {
    await vscode.commands.executeCommand(`${ViewId.Timeline}.focus`);
    return this.probe;
  }

  private createPublisher(): TimelinePublisher {
    const { subscriptions, messagesView } = this.services;
    const publisher = new TimelinePublisher({
      read: () => timelineInput(subscriptions, messagesView.model),
      grouping: () => timelineGrouping(messagesView.model.groupBy),
      post: (update) => this.post(update),
    });
    this.register({ dispose: () => publisher.dispose() });
    this.register(subscriptions.onDidReceiveMessage(() => publisher.changed()));
    this.register(subscriptions.watches.onDidChange(() => publisher.changed()));
    // Redraws of the Messages view cover clearing, grouping and nodes coming and going.
    this.register(messagesView.onDidChangeTreeData(() => publisher.changed()));
    this.register(messagesView.onDidChangeFilter(() => publisher.changed()));
    this.register(messagesView.onDidChangePaused((paused) => publisher.setPaused(paused)));
    publisher.setPaused(messagesView.isPaused);
    return publisher;
  }

  private post(update: TimelineUpdate): void {
    if (update.type === 'data') {
      this.lastData = update.data;
      const { timeRange, filter } = this.services.messagesView.model;
      update = { ...update, range: timeRange, query: filter || undefined };
    }
    void this.view?.webview.postMessage(update);
  }

  private async onGesture(publisher: TimelinePublisher, gesture: TimelineGesture): Promise<void> {
    const { subscriptions, messagesView } = this.services;
    switch (gesture.type) {
      case 'ready':
        publisher.setPaused(messagesView.isPaused);
        publisher.setVisible(this.view?.visible ?? false);
        return;
      case 'span':
        publisher.setSpan(gesture.span);
        return;
      case 'brush':
        messagesView.setTimeRange({ from: gesture.from, to: gesture.to });
        return;
      case 'clearBrush':
        messagesView.setTimeRange(undefined);
        return;
      case 'reveal': {
        const reply = subscriptions.find(gesture.replyId, gesture.node);
        if (reply) {
          await messagesView.reveal(reply);
        }
        return;
      }
      case 'drawn':
        this.drawn = { bins: gesture.bins, total: gesture.total, tableTotal: gesture.tableTotal };
        return;
    }
  }
}

/** The Messages view's grouping as the Timeline stacks it: threads stack by node. */
function timelineGrouping(groupBy: GroupBy): TimelineGrouping {
  return groupBy === 'thread' ? 'node' : groupBy;
}

/**
 * What the Timeline aggregates: the held messages that match the Messages view's query (all when it
 * has none; its brushed time range is the Timeline's own, so it does not narrow the bins), and the
 * reply watches shown in Awaited Replies whose reply matches too. A held message is read from its
 * store's columns, not built: the query's answers come from the view's model, which builds only
 * the messages it has not checked yet.
 */
function timelineInput(subscriptions: NodeSubscriptions, model: MessageTreeModel): TimelineInput {
  const now = Date.now();
  const query = model.filterQuery;
  const matching = (message: NodeMessage): boolean => query.empty || query.matches(message, now);
  const messages: TimelineMessage[] = [];
  for (const node of subscriptions.storeNames()) {
    const store = subscriptions.store(node);
    const end = store.firstSequence + store.size;
    for (let sequence = store.firstSequence; sequence < end; sequence++) {
      if (query.empty || model.matchesQuery(node, sequence, now)) {
        messages.push({
          node,
          fromPubkey: store.fieldOf(sequence, 'sender') as string,
          serviceType: store.fieldOf(sequence, 'serviceType') as string,
          receivedAt: store.receivedAtOf(sequence) as number,
        });
      }
    }
  }
  const replies: AnsweredReply[] = [];
  const timeouts: TimedOutWatch[] = [];
  for (const watch of subscriptions.watches.list()) {
    if (watch.query) {
      continue; // A query watch's wait is no reply latency.
    }
    const ms = replyLatencyMs(watch);
    if (watch.reply && ms !== undefined && watch.settledAt !== undefined && matching(watch.reply)) {
      replies.push({ node: watch.reply.node, at: watch.settledAt, ms, sentId: watch.messageId, replyId: watch.reply.id, sender: watch.reply.fromPubkey });
    } else if (watch.state === 'timedOut' && watch.deadline !== undefined) {
      timeouts.push({ node: watch.node ?? '', at: watch.settledAt ?? watch.deadline, sentId: watch.messageId, afterMs: watch.deadline - watch.createdAt });
    }
  }
  return { messages, replies, timeouts, now };
}
