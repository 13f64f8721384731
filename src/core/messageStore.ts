import type { NodeMessage } from './nodeMessage';
import { parentOf, rootOf, ThreadIndex } from './threads';

/**
 * The messages held for one node: a ring buffer bounded by `maxMessages`, with lookup by ID and a
 * thread index (`ThreadIndex`: the replies of each message). Appending and evicting are constant time.
 */
export class MessageStore {
  private ring: (NodeMessage | undefined)[];
  private head = 0;
  private length = 0;
  private readonly byId = new Map<string, NodeMessage>();
  /** The thread index; the Messages view reads its version and arrival numbers. */
  readonly threads = new ThreadIndex();
  private evictedCount = 0;

  constructor(private maxMessages: number) {
    this.maxMessages = checkCapacity(maxMessages);
    this.ring = new Array<NodeMessage | undefined>(this.maxMessages);
  }

  get size(): number {
    return this.length;
  }

  get capacity(): number {
    return this.maxMessages;
  }

  /** Messages dropped to keep within the bound since the store was made (or cleared). */
  get evicted(): number {
    return this.evictedCount;
  }

  /** Holds a message; returns the oldest one if it had to go to make room. */
  append(message: NodeMessage): NodeMessage | undefined {
    let evicted: NodeMessage | undefined;
    if (this.length === this.maxMessages) {
      evicted = this.ring[this.head];
      this.forget(evicted);
      this.evictedCount++;
      this.head = this.wrap(this.head + 1);
      this.length--;
    }
    this.ring[this.wrap(this.head + this.length)] = message;
    this.length++;
    if (message.id) {
      this.byId.set(message.id, message);
    }
    this.threads.add(message);
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
    this.byId.clear();
    this.threads.clear();
    this.evictedCount = 0;
  }

  /** Changes the bound; shrinking evicts the oldest messages (counted) and returns them. */
  resize(maxMessages: number): NodeMessage[] {
    const capacity = checkCapacity(maxMessages);
    const held = this.toArray();
    const dropped = held.splice(0, Math.max(0, held.length - capacity));
    for (const message of dropped) {
      this.forget(message);
    }
    this.evictedCount += dropped.length;
    this.maxMessages = capacity;
    this.ring = new Array<NodeMessage | undefined>(capacity);
    held.forEach((message, index) => (this.ring[index] = message));
    this.head = 0;
    this.length = held.length;
    return dropped;
  }

  /** `index % maxMessages` for an index below twice the bound, without a division per message. */
  private wrap(index: number): number {
    return index >= this.maxMessages ? index - this.maxMessages : index;
  }

  private forget(message: NodeMessage | undefined): void {
    if (!message) {
      return;
    }
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
