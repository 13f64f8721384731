import type { NodeMessage } from '../nodeMessage';
import type { EncodedMessage } from './encodedMessage';
import { MessageStore } from './messageStore';

/**
 * The budget of every node's held messages together, in per-node budgets: a window with many
 * nodes holds at most this many nodes' worth (128 MiB at the default 32), the oldest going first
 * wherever they are.
 */
export const TOTAL_BUDGET_IN_NODES = 4;

/**
 * Every node's held messages: a `MessageStore` per node, bounded in count and bytes, and the byte
 * budget across them. Holding a message costs two subtractions and a comparison on top of its
 * store's own bounds; only a message past the total looks across the stores.
 */
export class HeldMessages {
  private readonly stores = new Map<string, MessageStore>();
  /** `messageBytes` summed over every store. */
  private heldBytes = 0;

  constructor(
    private maxMessages: number,
    private maxBytes: number,
  ) {}

  /** `messageBytes` summed over every node's held messages. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** The budget of all nodes' held messages together (`TOTAL_BUDGET_IN_NODES` per-node budgets). */
  get totalByteBudget(): number {
    return this.maxBytes * TOTAL_BUDGET_IN_NODES;
  }

  /** The store of a node (made on first use, so restored messages of any node have a home). */
  store(name: string): MessageStore {
    let store = this.stores.get(name);
    if (!store) {
      store = new MessageStore(this.maxMessages, this.maxBytes);
      this.stores.set(name, store);
    }
    return store;
  }

  /** Names with held messages or a configuration. */
  names(): string[] {
    return [...this.stores.keys()];
  }

  /** Held messages, oldest first: one node's, or every node's merged by arrival. */
  messages(name?: string): NodeMessage[] {
    if (name !== undefined) {
      return this.stores.get(name)?.toArray() ?? [];
    }
    const all = [...this.stores.values()].flatMap((store) => store.toArray());
    return this.stores.size > 1 ? all.sort((a, b) => a.receivedAt - b.receivedAt) : all;
  }

  /** Finds a held message by ID, in one node or any. */
  find(id: string, node?: string): NodeMessage | undefined {
    if (node !== undefined) {
      return this.stores.get(node)?.get(id);
    }
    for (const store of this.stores.values()) {
      const message = store.get(id);
      if (message) {
        return message;
      }
    }
    return undefined;
  }

  /** The first held reply to `messageId`, in one node or any. */
  firstReplyTo(messageId: string, node: string | undefined): NodeMessage | undefined {
    const stores = node !== undefined ? [this.stores.get(node)] : [...this.stores.values()];
    for (const store of stores) {
      const reply = store?.repliesTo(messageId)[0];
      if (reply) {
        return reply;
      }
    }
    return undefined;
  }

  hold(message: NodeMessage): void {
    const store = this.store(message.node);
    const before = store.bytes;
    store.append(message);
    this.counted(store, before);
  }

  /** `hold` of a message still in its frame's bytes (`MessageStore.appendEncoded`): the message held, or `undefined` when its data is not valid. */
  holdEncoded(message: EncodedMessage, node: string, receivedAt: number): NodeMessage | undefined {
    const store = this.store(node);
    const before = store.bytes;
    const held = store.appendEncoded(message, node, receivedAt);
    this.counted(store, before);
    return held;
  }

  /** Counts what a store's bytes changed by since `before`, and keeps every store within the total. */
  private counted(store: MessageStore, before: number): void {
    this.heldBytes += store.bytes - before;
    if (this.heldBytes > this.maxBytes * TOTAL_BUDGET_IN_NODES) {
      this.keepWithinTotal();
    }
  }

  /** Changes the bounds of every store (the byte budget only when given); shrinking evicts the oldest, counted. */
  setBounds(maxMessages: number, maxBytes: number = this.maxBytes): void {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    for (const store of this.stores.values()) {
      store.resize(maxMessages, maxBytes);
    }
    this.heldBytes = this.sumBytes();
    this.keepWithinTotal();
  }

  /** Forgets one node's held messages, or every node's. */
  clear(name?: string): void {
    for (const [storeName, store] of this.stores) {
      if (name === undefined || storeName === name) {
        store.clear();
      }
    }
    this.heldBytes = this.sumBytes();
  }

  /** Evicts the oldest message across all nodes until the total fits (the newest one always stays). */
  private keepWithinTotal(): void {
    const total = this.maxBytes * TOTAL_BUDGET_IN_NODES;
    while (this.heldBytes > total) {
      let oldest: MessageStore | undefined;
      let oldestAt = 0;
      let held = 0;
      for (const store of this.stores.values()) {
        held += store.size;
        const receivedAt = store.oldestReceivedAt();
        if (receivedAt !== undefined && (!oldest || receivedAt < oldestAt)) {
          oldest = store;
          oldestAt = receivedAt;
        }
      }
      if (!oldest || held <= 1) {
        return;
      }
      const before = oldest.bytes;
      oldest.dropOldest();
      this.heldBytes += oldest.bytes - before;
    }
  }

  private sumBytes(): number {
    let bytes = 0;
    for (const store of this.stores.values()) {
      bytes += store.bytes;
    }
    return bytes;
  }
}
