// The pipeline's one face: nodes, held messages (messages/heldMessages.ts), watches, sends and
// events. Each part is a few lines that delegate to its own file.
import * as l10n from '@vscode/l10n';
import type { Random } from './connection/backoff';
import { systemClock, type Clock } from './base/clock';
import { Emitter, rethrowListenerError, type Disposable, type ListenerErrorHandler } from './base/emitter';
import { HeldMessages } from './messages/heldMessages';
import type { MessageStore } from './messages/messageStore';
import { sameConnection, type NodeConfig } from './connection/nodeConfig';
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
import { sendMessage, type SendMessageRequest } from './sending/restClient';
import { WatchRegistry, type Watch, type WatchOptions } from './watches/watches';
import type { WireTypes } from './wire/wireTypes';

export { TOTAL_BUDGET_IN_NODES } from './messages/heldMessages';

export interface NodeStatusEvent {
  readonly node: string;
  readonly status: ConnectionStatus;
}

export interface NodeFrameEvent<T> {
  readonly node: string;
  readonly event: T;
}

/** Connection settings every node shares (timeouts, backoff, test hooks). */
export type ConnectionDefaults = Omit<NodeConnectionOptions, 'node' | 'apiKey' | 'types' | 'clock' | 'random' | 'onListenerError'>;

export interface NodeSubscriptionsOptions {
  readonly maxMessages: number;
  /** The byte budget of one node's held messages (`messageBytes`); none when absent. */
  readonly maxBytes?: number;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly types?: WireTypes;
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
  readonly onDidReceiveMessage = this.onDidReceiveMessageEmitter.event;
  readonly onDidChangeStatus = this.onDidChangeStatusEmitter.event;
  readonly onDidRejectFrame = this.onDidRejectFrameEmitter.event;
  readonly onDidReceiveError = this.onDidReceiveErrorEmitter.event;
  /** Nodes were added or removed. */
  readonly onDidChangeNodes = this.onDidChangeNodesEmitter.event;
  /** Held messages were cleared (for one node, or all when `undefined`). */
  readonly onDidClear = this.onDidClearEmitter.event;

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
      types: this.options.types,
      clock: this.options.clock,
      random: this.options.random,
      onListenerError: this.onListenerError,
    });
    const name = config.name;
    const listeners = [
      connection.onDidReceiveMessage((message) => this.accept(message)),
      connection.onDidChangeStatus((status) => this.onDidChangeStatusEmitter.fire({ node: name, status })),
      connection.onDidRejectFrame((event) => this.onDidRejectFrameEmitter.fire({ node: name, event })),
      connection.onDidReceiveError((event) => this.onDidReceiveErrorEmitter.fire({ node: name, event })),
    ];
    this.nodes.set(name, { config, apiKey, connection, listeners });
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

  /** Holds messages restored from storage, without events. */
  restore(messages: readonly NodeMessage[]): void {
    for (const message of messages) {
      this.hold(message);
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

  clear(name?: string): void {
    this.held.clear(name);
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
      types: this.options.types,
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
    this.onDidClearEmitter.dispose();
  }

  private accept(message: NodeMessage): void {
    this.hold(message);
    this.recordLatency(message, this.watches.handle(message));
    this.onDidReceiveMessageEmitter.fire(message);
  }

  private hold(message: NodeMessage): void {
    this.held.hold(message);
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

function indexIn(configs: readonly NodeConfig[], name: string): number {
  return configs.findIndex((config) => config.name === name);
}
