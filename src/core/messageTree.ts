import type { MessageStore } from './messageStore';
import { previewData } from './messageText';
import type { NodeMessage } from './nodeMessage';
import { childrenOf, isOrphan } from './threads';

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

/** What the tree reads: the hub's nodes and stores. */
export interface MessageSource {
  nodeNames(): string[];
  storeNames(): string[];
  store(name: string): MessageStore;
}

export function isMessage(element: MessageTreeElement): element is NodeMessage {
  return !('kind' in element);
}

/**
 * The shape of the Messages view, kept apart from VS Code so it is tested in plain Node: roots
 * newest first, threads (replies in the order they came) at any depth, or groups by sender or
 * service type; a flat list of matches while a filter is set.
 */
export class MessageTreeModel {
  groupBy: GroupBy = 'thread';
  private filterText = '';
  private readonly nodeElements = new Map<string, NodeElement>();
  private readonly groupElements = new Map<string, GroupElement>();
  private readonly moreElements = new Map<string, MoreElement>();
  private readonly previews = new WeakMap<NodeMessage, string>();

  constructor(
    private readonly source: MessageSource,
    /** Roots shown per node; older ones are summed up in one item. */
    readonly maxRoots = 500,
  ) {}

  get filter(): string {
    return this.filterText;
  }

  set filter(text: string) {
    this.filterText = text.trim().toLowerCase();
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
      return this.filterText || this.groupBy !== 'thread' ? [] : this.replies(element);
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
      return !this.filterText && this.groupBy === 'thread' && this.replies(element).length > 0;
    }
    return element.kind !== 'more';
  }

  parent(element: MessageTreeElement): MessageTreeElement | undefined {
    const multiNode = this.nodes().length > 1;
    const nodeParent = (node: string) => (multiNode ? this.nodeElement(node) : undefined);
    if (!isMessage(element)) {
      return element.kind === 'node' ? undefined : nodeParent(element.node);
    }
    if (this.filterText) {
      return nodeParent(element.node);
    }
    if (this.groupBy === 'thread') {
      return this.source.store(element.node).parentOf(element) ?? nodeParent(element.node);
    }
    return this.groupElement(element.node, this.groupBy, groupKey(element, this.groupBy));
  }

  /** A reply whose parent is not held: shown as a root, marked. */
  isOrphan(message: NodeMessage): boolean {
    return isOrphan(this.source.store(message.node), message);
  }

  /** A stable ID, so selection and expansion survive refreshes. */
  id(element: MessageTreeElement): string | undefined {
    if (isMessage(element)) {
      // A repeated message ID keeps its ID only on the newest copy; the tree needs IDs unique.
      if (!element.id || this.source.store(element.node).get(element.id) !== element) {
        return undefined;
      }
      // VS Code remembers a leaf as collapsed: a message that gets its first reply takes a new ID,
      // so it opens expanded; after that the ID stays, and so does what the user expanded.
      return `m/${element.node}/${element.id}${this.hasChildren(element) ? '' : '/leaf'}`;
    }
    switch (element.kind) {
      case 'node':
        return `n/${element.node}`;
      case 'group':
        return `g/${element.node}/${element.groupBy}/${element.key}`;
      case 'more':
        return `more/${element.node}`;
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

  matches(message: NodeMessage): boolean {
    const filter = this.filterText;
    return (
      !filter ||
      message.id.toLowerCase().includes(filter) ||
      message.replyToId.toLowerCase().includes(filter) ||
      message.fromPubkey.toLowerCase().includes(filter) ||
      message.serviceType.toLowerCase().includes(filter) ||
      this.preview(message).toLowerCase().includes(filter)
    );
  }

  /** How many held messages match the filter (all when none is set). */
  countMatches(): { matching: number; total: number } {
    let matching = 0;
    let total = 0;
    for (const node of this.nodes()) {
      for (const message of this.source.store(node).toArray()) {
        total++;
        if (this.matches(message)) {
          matching++;
        }
      }
    }
    return { matching, total };
  }

  private nodeChildren(node: string): MessageTreeElement[] {
    if (this.filterText) {
      return this.newestFirst(node, (message) => this.matches(message));
    }
    if (this.groupBy === 'thread') {
      const store = this.source.store(node);
      return this.newestFirst(node, (message) => !store.parentOf(message));
    }
    return this.groups(node, this.groupBy);
  }

  private replies(message: NodeMessage): NodeMessage[] {
    return childrenOf(this.source.store(message.node), message);
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
    const messages = this.source.store(node).toArray();
    const result: MessageTreeElement[] = [];
    let hidden = 0;
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i] as NodeMessage;
      if (!include(message)) {
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
