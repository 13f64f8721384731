// The pipeline's one face: nodes, held messages (messages/heldMessages.ts), watches, sends and
// events. Each part is a few lines that delegate to its own file.
import * as l10n from '@vscode/l10n';
import type { Random } from './connection/backoff';
import { systemClock, type Clock } from './base/clock';
import { Emitter, rethrowListenerError, type Disposable, type ListenerErrorHandler } from './base/emitter';
import { GapBackfill, type RecoveryReport } from './backfill/gapBackfill';
import { RecoveredMarks } from './backfill/recoveredMarks';
import type { EncodedMessage } from './messages/encodedMessage';
import { HeldMessages } from './messages/heldMessages';
import type { MessageStore } from './messages/messageStore';
import { sameConnection, type NodeConfig } from './connection/nodeConfig';
import { ReadTurn } from './connection/readTurn';
import {
  NodeConnection,
  type ConnectionState,
  type ConnectionStatus,
  type NodeConnectionOptions,
  type RejectedFrame,
  type StreamError,
} from './connection/nodeConnection';
import type { NodeMessage } from './nodeMessage';
import { NodeReplyLatencies } from './watches/replyLatency';
import { replyLatencyMs } from './watches/replyLatency';
import { getJson, sendMessage, type SendMessageRequest } from './sending/restClient';
import { StreamDowntime } from './connection/streamDowntime';
import { WatchRegistry, type Watch, type WatchOptions } from './watches/watches';
import type { WireSchema } from './wire/wireSchema';

export { TOTAL_BUDGET_IN_NODES } from './messages/heldMessages';
export type { RecoveryReport } from './backfill/gapBackfill';

/** The largest `GET /v1/message` answer read: it holds the node's whole history, unpaged. */
export const STORED_ANSWER_MAX_BYTES = 8 * 1024 * 1024;
/** IDs of the extension's sends remembered per node, to tell the node's own stored messages apart. */
const SENT_IDS_KEPT = 1000;

export interface NodeStatusEvent {
  readonly node: string;
  readonly status: ConnectionStatus;
}

export interface NodeFrameEvent<T> {
  readonly node: string;
  readonly event: T;
}

/** Connection settings every node shares (timeouts, backoff, test hooks). */
export type ConnectionDefaults = Omit<NodeConnectionOptions, 'node' | 'apiKey' | 'schema' | 'clock' | 'random' | 'onListenerError'>;

export interface NodeSubscriptionsOptions {
  readonly maxMessages: number;
  /** The byte budget of one node's held messages (`messageBytes`); none when absent. */
  readonly maxBytes?: number;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly schema?: WireSchema;
  readonly connection?: ConnectionDefaults;
  /**
   * Told of every listener that throws: of the pipeline's events, its connections' and its watches'
   * (the pipeline's own store-and-watch listener included). Default: rethrown, uncaught.
   */
  readonly onListenerError?: ListenerErrorHandler;
}

interface NodeEntry {
  config: NodeConfig;
  apiKey: string | undefined;
  connection: NodeConnection;
  listeners: Disposable[];
  /** The state last reported, to tell a drop from a failed attempt. */
  state: ConnectionState;
  readonly downtime: StreamDowntime;
  readonly backfill: GapBackfill;
  /** The last `SENT_IDS_KEPT` IDs this node returned for sends, oldest first. */
  readonly sentIds: Set<string>;
}

const STATE_PRIORITY: readonly ConnectionState[] = ['connected', 'reconnecting', 'connecting', 'disconnected'];

/**
 * Every configured node's subscription, held messages and the watches over them: the pipeline the
 * VS Code layer shows and the exported API serves. A message goes store → watches → event.
 * Named for what it holds: one `/v1/subscribe` stream per node, and what those streams delivered.
 * Held wherever it is used as `subscriptions`; views and commands that need one part of it take
 * that part (`subscriptions.watches`, a `RequestPort`).
 */
export class NodeSubscriptions {
  readonly watches: WatchRegistry;
  /** Each node's last replies to watched IDs, timed from the send (or from watching). */
  readonly replyLatencies = new NodeReplyLatencies();
  private readonly nodes = new Map<string, NodeEntry>();
  /** Every node's held messages, and the byte budget across them. */
  private readonly held: HeldMessages;
  private readonly clock: Clock;
  /** Every node's frames count against one share of each turn of the event loop. */
  private readonly readTurn = new ReadTurn();

  /** Listeners that threw, of any event the pipeline, its connections or its watches fire. */
  private listenerErrorCount = 0;
  private readonly onListenerError: ListenerErrorHandler = (error, event) => {
    this.listenerErrorCount++;
    (this.options.onListenerError ?? rethrowListenerError)(error, event);
  };

  private readonly onDidReceiveMessageEmitter = new Emitter<NodeMessage>('NodeSubscriptions.onDidReceiveMessage', this.onListenerError);
  private readonly onDidChangeStatusEmitter = new Emitter<NodeStatusEvent>('NodeSubscriptions.onDidChangeStatus', this.onListenerError);
  private readonly onDidRejectFrameEmitter = new Emitter<NodeFrameEvent<RejectedFrame>>('NodeSubscriptions.onDidRejectFrame', this.onListenerError);
  private readonly onDidReceiveErrorEmitter = new Emitter<NodeFrameEvent<StreamError>>('NodeSubscriptions.onDidReceiveError', this.onListenerError);
  private readonly onDidChangeNodesEmitter = new Emitter<void>('NodeSubscriptions.onDidChangeNodes', this.onListenerError);
  private readonly onDidClearEmitter = new Emitter<string | undefined>('NodeSubscriptions.onDidClear', this.onListenerError);
  private readonly onDidRecoverMessagesEmitter = new Emitter<RecoveryReport>('NodeSubscriptions.onDidRecoverMessages', this.onListenerError);
  private readonly onDidRestoreEmitter = new Emitter<number>('NodeSubscriptions.onDidRestore', this.onListenerError);
  /** Held messages that came back from a v1 node's stored messages after a gap in its stream. */
  private readonly recovered = new RecoveredMarks((node) => this.held.store(node).capacity);
  /** The message `holdEncoded` held last, until its connection's event brings it to `acceptFromStream`. */
  private heldFromFrame: NodeMessage | undefined;
  private streamCopies = 0;
  readonly onDidReceiveMessage = this.onDidReceiveMessageEmitter.event;
  readonly onDidChangeStatus = this.onDidChangeStatusEmitter.event;
  readonly onDidRejectFrame = this.onDidRejectFrameEmitter.event;
  readonly onDidReceiveError = this.onDidReceiveErrorEmitter.event;
  /** Nodes were added or removed. */
  readonly onDidChangeNodes = this.onDidChangeNodesEmitter.event;
  /** Held messages were cleared (for one node, or all when `undefined`). */
  readonly onDidClear = this.onDidClearEmitter.event;
  /** A v1 node's stored messages were fetched after a gap in its stream (one event per gap). */
  readonly onDidRecoverMessages = this.onDidRecoverMessagesEmitter.event;
  /** Messages from storage were held (`restore`, after activation): how many. Views redraw; nothing else is told. */
  readonly onDidRestore = this.onDidRestoreEmitter.event;

  constructor(private readonly options: NodeSubscriptionsOptions) {
    this.held = new HeldMessages(options.maxMessages, options.maxBytes ?? Number.POSITIVE_INFINITY);
    this.clock = options.clock ?? systemClock;
    this.watches = new WatchRegistry((messageId, node) => this.held.firstReplyTo(messageId, node), this.clock, undefined, this.onListenerError);
  }

  /** How many listeners threw so far: a store, a watch or a view that missed an event. */
  get listenerErrors(): number {
    return this.listenerErrorCount;
  }

  /** The configured nodes, in order. */
  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  connection(node: string): NodeConnection | undefined {
    return this.nodes.get(node)?.connection;
  }

  /**
   * Makes the node set match `configs`: removed nodes disconnect, new ones are added, and a node
   * whose URL, TLS or API version changed gets a new connection. Returns the names (re)created.
   */
  setNodes(configs: readonly NodeConfig[], apiKeys: ReadonlyMap<string, string | undefined>): string[] {
    const wanted = new Map(configs.map((config) => [config.name, config]));
    for (const name of [...this.nodes.keys()]) {
      if (!wanted.has(name)) {
        this.removeNode(name);
      }
    }
    const created: string[] = [];
    for (const config of configs) {
      const entry = this.nodes.get(config.name);
      const apiKey = apiKeys.get(config.name);
      if (entry && sameConnection(entry.config, config) && entry.apiKey === apiKey) {
        continue;
      }
      const wasLive = entry ? entry.connection.state !== 'disconnected' : false;
      this.addNode(config, apiKey);
      if (wasLive) {
        this.connect(config.name);
      }
      created.push(config.name);
    }
    // Keep the configured order.
    const ordered = [...this.nodes.entries()].sort(([a], [b]) => indexIn(configs, a) - indexIn(configs, b));
    this.nodes.clear();
    ordered.forEach(([name, entry]) => this.nodes.set(name, entry));
    return created;
  }

  /** Adds (or replaces) a node; it starts disconnected. */
  addNode(config: NodeConfig, apiKey?: string): NodeConnection {
    this.removeNode(config.name, false);
    const connection = new NodeConnection({
      ...this.options.connection,
      node: config,
      apiKey,
      schema: this.options.schema,
      clock: this.options.clock,
      random: this.options.random,
      onListenerError: this.onListenerError,
      readTurn: this.readTurn,
      holder: (message, node, receivedAt) => this.holdEncoded(message, node, receivedAt),
    });
    const name = config.name;
    const sentIds = new Set<string>();
    const entry: NodeEntry = {
      config,
      apiKey,
      connection,
      listeners: [],
      state: connection.state,
      downtime: new StreamDowntime(),
      sentIds,
      backfill: new GapBackfill({
        node: name,
        now: () => this.clock.now(),
        fetchStored: () => getJson(config, '/v1/message', { apiKey, maxResponseBytes: STORED_ANSWER_MAX_BYTES, schema: this.options.schema }),
        isHeld: (id) => this.held.find(id, name) !== undefined,
        capacity: () => this.held.store(name).capacity,
        sentIds,
        recover: (message) => {
          this.recovered.add(name, message.id);
          this.accept(message);
        },
        report: (report) => {
          this.recovered.prune(name, (id) => this.held.find(id, name) !== undefined);
          this.onDidRecoverMessagesEmitter.fire(report);
        },
      }),
    };
    entry.listeners = [
      connection.onDidReceiveMessage((message) => this.acceptFromStream(entry, message)),
      connection.onDidChangeStatus((status) => {
        this.followStatus(entry, status);
        this.onDidChangeStatusEmitter.fire({ node: name, status });
      }),
      connection.onDidRejectFrame((event) => this.onDidRejectFrameEmitter.fire({ node: name, event })),
      connection.onDidReceiveError((event) => this.onDidReceiveErrorEmitter.fire({ node: name, event })),
    ];
    this.nodes.set(name, entry);
    this.store(name);
    this.onDidChangeNodesEmitter.fire();
    return connection;
  }

  removeNode(name: string, notify = true): void {
    const entry = this.nodes.get(name);
    if (!entry) {
      return;
    }
    entry.connection.dispose();
    entry.backfill.dispose();
    entry.listeners.forEach((listener) => listener.dispose());
    this.nodes.delete(name);
    this.replyLatencies.delete(name);
    if (notify) {
      this.onDidChangeNodesEmitter.fire();
    }
  }

  /** Connects one node, or every node. */
  connect(name?: string): void {
    for (const entry of this.entries(name)) {
      entry.connection.connect();
    }
  }

  disconnect(name?: string): void {
    for (const entry of this.entries(name)) {
      entry.connection.disconnect();
    }
  }

  /** One node's state; without a name, the most alive state among all nodes. */
  connectionState(name?: string): ConnectionState {
    const states = new Set(this.entries(name).map((entry) => entry.connection.state));
    return STATE_PRIORITY.find((state) => states.has(state)) ?? 'disconnected';
  }

  /** The store of a node (made on first use, so restored messages of any node have a home). */
  store(name: string): MessageStore {
    return this.held.store(name);
  }

  /** Names with held messages or a configuration. */
  storeNames(): string[] {
    return this.held.names();
  }

  /** Held messages, oldest first: one node's, or every node's merged by arrival. */
  messages(name?: string): NodeMessage[] {
    return this.held.messages(name);
  }

  /** Finds a held message by ID, in one node or any. */
  find(id: string, node?: string): NodeMessage | undefined {
    return this.held.find(id, node);
  }

  /** Holds messages restored from storage: no message event (they are not new), one `onDidRestore`. */
  restore(messages: readonly NodeMessage[]): void {
    for (const message of messages) {
      this.held.hold(message);
    }
    if (messages.length > 0) {
      this.onDidRestoreEmitter.fire(messages.length);
    }
  }

  /** `messageBytes` summed over every node's held messages. */
  get bytes(): number {
    return this.held.bytes;
  }

  /** The budget of all nodes' held messages together (`TOTAL_BUDGET_IN_NODES` per-node budgets). */
  get totalByteBudget(): number {
    return this.held.totalByteBudget;
  }

  /** Changes the bounds of every store (the byte budget only when given); shrinking evicts the oldest, counted. */
  setBounds(maxMessages: number, maxBytes?: number): void {
    this.held.setBounds(maxMessages, maxBytes);
  }

  /** Whether a held message came back from its node's stored messages after a gap (by node and ID). */
  isRecovered(message: Pick<NodeMessage, 'node' | 'id'>): boolean {
    return this.recovered.has(message.node, message.id);
  }

  /** Stream copies of messages already recovered, dropped (each was held once, recovered). */
  get recoveredStreamCopies(): number {
    return this.streamCopies;
  }

  /** How long the node's stream was down in the last hour (what a v0.1.x node's peers sent then is lost). */
  streamDowntimeMs(node: string): number {
    return this.nodes.get(node)?.downtime.downMs(this.clock.now()) ?? 0;
  }

  clear(name?: string): void {
    this.held.clear(name);
    this.recovered.clear(name);
    this.onDidClearEmitter.fire(name);
  }

  /** Sends through a node's REST API (the first connected node when none is named). */
  sendMessage(request: SendMessageRequest & { readonly node?: string }): Promise<string> {
    const entry = request.node !== undefined ? this.nodes.get(request.node) : this.defaultEntry();
    if (!entry) {
      return Promise.reject(new Error(request.node !== undefined ? l10n.t('No node named "{0}"', request.node) : l10n.t('No node is configured')));
    }
    return sendMessage(entry.config, request, {
      apiKey: entry.apiKey,
      apiVersion: entry.connection.apiVersion ?? (entry.config.apiVersion === 'v1' ? 'v1' : undefined),
      schema: this.options.schema,
    }).then((id) => {
      rememberSent(entry.sentIds, id);
      return id;
    });
  }

  /** Sends, then watches the new ID with the moment the send returned, so its reply is timed from there. */
  async sendAndWatch(request: SendMessageRequest & { readonly node?: string }, options: WatchOptions = {}): Promise<Watch> {
    const id = await this.sendMessage(request);
    return this.watches.watch(id, { ...options, sentAt: this.clock.now() });
  }

  dispose(): void {
    for (const name of [...this.nodes.keys()]) {
      this.removeNode(name, false);
    }
    this.watches.dispose();
    this.onDidReceiveMessageEmitter.dispose();
    this.onDidChangeStatusEmitter.dispose();
    this.onDidRejectFrameEmitter.dispose();
    this.onDidReceiveErrorEmitter.dispose();
    this.onDidChangeNodesEmitter.dispose();
    this.onDidRestoreEmitter.dispose();
    this.onDidClearEmitter.dispose();
    this.onDidRecoverMessagesEmitter.dispose();
  }

  /**
   * A stream message. The copy of one already recovered from the node's stored messages (it came
   * on the stream too, after the reconnect) is the same message: it is not held twice.
   */
  private acceptFromStream(entry: NodeEntry, message: NodeMessage): void {
    entry.backfill.delivered(entry.connection.apiVersion, message.receivedAt);
    if (message === this.heldFromFrame) {
      this.heldFromFrame = undefined;
      this.afterHold(message);
      return;
    }
    if (this.recovered.has(message.node, message.id) && this.held.find(message.id, message.node) !== undefined) {
      this.streamCopies++;
      return;
    }
    this.accept(message);
  }

  /** Drops, reconnects and stops: the downtime a v0.1.x node's user is told of, and the gaps a v1 node's stored messages fill. */
  private followStatus(entry: NodeEntry, status: ConnectionStatus): void {
    const was = entry.state;
    entry.state = status.state;
    const now = this.clock.now();
    if (status.state === 'connected') {
      entry.downtime.up(now);
      if (was !== 'connected') {
        entry.backfill.connected(entry.connection.apiVersion, this.held.store(entry.config.name).newestReceivedAt());
      }
    } else if (status.state === 'disconnected') {
      entry.downtime.up(now);
    } else if (was === 'connected') {
      entry.downtime.down(now);
    }
  }

  private accept(message: NodeMessage): void {
    this.held.hold(message);
    this.afterHold(message);
  }

  /** What follows holding a message: its watches, then the event. */
  private afterHold(message: NodeMessage): void {
    this.recordLatency(message, this.watches.handle(message));
    this.onDidReceiveMessageEmitter.fire(message);
  }

  /**
   * A stream message the decoder's fast path read, held straight from the frame's bytes (see
   * `HeldMessages.holdEncoded`); the connection's event then brings it to `acceptFromStream` as
   * held. A node with recovered messages leaves it to the decoder, so each stream copy is checked
   * against them before it is held.
   */
  private holdEncoded(message: EncodedMessage, node: string, receivedAt: number): NodeMessage | undefined {
    if (this.recovered.size(node) > 0) {
      return undefined;
    }
    const held = this.held.holdEncoded(message, node, receivedAt);
    this.heldFromFrame = held;
    return held;
  }

  /**
   * One latency per reply, however many watches it answered: a send's watch (timed from the send)
   * over one made from an ID. Replies already held when watched are no latency of the node's.
   */
  private recordLatency(message: NodeMessage, answered: readonly Watch[]): void {
    if (answered.length === 0) {
      return;
    }
    // A query watch's wait (watching to a match) is no reply latency of the node's.
    const timed = answered.find((watch) => watch.sentAt !== undefined) ?? answered.find((watch) => watch.query === undefined);
    const ms = timed ? replyLatencyMs(timed) : undefined;
    if (ms !== undefined) {
      this.replyLatencies.record(message.node, ms);
    }
  }

  private entries(name?: string): NodeEntry[] {
    if (name === undefined) {
      return [...this.nodes.values()];
    }
    const entry = this.nodes.get(name);
    return entry ? [entry] : [];
  }

  private defaultEntry(): NodeEntry | undefined {
    const entries = [...this.nodes.values()];
    return entries.find((entry) => entry.connection.state === 'connected') ?? entries[0];
  }
}

function rememberSent(ids: Set<string>, id: string): void {
  ids.add(id);
  if (ids.size > SENT_IDS_KEPT) {
    for (const oldest of ids) {
      ids.delete(oldest);
      break;
    }
  }
}

function indexIn(configs: readonly NodeConfig[], name: string): number {
  return configs.findIndex((config) => config.name === name);
}
