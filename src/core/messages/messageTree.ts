import { encodeId } from '../ids/idEncoding';
import type { MessageStore } from './messageStore';
import { previewData } from '../text/messageText';
import type { NodeMessage } from '../nodeMessage';
import { ThreadShape } from './threadShape';
import { parseQuery, type MessageQuery, type QueryError } from '../query/query';

const EMPTY_QUERY = (parseQuery('') as { readonly query: MessageQuery }).query;

export type GroupBy = 'thread' | 'sender' | 'serviceType';

export interface NodeElement {
  readonly kind: 'node';
  readonly node: string;
}

export interface GroupElement {
  readonly kind: 'group';
  readonly node: string;
  readonly groupBy: Exclude<GroupBy, 'thread'>;
  readonly key: string;
  count: number;
}

/** Stands for the messages past the display limit. */
export interface MoreElement {
  readonly kind: 'more';
  readonly node: string;
  hidden: number;
}

export type MessageTreeElement = NodeMessage | NodeElement | GroupElement | MoreElement;

/** What the tree reads: the pipeline's nodes and stores. */
export interface MessageSource {
  nodeNames(): string[];
  storeNames(): string[];
  store(name: string): MessageStore;
  /** Whether a held message came back from its node's stored messages after a gap (none when absent). */
  isRecovered?(message: NodeMessage): boolean;
}

export function isMessage(element: MessageTreeElement): element is NodeMessage {
  return !('kind' in element);
}

/** How a message's place in the tree differs from a plain reply under its parent. */
export interface ThreadMarks {
  /** The oldest message of a reply loop (or one that replies to itself), shown as a root. */
  readonly loop: boolean;
  /** A reply whose parent is not held, shown as a root. */
  readonly orphan: boolean;
  /** Its depth in the thread when that is past the nesting depth (it is shown flat); else 0. */
  readonly flatDepth: number;
  /** Another held message has the same ID. */
  readonly duplicate: boolean;
  /** It came back from the node's stored messages after a gap in the stream, not on the stream. */
  readonly recovered: boolean;
}

/**
 * The shape of the Messages view, kept apart from VS Code so it is tested in plain Node: roots
 * newest first, threads (replies in the order they came; loops broken and deep chains flattened
 * by `ThreadShape`), or groups by sender or service type; a flat list of matches while a filter
 * is set. Every walk it does is bounded by the number of held messages, whatever the peers sent.
 */
export class MessageTreeModel {
  groupBy: GroupBy = 'thread';
  private query: MessageQuery = EMPTY_QUERY;
  /** Received in [from, to) only: the Timeline's brushed range. */
  timeRange: { readonly from: number; readonly to: number } | undefined;
  private readonly nodeElements = new Map<string, NodeElement>();
  private readonly groupElements = new Map<string, GroupElement>();
  private readonly moreElements = new Map<string, MoreElement>();
  private readonly previews = new WeakMap<NodeMessage, string>();
  private readonly itemIds = new WeakMap<NodeMessage, string>();
  private readonly shapes = new Map<string, { store: MessageStore; version: number; shape: ThreadShape }>();

  constructor(
    private readonly source: MessageSource,
    /** Roots shown per node; older ones are summed up in one item. */
    readonly maxRoots = 500,
  ) {}

  /** The filter's query as written (`''` when none is set). */
  get filter(): string {
    return this.query.text;
  }

  /** The filter's compiled query (one that matches everything when none is set). */
  get filterQuery(): MessageQuery {
    return this.query;
  }

  /** Sets the filter to a query (docs/queries.md); a malformed one changes nothing and is returned. */
  setFilter(text: string): QueryError | undefined {
    const parsed = parseQuery(text);
    if (!parsed.ok) {
      return parsed.error;
    }
    this.query = parsed.query;
    return undefined;
  }

  /** A query or a time range is set: the view is a flat list of the matches. */
  get filtering(): boolean {
    return !this.query.empty || this.timeRange !== undefined;
  }

  /** The nodes shown: the configured ones, then any others that still hold messages. */
  nodes(): string[] {
    const names = this.source.nodeNames();
    for (const name of this.source.storeNames()) {
      if (!names.includes(name) && this.source.store(name).size > 0) {
        names.push(name);
      }
    }
    return names;
  }

  roots(): MessageTreeElement[] {
    const nodes = this.nodes();
    if (nodes.length === 1 && nodes[0] !== undefined) {
      return this.nodeChildren(nodes[0]);
    }
    return nodes.map((node) => this.nodeElement(node));
  }

  children(element?: MessageTreeElement): MessageTreeElement[] {
    if (!element) {
      return this.roots();
    }
    if (isMessage(element)) {
      return this.filtering || this.groupBy !== 'thread' ? [] : this.replies(element);
    }
    switch (element.kind) {
      case 'node':
        return this.nodeChildren(element.node);
      case 'group':
        return this.newestFirst(element.node, (message) => groupKey(message, element.groupBy) === element.key);
      case 'more':
        return [];
    }
  }

  hasChildren(element: MessageTreeElement): boolean {
    if (isMessage(element)) {
      return !this.filtering && this.groupBy === 'thread' && this.shape(element.node).hasChildren(element);
    }
    return element.kind !== 'more';
  }

  parent(element: MessageTreeElement): MessageTreeElement | undefined {
    const multiNode = this.nodes().length > 1;
    const nodeParent = (node: string) => (multiNode ? this.nodeElement(node) : undefined);
    if (!isMessage(element)) {
      return element.kind === 'node' ? undefined : nodeParent(element.node);
    }
    if (this.filtering) {
      return nodeParent(element.node);
    }
    if (this.groupBy === 'thread') {
      return this.shape(element.node).parentOf(element) ?? nodeParent(element.node);
    }
    return this.groupElement(element.node, this.groupBy, groupKey(element, this.groupBy));
  }

  /** The root of the thread `message` is shown in (its loop's oldest message for a loop). */
  threadRoot(message: NodeMessage): NodeMessage {
    return this.shape(message.node).rootOf(message);
  }

  /** A reply whose parent is not held: shown as a root, marked. */
  isOrphan(message: NodeMessage): boolean {
    return this.shape(message.node).isOrphan(message);
  }

  /** What the item says about the message's place in its thread (marks only apply to the thread view). */
  marks(message: NodeMessage): ThreadMarks {
    const shape = this.shape(message.node);
    const threaded = this.groupBy === 'thread' && !this.filtering;
    return {
      loop: threaded && shape.isLoop(message),
      orphan: threaded && shape.isOrphan(message),
      flatDepth: threaded && shape.isFlattened(message) ? shape.depthOf(message) : 0,
      duplicate: shape.isDuplicate(message),
      recovered: this.source.isRecovered?.(message) ?? false,
    };
  }

  /**
   * A stable ID, unique in the tree, so selection and expansion survive refreshes. Names and IDs
   * are encoded (`encodeId`), so no ID can contain the separator. The copy of a message ID that
   * lookups find (the newest) is `m/<node>/<id>`; an older copy of a repeated ID, or a message
   * without one, adds its arrival number.
   */
  id(element: MessageTreeElement): string {
    if (isMessage(element)) {
      let id = this.itemIds.get(element);
      if (id === undefined) {
        id = `m/${encodeId(element.node)}/${encodeId(element.id)}`;
        this.itemIds.set(element, id);
      }
      const store = this.source.store(element.node);
      if (!element.id || store.get(element.id) !== element) {
        id += `/${this.shape(element.node).sequenceOf(element)}`;
      }
      // VS Code remembers a leaf as collapsed: a message that gets its first reply takes a new ID,
      // so it opens expanded; after that the ID stays, and so does what the user expanded.
      return `${id}${this.hasChildren(element) ? '' : '/leaf'}`;
    }
    switch (element.kind) {
      case 'node':
        return `n/${encodeId(element.node)}`;
      case 'group':
        return `g/${encodeId(element.node)}/${element.groupBy}/${encodeId(element.key)}`;
      case 'more':
        return `more/${encodeId(element.node)}`;
    }
  }

  /** The data preview, computed once per message. */
  preview(message: NodeMessage): string {
    let preview = this.previews.get(message);
    if (preview === undefined) {
      preview = previewData(message);
      this.previews.set(message, preview);
    }
    return preview;
  }

  /** Whether `message` is in the time range and matches the query (relative times read `now`). */
  matches(message: NodeMessage, now: number = Date.now()): boolean {
    const range = this.timeRange;
    if (range && !(message.receivedAt >= range.from && message.receivedAt < range.to)) {
      return false;
    }
    return this.query.empty || this.query.matches(message, now);
  }

  /** How many held messages match the filter (all when none is set). */
  countMatches(): { matching: number; total: number } {
    let matching = 0;
    let total = 0;
    const now = Date.now();
    for (const node of this.nodes()) {
      for (const message of this.source.store(node).toArray()) {
        total++;
        if (this.matches(message, now)) {
          matching++;
        }
      }
    }
    return { matching, total };
  }

  private nodeChildren(node: string): MessageTreeElement[] {
    if (this.filtering) {
      const now = Date.now();
      return this.newestFirst(node, (message) => this.matches(message, now));
    }
    if (this.groupBy === 'thread') {
      return this.newestOf(node, this.shape(node).roots);
    }
    return this.groups(node, this.groupBy);
  }

  private replies(message: NodeMessage): NodeMessage[] {
    return this.shape(message.node).childrenOf(message);
  }

  /** The node's threads, rebuilt only when its store changed. */
  private shape(node: string): ThreadShape {
    const store = this.source.store(node);
    const cached = this.shapes.get(node);
    if (cached && cached.store === store && cached.version === store.threads.version) {
      return cached.shape;
    }
    const shape = new ThreadShape(store);
    this.shapes.set(node, { store, version: store.threads.version, shape });
    return shape;
  }

  private groups(node: string, groupBy: Exclude<GroupBy, 'thread'>): GroupElement[] {
    const counts = new Map<string, number>();
    const messages = this.source.store(node).toArray();
    // Newest first: a group's place is its newest message.
    for (let i = messages.length - 1; i >= 0; i--) {
      const key = groupKey(messages[i] as NodeMessage, groupBy);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // Groups follow the store: a sender or service type that no held message has any more goes.
    for (const [cacheKey, element] of this.groupElements) {
      if (element.node === node && (element.groupBy !== groupBy || !counts.has(element.key))) {
        this.groupElements.delete(cacheKey);
      }
    }
    return [...counts].map(([key, count]) => {
      const group = this.groupElement(node, groupBy, key);
      group.count = count;
      return group;
    });
  }

  private newestFirst(node: string, include: (message: NodeMessage) => boolean): MessageTreeElement[] {
    return this.newestOf(node, this.source.store(node).toArray(), include);
  }

  /** `messages` (oldest first) newest first, up to `maxRoots`; the rest summed up in one item. */
  private newestOf(node: string, messages: readonly NodeMessage[], include?: (message: NodeMessage) => boolean): MessageTreeElement[] {
    const result: MessageTreeElement[] = [];
    let hidden = 0;
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i] as NodeMessage;
      if (include && !include(message)) {
        continue;
      }
      if (result.length < this.maxRoots) {
        result.push(message);
      } else {
        hidden++;
      }
    }
    if (hidden > 0) {
      const more = this.moreElements.get(node) ?? { kind: 'more', node, hidden };
      more.hidden = hidden;
      this.moreElements.set(node, more);
      result.push(more);
    }
    return result;
  }

  private nodeElement(node: string): NodeElement {
    let element = this.nodeElements.get(node);
    if (!element) {
      element = { kind: 'node', node };
      this.nodeElements.set(node, element);
    }
    return element;
  }

  private groupElement(node: string, groupBy: Exclude<GroupBy, 'thread'>, key: string): GroupElement {
    const cacheKey = `${node}\u0000${groupBy}\u0000${key}`;
    let element = this.groupElements.get(cacheKey);
    if (!element) {
      element = { kind: 'group', node, groupBy, key, count: 0 };
      this.groupElements.set(cacheKey, element);
    }
    return element;
  }
}

function groupKey(message: NodeMessage, groupBy: Exclude<GroupBy, 'thread'>): string {
  return groupBy === 'sender' ? message.fromPubkey : message.serviceType;
}
