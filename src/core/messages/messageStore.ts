import type { NodeMessage } from '../nodeMessage';
import { parentOf, rootOf, ThreadIndex } from './threads';

/**
 * What a held message costs, in bytes, for the byte budget: its data, plus its strings at two bytes
 * per UTF-16 code unit (how V8 holds a string that is not pure Latin-1; an estimate on the safe
 * side). The node name is shared by every message of a node and not counted; neither is the fixed
 * overhead of the object and its map entries (a few hundred bytes at most, bounded by `maxMessages`).
 */
export function messageBytes(message: NodeMessage): number {
  return message.data.byteLength + 2 * (message.id.length + message.replyToId.length + message.fromPubkey.length + message.serviceType.length);
}

/**
 * The messages held for one node: a ring buffer bounded by `maxMessages` and by a byte budget
 * (`messageBytes`), with lookup by ID and a thread index (`ThreadIndex`: the replies of each message).
 * The oldest go first when either bound is reached; the newest message is always held, however
 * large. Appending and evicting are constant time (amortised over what a large message evicts).
 */
export class MessageStore {
  private ring: (NodeMessage | undefined)[];
  private head = 0;
  private length = 0;
  private heldBytes = 0;
  private readonly byId = new Map<string, NodeMessage>();
  /** The thread index; the Messages view reads its version and arrival numbers. */
  readonly threads = new ThreadIndex();
  private evictedCount = 0;
  private maxBytes: number;

  constructor(
    private maxMessages: number,
    maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.maxMessages = checkCapacity(maxMessages);
    this.maxBytes = checkBytes(maxBytes);
    this.ring = new Array<NodeMessage | undefined>(this.maxMessages);
  }

  get size(): number {
    return this.length;
  }

  get capacity(): number {
    return this.maxMessages;
  }

  /** The byte budget (`messageBytes` summed over the held messages stays at or under it). */
  get byteBudget(): number {
    return this.maxBytes;
  }

  /** `messageBytes` summed over the held messages. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Messages dropped to keep within the bounds since the store was made (or cleared). */
  get evicted(): number {
    return this.evictedCount;
  }

  /** Holds a message, first evicting the oldest until both bounds leave room; returns how many went. */
  append(message: NodeMessage): number {
    const size = messageBytes(message);
    let evicted = 0;
    while (this.length > 0 && (this.length >= this.maxMessages || this.heldBytes + size > this.maxBytes)) {
      this.evictOldest();
      evicted++;
    }
    this.ring[this.wrap(this.head + this.length)] = message;
    this.length++;
    this.heldBytes += size;
    if (message.id) {
      this.byId.set(message.id, message);
    }
    this.threads.add(message);
    return evicted;
  }

  /** The oldest held message, if any. */
  oldest(): NodeMessage | undefined {
    return this.length > 0 ? this.ring[this.head] : undefined;
  }

  /** The newest held message, if any. */
  newest(): NodeMessage | undefined {
    return this.length > 0 ? this.ring[this.wrap(this.head + this.length - 1)] : undefined;
  }

  /** Drops the oldest message (counted as evicted) and returns it; used by the budget across nodes. */
  evictOldest(): NodeMessage | undefined {
    if (this.length === 0) {
      return undefined;
    }
    const evicted = this.ring[this.head] as NodeMessage;
    this.ring[this.head] = undefined;
    this.forget(evicted);
    this.heldBytes -= messageBytes(evicted);
    this.evictedCount++;
    this.head = this.wrap(this.head + 1);
    this.length--;
    return evicted;
  }

  get(id: string): NodeMessage | undefined {
    return this.byId.get(id);
  }

  /** Held replies to `id`, oldest first. */
  repliesTo(id: string): readonly NodeMessage[] {
    return this.threads.repliesTo(id);
  }

  /** The held message `message` replies to, if any. */
  parentOf(message: NodeMessage): NodeMessage | undefined {
    return parentOf(this, message);
  }

  /** The oldest held ancestor of `message` (see `rootOf`). */
  rootOf(message: NodeMessage): NodeMessage {
    return rootOf(this, message);
  }

  /** Held messages, oldest first. */
  toArray(): NodeMessage[] {
    const result = new Array<NodeMessage>(this.length);
    for (let i = 0; i < this.length; i++) {
      result[i] = this.ring[(this.head + i) % this.maxMessages] as NodeMessage;
    }
    return result;
  }

  clear(): void {
    this.ring = new Array<NodeMessage | undefined>(this.maxMessages);
    this.head = 0;
    this.length = 0;
    this.heldBytes = 0;
    this.byId.clear();
    this.threads.clear();
    this.evictedCount = 0;
  }

  /**
   * Changes the bounds (the byte budget only when given); shrinking evicts the oldest messages
   * (counted) and returns them.
   */
  resize(maxMessages: number, maxBytes: number = this.maxBytes): NodeMessage[] {
    const dropped: NodeMessage[] = [];
    this.maxBytes = checkBytes(maxBytes);
    const capacity = checkCapacity(maxMessages);
    while (this.length > capacity || (this.length > 1 && this.heldBytes > this.maxBytes)) {
      dropped.push(this.evictOldest() as NodeMessage);
    }
    const held = this.toArray();
    this.maxMessages = capacity;
    this.ring = new Array<NodeMessage | undefined>(capacity);
    held.forEach((message, index) => (this.ring[index] = message));
    this.head = 0;
    return dropped;
  }

  /** `index % maxMessages` for an index below twice the bound, without a division per message. */
  private wrap(index: number): number {
    return index >= this.maxMessages ? index - this.maxMessages : index;
  }

  private forget(message: NodeMessage): void {
    // A repeated ID maps to its newest message; only drop the mapping if it is this one.
    if (this.byId.get(message.id) === message) {
      this.byId.delete(message.id);
    }
    this.threads.remove(message);
  }
}

function checkCapacity(maxMessages: number): number {
  if (!Number.isFinite(maxMessages) || maxMessages < 1) {
    return 1;
  }
  return Math.floor(maxMessages);
}

function checkBytes(maxBytes: number): number {
  return Number.isNaN(maxBytes) || maxBytes < 1 ? 1 : maxBytes;
}
