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

/**
 * A held message as an item: its node and arrival number (`MessageStore.firstSequence`), which stay
 * its own while it is held. The tree holds no message object: the item's text is made from a
 * message built when it is drawn, and the caches are keyed by the arrival number.
 */
export interface MessageElement {
  readonly kind: 'message';
  readonly node: string;
  readonly sequence: number;
}

/** Stands for the messages past the display limit. */
export interface MoreElement {
  readonly kind: 'more';
  readonly node: string;
  hidden: number;
}

export type MessageTreeElement = MessageElement | NodeElement | GroupElement | MoreElement;

/** What the tree reads: the pipeline's nodes and stores. */
export interface MessageSource {
  nodeNames(): string[];
  storeNames(): string[];
  store(name: string): MessageStore;
  /** Whether a held message came back from its node's stored messages after a gap (none when absent). */
  isRecovered?(message: NodeMessage): boolean;
}

export function isMessage(element: MessageTreeElement): element is MessageElement {
  return element.kind === 'message';
}

/** Whether a value (a command's argument) is a message item of the tree. */
export function isMessageElement(value: unknown): value is MessageElement {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const element = value as Partial<MessageElement>;
  return element.kind === 'message' && typeof element.node === 'string' && typeof element.sequence === 'number';
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
 * Previews kept per node, of the items drawn last: past this many the cache starts again (a
 * redraw draws at most `maxRoots` roots and what is expanded under them, usually far fewer).
 */
export const CACHED_PREVIEWS = 2048;

/** With many nodes, each still shows this many of its newest roots. */
const MIN_ROOTS_PER_NODE = 20;

/** What the model keeps of one node's store, by arrival number: no message object. */
interface NodeCache {
  readonly store: MessageStore;
  /** The threads, and the store's version they were built at. */
  shape: ThreadShape | undefined;
  version: number;
  /** The node's name as item IDs spell it (`encodeId`). */
  readonly encodedNode: string;
  /** Data previews (`CACHED_PREVIEWS`). */
  readonly previews: Map<number, string>;
  /**
   * Whether each message checked matches the filter's query, so a redraw under a filter builds
   * and reads only what arrived since; emptied when the query changes, and unused for a query
   * that reads the clock.
   */
  readonly matches: Map<number, boolean>;
}

/**
 * The shape of the Messages view, kept apart from VS Code so it is tested in plain Node: roots
 * newest first, threads (replies in the order they came; loops broken and deep chains flattened
 * by `ThreadShape`), or groups by sender or service type; a flat list of matches while a filter
 * is set. Every walk it does is bounded by the number of held messages, whatever the peers sent.
 *
 * Its message items are `MessageElement`s, so neither the tree nor VS Code keeps a held message's
 * object once its item is drawn; `message` builds one, `element` finds the item of one.
 */
export class MessageTreeModel {
  groupBy: GroupBy = 'thread';
  private query: MessageQuery = EMPTY_QUERY;
  /** Received in [from, to) only: the Timeline's brushed range. */
  timeRange: { readonly from: number; readonly to: number } | undefined;
  private readonly nodeElements = new Map<string, NodeElement>();
  private readonly groupElements = new Map<string, GroupElement>();
  private readonly moreElements = new Map<string, MoreElement>();
  private readonly caches = new Map<string, NodeCache>();

  constructor(
    private readonly source: MessageSource,
    /**
     * Roots shown in all, shared by the nodes shown (at least `MIN_ROOTS_PER_NODE` each); older
     * ones are summed up in one item per node. VS Code asks for the item of every root of an
     * expanded node at each redraw, visible or not: 200 keep a redraw in a burst to a few ms.
     */
    readonly maxRoots = 200,
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
    for (const cache of this.caches.values()) {
      cache.matches.clear();
    }
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
    switch (element.kind) {
      case 'message':
        return this.filtering || this.groupBy !== 'thread' ? [] : this.replies(element);
      case 'node':
        return this.nodeChildren(element.node);
      case 'group': {
        const store = this.source.store(element.node);
        const field = groupField(element.groupBy);
        return this.newestHeld(element.node, (sequence) => store.fieldOf(sequence, field) === element.key);
      }
      case 'more':
        return [];
    }
  }

  hasChildren(element: MessageTreeElement): boolean {
    if (isMessage(element)) {
      return !this.filtering && this.groupBy === 'thread' && this.shape(element.node).hasChildren(element.sequence);
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
      const parent = this.shape(element.node).parentOf(element.sequence);
      return parent === undefined ? nodeParent(element.node) : messageElement(element.node, parent);
    }
    const key = this.source.store(element.node).fieldOf(element.sequence, groupField(this.groupBy));
    return key === undefined ? nodeParent(element.node) : this.groupElement(element.node, this.groupBy, key);
  }

  /** The held message an item stands for, built anew (or the newest's own object); `undefined` once it is gone. */
  message(element: MessageElement): NodeMessage | undefined {
    return this.source.store(element.node).at(element.sequence);
  }

  /** The item of a held message given as an object (see `MessageStore.sequenceOf`); `undefined` when it is not held. */
  element(message: NodeMessage): MessageElement | undefined {
    const sequence = this.source.store(message.node).sequenceOf(message);
    return sequence < 0 ? undefined : messageElement(message.node, sequence);
  }

  /** The root of the thread `element` is shown in (its loop's oldest message for a loop). */
  threadRoot(element: MessageElement): MessageElement {
    return messageElement(element.node, this.shape(element.node).rootOf(element.sequence));
  }

  /** A reply whose parent is not held: shown as a root, marked. */
  isOrphan(element: MessageElement): boolean {
    return this.shape(element.node).isOrphan(element.sequence);
  }

  /**
   * What the item says about the message's place in its thread (marks only apply to the thread
   * view); `message` is the item's message when the caller has built it already.
   */
  marks(element: MessageElement, message: NodeMessage | undefined = this.message(element)): ThreadMarks {
    const shape = this.shape(element.node);
    const { sequence } = element;
    const threaded = this.groupBy === 'thread' && !this.filtering;
    return {
      loop: threaded && shape.isLoop(sequence),
      orphan: threaded && shape.isOrphan(sequence),
      flatDepth: threaded && shape.isFlattened(sequence) ? shape.depthOf(sequence) : 0,
      duplicate: shape.isDuplicate(sequence),
      recovered: message !== undefined && (this.source.isRecovered?.(message) ?? false),
    };
  }

  /**
   * A stable ID, unique in the tree, so selection and expansion survive refreshes, and the same
   * for a message whatever object it was drawn from. Names and IDs are encoded (`encodeId`), so no
   * ID can contain the separator. The copy of a message ID that lookups find (the newest) is
   * `m/<node>/<id>`; an older copy of a repeated ID, or a message without one, adds its arrival
   * number. `message` is the item's message when the caller has built it already.
   */
  id(element: MessageTreeElement, message?: NodeMessage): string {
    if (isMessage(element)) {
      const { node, sequence } = element;
      const cache = this.cache(node);
      const held = message ?? cache.store.at(sequence);
      if (!held) {
        // Gone since it was listed; the redraw its eviction asked for drops the item.
        return `gone/${cache.encodedNode}/${sequence}`;
      }
      let id = `m/${cache.encodedNode}/${encodeId(held.id)}`;
      if (!this.shape(node).isFoundById(sequence)) {
        id += `/${sequence}`;
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

  /** The data preview of an item's message, worked out once while it is drawn (`CACHED_PREVIEWS`). */
  preview(element: MessageElement, message: NodeMessage): string {
    const cache = this.cache(element.node);
    let preview = cache.previews.get(element.sequence);
    if (preview === undefined) {
      preview = previewData(message);
      remember(cache.previews, element.sequence, preview);
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
      const cache = this.cache(node);
      const first = cache.store.firstSequence;
      const size = cache.store.size;
      total += size;
      for (let sequence = first; sequence < first + size; sequence++) {
        matching += this.passes(cache, sequence, now) ? 1 : 0;
      }
    }
    return { matching, total };
  }

  private nodeChildren(node: string): MessageTreeElement[] {
    if (this.filtering) {
      const now = Date.now();
      const cache = this.cache(node);
      return this.newestHeld(node, (sequence) => this.passes(cache, sequence, now));
    }
    if (this.groupBy === 'thread') {
      const roots = this.shape(node).roots;
      return this.newestOf(node, roots.length, (index) => roots[index] as number);
    }
    return this.groups(node, this.groupBy);
  }

  private replies(element: MessageElement): MessageElement[] {
    return this.shape(element.node)
      .childrenOf(element.sequence)
      .map((sequence) => messageElement(element.node, sequence));
  }

  /**
   * Whether the held message `sequence` of `node` matches the filter's query, the time range
   * aside (what the Timeline counts). Only a message whose match is not known yet is built; what
   * it gave is kept while the query stays (unless the query reads the clock, whose answers change
   * as time passes).
   */
  matchesQuery(node: string, sequence: number, now: number): boolean {
    return this.queryPasses(this.cache(node), sequence, now);
  }

  /** Whether the held message `sequence` is in the time range and matches the query. */
  private passes(cache: NodeCache, sequence: number, now: number): boolean {
    const range = this.timeRange;
    if (range) {
      const receivedAt = cache.store.receivedAtOf(sequence);
      if (receivedAt === undefined || !(receivedAt >= range.from && receivedAt < range.to)) {
        return false;
      }
    }
    return this.queryPasses(cache, sequence, now);
  }

  private queryPasses(cache: NodeCache, sequence: number, now: number): boolean {
    const query = this.query;
    if (query.empty) {
      return true;
    }
    const known = query.readsClock ? undefined : cache.matches.get(sequence);
    if (known !== undefined) {
      return known;
    }
    const message = cache.store.at(sequence);
    const matched = message !== undefined && query.matches(message, now);
    if (!query.readsClock) {
      cache.matches.set(sequence, matched);
    }
    return matched;
  }

  /** The node's threads, rebuilt only when its store changed. */
  private shape(node: string): ThreadShape {
    const cache = this.cache(node);
    const version = cache.store.threads.version;
    if (!cache.shape || cache.version !== version) {
      cache.shape = new ThreadShape(cache.store);
      cache.version = version;
      forgetGone(cache.matches, cache.store);
    }
    return cache.shape;
  }

  /** What the model keeps of a node's store: made anew when the node has a new store. */
  private cache(node: string): NodeCache {
    const store = this.source.store(node);
    let cache = this.caches.get(node);
    if (!cache || cache.store !== store) {
      cache = { store, shape: undefined, version: -1, encodedNode: encodeId(node), previews: new Map(), matches: new Map() };
      this.caches.set(node, cache);
    }
    return cache;
  }

  private groups(node: string, groupBy: Exclude<GroupBy, 'thread'>): GroupElement[] {
    const counts = new Map<string, number>();
    const store = this.source.store(node);
    const field = groupField(groupBy);
    // Newest first: a group's place is its newest message.
    for (let sequence = store.firstSequence + store.size - 1; sequence >= store.firstSequence; sequence--) {
      const key = store.fieldOf(sequence, field) as string;
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

  /** The node's held messages that `include` accepts, newest first, up to `maxRoots`. */
  private newestHeld(node: string, include: (sequence: number) => boolean): MessageTreeElement[] {
    const store = this.source.store(node);
    const first = store.firstSequence;
    return this.newestOf(node, store.size, (index) => first + index, include);
  }

  /**
   * The `count` messages `sequenceAt` names (oldest first) newest first, up to `maxRoots`; the
   * rest summed up in one item.
   */
  private newestOf(node: string, count: number, sequenceAt: (index: number) => number, include?: (sequence: number) => boolean): MessageTreeElement[] {
    const result: MessageTreeElement[] = [];
    const shown = this.rootsPerNode();
    let hidden = 0;
    for (let i = count - 1; i >= 0; i--) {
      const sequence = sequenceAt(i);
      if (include && !include(sequence)) {
        continue;
      }
      if (result.length < shown) {
        result.push(messageElement(node, sequence));
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

  /** `maxRoots` shared by the nodes shown. */
  private rootsPerNode(): number {
    const nodes = this.nodes().length;
    return nodes <= 1 ? this.maxRoots : Math.max(Math.min(MIN_ROOTS_PER_NODE, this.maxRoots), Math.floor(this.maxRoots / nodes));
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

function messageElement(node: string, sequence: number): MessageElement {
  return { kind: 'message', node, sequence };
}

function groupField(groupBy: Exclude<GroupBy, 'thread'>): 'sender' | 'serviceType' {
  return groupBy === 'sender' ? 'sender' : 'serviceType';
}

/**
 * Keeps `value` for `sequence`; a full cache starts again, which costs less than letting one
 * entry go at each new one (a level of 10,000 replies does not fit anyway).
 */
function remember(cache: Map<number, string>, sequence: number, value: string): void {
  if (cache.size >= CACHED_PREVIEWS) {
    cache.clear();
  }
  cache.set(sequence, value);
}

/** Drops what is known of messages no longer held, once the entries outnumber those held twice over. */
function forgetGone(cache: Map<number, unknown>, store: MessageStore): void {
  if (cache.size <= 2 * store.size + CACHED_PREVIEWS) {
    return;
  }
  const first = store.firstSequence;
  for (const sequence of cache.keys()) {
    if (sequence < first) {
      cache.delete(sequence);
    }
  }
}
