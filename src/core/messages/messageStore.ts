import type { NodeMessage } from '../nodeMessage';
import { MessageColumns } from './messageColumns';
import { hashKey, SlotTable } from './slotTable';
import { StringTable } from './stringTable';
import { parentOf, rootOf, ThreadIndex } from './threads';

/**
 * What a held message costs, in bytes, for the byte budget: its data, plus its strings at two bytes
 * per UTF-16 code unit (how V8 holds a string that is not pure Latin-1; an estimate on the safe
 * side). The node name is shared by every message of a node and not counted; neither is the fixed
 * overhead of the columns and indexes (a few dozen bytes a message at most, bounded by `maxMessages`).
 */
export function messageBytes(message: NodeMessage): number {
  return message.data.byteLength + 2 * (message.id.length + message.replyToId.length + message.fromPubkey.length + message.serviceType.length);
}

/** Slots made for a new store; they double as messages arrive, up to `maxMessages`. */
const FIRST_SLOTS = 64;

/**
 * The newest messages keep the object they arrived as for this many arrivals, so whoever got that
 * object from the event (a watch, a listener) finds the same one in the store while it is fresh.
 */
const RECENT_OBJECTS = 64;

/**
 * The messages held for one node: a ring buffer bounded by `maxMessages` and by a byte budget
 * (`messageBytes`), with lookup by ID and a thread index (`ThreadIndex`: the replies of each message).
 * The oldest go first when either bound is reached; the newest message is always held, however
 * large. Appending and evicting are constant time (amortised over what a large message evicts).
 *
 * The messages are held as data (`MessageColumns`), with the ID index a `SlotTable` keyed by the
 * ID's bytes. A `NodeMessage` is built when asked for, and kept while the message is held, so
 * every query returns the same object for the same message (the views key their caches by it).
 */
export class MessageStore {
  private readonly strings = new StringTable();
  private columns: MessageColumns;
  /** The slot of the newest message with each (non-empty) ID. */
  private byId: SlotTable;
  /** The thread index; the Messages view reads its version and arrival numbers. */
  readonly threads: ThreadIndex;
  /** Per slot: the object handed out for the message, or kept from its arrival (`RECENT_OBJECTS`). */
  private objects: (NodeMessage | undefined)[];
  /** Per slot: 1 when `objects` has been handed out, so it stays until the message goes. */
  private handedOut: Uint8Array;
  private heldBytes = 0;
  private evictedCount = 0;
  private maxBytes: number;

  constructor(
    private maxMessages: number,
    maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.maxMessages = checkCapacity(maxMessages);
    this.maxBytes = checkBytes(maxBytes);
    this.columns = new MessageColumns(Math.min(this.maxMessages, FIRST_SLOTS), this.strings);
    this.byId = new SlotTable(this.columns.capacity, this.columns.idKeys);
    this.threads = new ThreadIndex(this.columns);
    this.objects = new Array<NodeMessage | undefined>(this.columns.capacity);
    this.handedOut = new Uint8Array(this.columns.capacity);
  }

  get size(): number {
    return this.columns.length;
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
    while (this.columns.length > 0 && (this.columns.length >= this.maxMessages || this.heldBytes + size > this.maxBytes)) {
      this.dropOldest();
      evicted++;
    }
    if (this.columns.length === this.columns.capacity) {
      this.moveTo(Math.min(this.maxMessages, 2 * this.columns.capacity));
    }
    const columns = this.columns;
    const slot = columns.push(message);
    this.heldBytes += size;
    if (message.id) {
      this.byId.set(this.byId.placeOfSlotKey(slot), slot, slot);
    }
    this.threads.add(columns, slot);
    this.objects[slot] = message;
    if (columns.length > RECENT_OBJECTS) {
      const stale = columns.slotAt(columns.length - 1 - RECENT_OBJECTS);
      if (this.handedOut[stale] === 0) {
        this.objects[stale] = undefined;
      }
    }
    return evicted;
  }

  /** The oldest held message, if any. */
  oldest(): NodeMessage | undefined {
    return this.columns.length > 0 ? this.handOut(this.columns.head) : undefined;
  }

  /** When the oldest held message was received, without building it; `undefined` when none is held. */
  oldestReceivedAt(): number | undefined {
    return this.columns.length > 0 ? this.columns.receivedAt[this.columns.head] : undefined;
  }

  /** When the newest held message was received, without building it; `undefined` when none is held. */
  newestReceivedAt(): number | undefined {
    const length = this.columns.length;
    return length > 0 ? this.columns.receivedAt[this.columns.slotAt(length - 1)] : undefined;
  }

  /** Drops the oldest message (counted as evicted) and returns it; used by the budget across nodes. */
  evictOldest(): NodeMessage | undefined {
    if (this.columns.length === 0) {
      return undefined;
    }
    const slot = this.columns.head;
    const evicted = this.objects[slot] ?? this.columns.message(slot);
    this.dropOldest();
    return evicted;
  }

  /** `evictOldest` without building the message: false when nothing is held. */
  dropOldest(): boolean {
    const columns = this.columns;
    if (columns.length === 0) {
      return false;
    }
    const slot = columns.head;
    if (columns.hasId(slot)) {
      // A repeated ID maps to its newest message; only drop the mapping if it is this one.
      const place = this.byId.placeOfFirst(slot);
      if (place >= 0) {
        this.byId.delete(place);
      }
    }
    this.threads.remove(columns, slot);
    this.heldBytes -= columns.bytesOf(slot);
    this.objects[slot] = undefined;
    this.handedOut[slot] = 0;
    columns.shift();
    this.evictedCount++;
    return true;
  }

  get(id: string): NodeMessage | undefined {
    const place = id ? this.byId.placeOf(id, hashKey(id)) : -1;
    return place < 0 ? undefined : this.handOut(this.byId.first(place));
  }

  /** Held replies to `id`, oldest first. */
  repliesTo(id: string): readonly NodeMessage[] {
    return this.threads.replySlots(id).map((slot) => this.handOut(slot));
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
    const length = this.columns.length;
    const result = new Array<NodeMessage>(length);
    for (let i = 0; i < length; i++) {
      result[i] = this.handOut(this.columns.slotAt(i));
    }
    return result;
  }

  clear(): void {
    this.columns.releaseAll();
    this.columns = new MessageColumns(Math.min(this.maxMessages, FIRST_SLOTS), this.strings);
    this.byId = new SlotTable(this.columns.capacity, this.columns.idKeys);
    this.threads.clear(this.columns);
    this.objects = new Array<NodeMessage | undefined>(this.columns.capacity);
    this.handedOut = new Uint8Array(this.columns.capacity);
    this.heldBytes = 0;
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
    while (this.columns.length > capacity || (this.columns.length > 1 && this.heldBytes > this.maxBytes)) {
      dropped.push(this.evictOldest() as NodeMessage);
    }
    this.maxMessages = capacity;
    this.moveTo(Math.min(capacity, Math.max(FIRST_SLOTS, this.columns.length)));
    return dropped;
  }

  /** The object for the message in `slot`, built once and kept while the message is held. */
  private handOut(slot: number): NodeMessage {
    let message = this.objects[slot];
    if (message === undefined) {
      message = this.columns.message(slot);
      this.objects[slot] = message;
    }
    this.handedOut[slot] = 1;
    return message;
  }

  /** Moves the held messages, oldest first, to new columns of `capacity` slots, and indexes them there. */
  private moveTo(capacity: number): void {
    const from = this.columns;
    const to = new MessageColumns(capacity, this.strings, from.recordBytes);
    const objects = new Array<NodeMessage | undefined>(capacity);
    const handedOut = new Uint8Array(capacity);
    this.byId = new SlotTable(capacity, to.idKeys);
    this.threads.attach(to);
    while (from.length > 0) {
      const slot = to.pushFrom(from, from.head);
      objects[slot] = this.objects[from.head];
      handedOut[slot] = this.handedOut[from.head] as number;
      if (to.hasId(slot)) {
        this.byId.set(this.byId.placeOfSlotKey(slot), slot, slot);
      }
      this.threads.add(to, slot, true);
      from.shift();
    }
    this.columns = to;
    this.objects = objects;
    this.handedOut = handedOut;
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
