import type { NodeMessage } from '../nodeMessage';
import type { EncodedMessage } from './encodedMessage';
import { budgetBytes, encodedMessageBytes, MessageColumns } from './messageColumns';
import { hashKey, SlotTable } from './slotTable';
import { StringTable } from './stringTable';
import { parentOf, rootOf, ThreadIndex, type ThreadLinks } from './threads';

/**
 * What a held message costs, in bytes, for the byte budget: its data, plus its strings at two bytes
 * per UTF-16 code unit (how V8 holds a string that is not pure Latin-1; an estimate on the safe
 * side). The node name is shared by every message of a node and not counted; neither is the fixed
 * overhead of the columns and indexes (a few dozen bytes a message at most, bounded by `maxMessages`).
 */
export function messageBytes(message: NodeMessage): number {
  return budgetBytes(message.data.byteLength, message.id.length + message.replyToId.length + message.fromPubkey.length + message.serviceType.length);
}

/** Slots made for a new store; they double as messages arrive, up to `maxMessages`. */
const FIRST_SLOTS = 64;

/**
 * The newest messages keep the object they arrived as for this many arrivals, so whoever got that
 * object from the event (a watch, a listener) finds the same one in the store while it is fresh.
 * No other message has an object in the store: each query builds what it returns.
 */
export const RECENT_OBJECTS = 64;

export interface StoreOptions {
  /**
   * False for a queue that is only appended to, bounded and read in order (the journal's): no
   * index by ID, no thread index and no recent objects are kept, and a lookup throws.
   */
  readonly lookups?: boolean;
}

/**
 * The messages held for one node: a ring buffer bounded by `maxMessages` and by a byte budget
 * (`messageBytes`), with lookup by ID and a thread index (`ThreadIndex`: the replies of each message).
 * The oldest go first when either bound is reached; the newest message is always held, however
 * large. Appending and evicting are constant time (amortised over what a large message evicts).
 *
 * The messages are held as data (`MessageColumns`), with the ID index a `SlotTable` keyed by the
 * ID's bytes. A `NodeMessage` is built when asked for and not kept (only the `RECENT_OBJECTS`
 * newest keep the object they arrived as), so two queries for an older message return two equal
 * objects, and what the caller drops is garbage at once. What needs a message's identity uses its
 * arrival number (`firstSequence`, `at`, `sequenceOf`): the Messages view keys its items and
 * caches by it, and `ThreadShape` is built from the store's indexes (`threadLinks`).
 */
export class MessageStore {
  private readonly strings = new StringTable();
  private columns: MessageColumns;
  /** The slot of the newest message with each (non-empty) ID. */
  private byId: SlotTable;
  /** The thread index; the Messages view reads its version and arrival numbers. */
  readonly threads: ThreadIndex;
  /** Per slot: the object a message arrived as, while it is among the `RECENT_OBJECTS` newest. */
  private objects: (NodeMessage | undefined)[];
  /** Arrival numbers taken by messages that were cleared, so a number is never given twice. */
  private clearedSequences = 0;
  private heldBytes = 0;
  private evictedCount = 0;
  private maxBytes: number;

  private readonly lookups: boolean;

  constructor(
    private maxMessages: number,
    maxBytes = Number.POSITIVE_INFINITY,
    options: StoreOptions = {},
  ) {
    this.maxMessages = checkCapacity(maxMessages);
    this.maxBytes = checkBytes(maxBytes);
    this.lookups = options.lookups ?? true;
    this.columns = new MessageColumns(Math.min(this.maxMessages, FIRST_SLOTS), this.strings);
    this.byId = this.idIndex(this.columns);
    this.threads = new ThreadIndex(this.columns);
    this.objects = this.recentObjects(this.columns.capacity);
  }

  get size(): number {
    return this.columns.length;
  }

  get capacity(): number {
    return this.maxMessages;
  }

  /** Only tests read this: the slots the columns have now (they double as messages arrive, up to `capacity`). */
  get slots(): number {
    return this.columns.capacity;
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

  /**
   * The arrival number of the oldest held message; the held ones follow it in order. Each message
   * gets the next number as it arrives and keeps it while held (an eviction moves this on by one),
   * and no number is given twice, clears included: with the node, a held message's identity.
   */
  get firstSequence(): number {
    return this.clearedSequences + this.evictedCount;
  }

  /** Holds a message, first evicting the oldest until both bounds leave room; returns how many went. */
  append(message: NodeMessage): number {
    const size = messageBytes(message);
    const evicted = this.makeRoom(size);
    this.growIfFull();
    this.takeNewest(this.columns.push(message), size, message);
    return evicted;
  }

  /**
   * Holds a message still in its frame's bytes, written straight from them (see `EncodedMessage`),
   * and returns it as an object built from what the store holds: what `append` of that object would
   * have held. `undefined` when its data is not valid; then nothing held changes: the record is
   * written into free room before anything is evicted for it.
   */
  appendEncoded(message: EncodedMessage, node: string, receivedAt: number): NodeMessage | undefined {
    this.growIfFull();
    const start = this.columns.placeEncoded(message);
    if (start < 0) {
      return undefined;
    }
    const size = encodedMessageBytes(message);
    this.makeRoom(size);
    const slot = this.columns.pushEncoded(message, start, node, receivedAt);
    const held = this.columns.message(slot, message);
    this.takeNewest(slot, size, held);
    return held;
  }

  /**
   * Holds a copy of the message with arrival number `sequence` in `from` (`MessageColumns.pushCopy`),
   * first evicting the oldest until both bounds leave room, as `append` of it would: the journal's
   * queue takes what a node's store just held this way. False, with nothing held, once `from` no
   * longer holds it.
   */
  appendCopy(from: MessageStore, sequence: number): boolean {
    const index = sequence - from.firstSequence;
    if (index < 0 || index >= from.columns.length) {
      return false;
    }
    const fromSlot = from.columns.slotAt(index);
    const size = from.columns.bytesOf(fromSlot);
    this.makeRoom(size);
    this.growIfFull();
    this.takeNewest(this.columns.pushCopy(from.columns, fromSlot), size, from.objects[fromSlot]);
    return true;
  }

  /**
   * The arrival number of the newest held message when it is `message` itself, the object it
   * arrived as (what the event handed over), else -1: where a message just held is, without a lookup.
   */
  newestSequenceOf(message: NodeMessage): number {
    const length = this.columns.length;
    return length > 0 && this.objects[this.columns.slotAt(length - 1)] === message ? this.firstSequence + length - 1 : -1;
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
    if (this.lookups) {
      if (columns.hasId(slot)) {
        // A repeated ID maps to its newest message; only drop the mapping if it is this one.
        const place = this.byId.placeOfFirst(slot);
        if (place >= 0) {
          this.byId.delete(place);
        }
      }
      this.threads.remove(columns, slot);
      this.objects[slot] = undefined;
    }
    this.heldBytes -= columns.bytesOf(slot);
    columns.shift();
    this.evictedCount++;
    return true;
  }

  get(id: string): NodeMessage | undefined {
    const place = id ? this.ids().placeOf(id, hashKey(id)) : -1;
    return place < 0 ? undefined : this.handOut(this.byId.first(place));
  }

  /** The held message with arrival number `sequence` (see `firstSequence`), or `undefined` once it is gone. */
  at(sequence: number): NodeMessage | undefined {
    const index = sequence - this.firstSequence;
    return index >= 0 && index < this.columns.length ? this.handOut(this.columns.slotAt(index)) : undefined;
  }

  /** The arrival number of the held message that lookups by `id` find (its newest copy), or -1. */
  sequenceOfId(id: string): number {
    const place = id ? this.ids().placeOf(id, hashKey(id)) : -1;
    return place < 0 ? -1 : this.sequenceOfSlot(this.byId.first(place));
  }

  /**
   * The arrival number of a held message given as an object (from the event, `get`, `toArray`,
   * a watch), or -1 when it is not held. The object itself is not kept, so the message is known by
   * its fields: the copy that lookups by its ID find first, then the others, newest first. Copies
   * equal in every field, down to the millisecond they came, cannot be told apart; the newest wins.
   */
  sequenceOf(message: NodeMessage): number {
    const found = this.sequenceOfId(message.id);
    if (found >= 0 && this.holds(this.columns.slotAt(found - this.firstSequence), message)) {
      return found;
    }
    const columns = this.columns;
    const hash = hashKey(message.id);
    for (let index = columns.length - 1; index >= 0; index--) {
      const slot = columns.slotAt(index);
      if (columns.receivedAt[slot] === message.receivedAt && columns.idHashes[slot] === hash && this.holds(slot, message)) {
        return this.firstSequence + index;
      }
    }
    return -1;
  }

  /** When the message with arrival number `sequence` was received, without building it; `undefined` once it is gone. */
  receivedAtOf(sequence: number): number | undefined {
    const index = sequence - this.firstSequence;
    return index >= 0 && index < this.columns.length ? this.columns.receivedAt[this.columns.slotAt(index)] : undefined;
  }

  /** `messageBytes` of the message with arrival number `sequence`, without building it; 0 once it is gone. */
  bytesOfSequence(sequence: number): number {
    const index = sequence - this.firstSequence;
    return index >= 0 && index < this.columns.length ? this.columns.bytesOf(this.columns.slotAt(index)) : 0;
  }

  /** The sender (`'sender'`) or service type of the message with arrival number `sequence`, without building it. */
  fieldOf(sequence: number, field: 'sender' | 'serviceType'): string | undefined {
    const index = sequence - this.firstSequence;
    if (index < 0 || index >= this.columns.length) {
      return undefined;
    }
    const slot = this.columns.slotAt(index);
    return field === 'sender' ? this.columns.sender(slot) : this.columns.serviceType(slot);
  }

  /** How the held messages link into threads, from the indexes: no message is built. */
  threadLinks(): ThreadLinks {
    this.ids();
    const columns = this.columns;
    const count = columns.length;
    const parents = new Int32Array(count).fill(-1);
    const newestOfId = new Int32Array(count).fill(-1);
    const replies = new Uint8Array(count);
    for (let index = 0; index < count; index++) {
      const slot = columns.slotAt(index);
      if (columns.hasId(slot)) {
        newestOfId[index] = this.indexOfSlot(this.byId.first(this.byId.placeOfSlotKey(slot)));
      }
      if (columns.hasReplyTo(slot)) {
        replies[index] = 1;
        const place = this.byId.placeOfSlotKey(slot, columns.parentKeys);
        if (!this.byId.isEmpty(place)) {
          parents[index] = this.indexOfSlot(this.byId.first(place));
        }
      }
    }
    return { parents, newestOfId, replies };
  }

  /** Held replies to `id`, oldest first. */
  repliesTo(id: string): readonly NodeMessage[] {
    this.ids();
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

  /** Held messages, oldest first, each built as it is reached (`toArray` builds them all at once). */
  *messages(): Generator<NodeMessage> {
    for (let i = 0; i < this.columns.length; i++) {
      yield this.handOut(this.columns.slotAt(i));
    }
  }

  /**
   * The held messages, oldest first, as the journal's lines (`MessageColumns.writeJsonLine`), no
   * message built: `first`, then the lines, in pieces of at most `pieceBytes` (a longer line is a
   * piece of its own). A piece is a view of a buffer the next one is written into: use it up
   * before asking for the next.
   */
  *jsonLines(pieceBytes: number, first = ''): Generator<Buffer> {
    const columns = this.columns;
    const piece = Buffer.allocUnsafe(Math.max(pieceBytes, first.length));
    let at = piece.write(first, 0, 'latin1');
    for (let index = 0; index < columns.length; index++) {
      const slot = columns.slotAt(index);
      let end = columns.writeJsonLine(slot, piece, at);
      if (end < 0 && at > 0) {
        yield piece.subarray(0, at);
        at = 0;
        end = columns.writeJsonLine(slot, piece, 0);
      }
      if (end < 0) {
        const line = Buffer.allocUnsafe(-end);
        columns.writeJsonLine(slot, line, 0);
        yield line;
        end = 0;
      }
      at = end;
    }
    if (at > 0) {
      yield piece.subarray(0, at);
    }
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

  /**
   * Drops every held message. With `keepRoom`, the new columns are as large as the old (slots and
   * slab), for a store that fills up again at once (the journal's queue): it does not grow again a
   * doubling at a time, each copying what it holds.
   */
  clear(keepRoom = false): void {
    this.clearedSequences = this.firstSequence + this.columns.length;
    const capacity = keepRoom ? this.columns.capacity : Math.min(this.maxMessages, FIRST_SLOTS);
    const slabBytes = keepRoom ? this.columns.recordBytes : 0;
    this.columns.releaseAll();
    this.columns = new MessageColumns(capacity, this.strings, slabBytes);
    this.byId = this.idIndex(this.columns);
    if (this.lookups) {
      this.threads.clear(this.columns);
    }
    this.objects = this.recentObjects(this.columns.capacity);
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

  /** Messages held now that have an object in the store: the newest, as they arrived (`RECENT_OBJECTS`). For tests. */
  get objectsHeld(): number {
    let count = 0;
    for (const object of this.objects) {
      count += object === undefined ? 0 : 1;
    }
    return count;
  }

  /** Evicts the oldest until both bounds leave room for a message of `size` bytes; returns how many went. */
  private makeRoom(size: number): number {
    let evicted = 0;
    while (this.columns.length > 0 && (this.columns.length >= this.maxMessages || this.heldBytes + size > this.maxBytes)) {
      this.dropOldest();
      evicted++;
    }
    return evicted;
  }

  /** Doubles the slots (up to `maxMessages`) when every one is taken. */
  private growIfFull(): void {
    if (this.columns.length === this.columns.capacity && this.columns.capacity < this.maxMessages) {
      this.moveTo(Math.min(this.maxMessages, 2 * this.columns.capacity));
    }
  }

  /** Counts and indexes the message just written in `slot` as the newest, keeping `object` for it while it is recent. */
  private takeNewest(slot: number, size: number, object: NodeMessage | undefined): void {
    const columns = this.columns;
    this.heldBytes += size;
    if (!this.lookups) {
      return;
    }
    if (columns.hasId(slot)) {
      this.byId.set(this.byId.placeOfSlotKey(slot), slot, slot);
    }
    this.threads.add(columns, slot);
    this.objects[slot] = object;
    if (columns.length > RECENT_OBJECTS) {
      this.objects[columns.slotAt(columns.length - 1 - RECENT_OBJECTS)] = undefined;
    }
  }

  /** The message in `slot`: the object it arrived as while it is among the newest, else built anew and not kept. */
  private handOut(slot: number): NodeMessage {
    return this.objects[slot] ?? this.columns.message(slot);
  }

  /** Whether the message in `slot` is `message`: the same object, or one with every field the same. */
  private holds(slot: number, message: NodeMessage): boolean {
    const kept = this.objects[slot];
    if (kept === message) {
      return true;
    }
    return this.columns.receivedAt[slot] === message.receivedAt && sameFields(kept ?? this.columns.message(slot), message);
  }

  private indexOfSlot(slot: number): number {
    const index = slot - this.columns.head;
    return index < 0 ? index + this.columns.capacity : index;
  }

  private sequenceOfSlot(slot: number): number {
    return this.firstSequence + this.indexOfSlot(slot);
  }

  /** Moves the held messages, oldest first, to new columns of `capacity` slots, and indexes them there. */
  private moveTo(capacity: number): void {
    const from = this.columns;
    const objects = this.recentObjects(capacity);
    if (this.lookups) {
      for (let i = 0; i < from.length; i++) {
        objects[i] = this.objects[from.slotAt(i)];
      }
    }
    const to = new MessageColumns(capacity, this.strings);
    // Slots that double while the store fills get a slab for as many records as the held ones, so
    // the slab does not grow a quarter at a time, each step copying what it holds, in between.
    to.takeAll(from, capacity > from.capacity && from.length > 0 ? (from.recordBytes * capacity) / from.length : 0);
    this.columns = to;
    this.objects = objects;
    this.byId = this.idIndex(to);
    if (!this.lookups) {
      return;
    }
    this.threads.attach(to);
    for (let slot = 0; slot < to.length; slot++) {
      if (to.hasId(slot)) {
        this.byId.set(this.byId.placeOfSlotKey(slot), slot, slot);
      }
      this.threads.add(to, slot, true);
    }
  }

  /** The index by ID for `columns`: an empty one of a single place without lookups. */
  private idIndex(columns: MessageColumns): SlotTable {
    return new SlotTable(this.lookups ? columns.capacity : 1, columns.idKeys);
  }

  /** Room for the recent objects of `capacity` slots: none without lookups. */
  private recentObjects(capacity: number): (NodeMessage | undefined)[] {
    return new Array<NodeMessage | undefined>(this.lookups ? capacity : 0);
  }

  /** The index by ID, which a store without lookups does not have. */
  private ids(): SlotTable {
    if (!this.lookups) {
      throw new Error('This store keeps no index by ID (a queue is read in order)');
    }
    return this.byId;
  }
}

/** Two objects of the same message: every field equal (data byte for byte). */
function sameFields(a: NodeMessage, b: NodeMessage): boolean {
  return (
    a.id === b.id &&
    a.receivedAt === b.receivedAt &&
    a.replyToId === b.replyToId &&
    a.fromPubkey === b.fromPubkey &&
    a.serviceType === b.serviceType &&
    a.amount === b.amount &&
    a.node === b.node &&
    Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(b.data)
  );
}

/** `maxMessages` as a store takes it: a whole number, at least 1. */
export function checkCapacity(maxMessages: number): number {
  if (!Number.isFinite(maxMessages) || maxMessages < 1) {
    return 1;
  }
  return Math.floor(maxMessages);
}

/** A byte budget as a store takes it: at least 1. */
export function checkBytes(maxBytes: number): number {
  return Number.isNaN(maxBytes) || maxBytes < 1 ? 1 : maxBytes;
}
