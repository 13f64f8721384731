import { budgetBytes } from '../messages/messageColumns';
import { checkBytes, checkCapacity } from '../messages/messageStore';
import { hashKey, SlotTable, type SlotKeys } from '../messages/slotTable';
import type { MessageRecord } from './messageJson';

/** Slots made at first; they double as lines are added, up to `maxMessages`. */
const FIRST_SLOTS = 64;

/** Reads the ID of the record on the line at `start` (`length` bytes) of the file the lines are in. */
export type LineId = (start: number, length: number) => string;

/**
 * The lines of one node's records that a compaction keeps, bounded as a `MessageStore` bounds the
 * messages it holds (by count and by `messageBytes`, the oldest going first, the newest always
 * kept), but holding none of them: per line, where it is in the file, its `messageBytes`, when it
 * was received and its ID's hash. Reading a file to compact it then builds no store, no slab, no
 * data buffer and no string a record, and what a compaction kept can be kept for the next one,
 * which reads only what was appended since (`MessageJournal`).
 *
 * The index by ID (the newest line of each, so a repeated record can be told from another message
 * with the same ID) compares IDs only when their hashes are equal, reading them from the file
 * (`LineId`): that is when a record repeats, rarely otherwise.
 *
 * Arrival numbers are as a store's: the first line added is 0, and an eviction moves
 * `firstSequence` on by one.
 */
export class KeptLines {
  private starts = new Float64Array(FIRST_SLOTS);
  private lengths = new Float64Array(FIRST_SLOTS);
  private sizes = new Float64Array(FIRST_SLOTS);
  private receivedAts = new Float64Array(FIRST_SLOTS);
  private hashes = new Int32Array(FIRST_SLOTS);
  /** 1 where the record has an ID. */
  private hasIds = new Uint8Array(FIRST_SLOTS);
  /** The slot of the newest line of each (non-empty) ID. */
  private byId = this.idTable();
  private head = 0;
  private count = 0;
  private evicted = 0;
  private heldBytes = 0;
  private readonly maxMessages: number;
  private readonly maxBytes: number;
  /** How the call under way reads an ID from the file. */
  private lineId: LineId = () => '';
  /** The slot being added, and its ID when known without reading the file. */
  private addingSlot = -1;
  private addingId: string | undefined;

  constructor(maxMessages: number, maxBytes: number) {
    this.maxMessages = checkCapacity(maxMessages);
    this.maxBytes = checkBytes(maxBytes);
  }

  get size(): number {
    return this.count;
  }

  get firstSequence(): number {
    return this.evicted;
  }

  /** No lines, within the same bounds. */
  emptyLike(): KeptLines {
    return new KeptLines(this.maxMessages, this.maxBytes);
  }

  /** Whether these lines were kept within these bounds. */
  hasBounds(maxMessages: number, maxBytes: number): boolean {
    return this.maxMessages === checkCapacity(maxMessages) && this.maxBytes === checkBytes(maxBytes);
  }

  /** The arrival number of the newest kept line of a record with this (non-empty) ID, or -1. */
  sequenceOfId(id: string, lineId: LineId): number {
    if (!id) {
      return -1;
    }
    this.lineId = lineId;
    const place = this.byId.placeOf(id, hashKey(id));
    return place < 0 ? -1 : this.sequenceOfSlot(this.byId.first(place));
  }

  /** Whether a kept line's ID may be that of line `sequence` of `from`: one has the same hash. */
  mayHoldIdOf(from: KeptLines, sequence: number): boolean {
    const slot = from.slotOf(sequence);
    return from.hasIds[slot] === 1 && this.byId.hasHash(from.hashes[slot] as number);
  }

  /** Keeps the line at `start` (`length` bytes, no newline) of `record`, first dropping the oldest until both bounds leave room. */
  add(record: MessageRecord, start: number, length: number, lineId: LineId): void {
    this.put(record.id, record.id ? hashKey(record.id) : 0, recordBytes(record), record.receivedAt, start, length, lineId);
  }

  /** Keeps line `sequence` of `from` as the line at `start` of another file (as long as it was), as `add` does. */
  addFrom(from: KeptLines, sequence: number, start: number, lineId: LineId): void {
    const slot = from.slotOf(sequence);
    const hasId = from.hasIds[slot] === 1;
    this.put(hasId ? undefined : '', hasId ? (from.hashes[slot] as number) : 0, from.sizes[slot] as number, from.receivedAts[slot] as number, start, from.lengths[slot] as number, lineId);
  }

  receivedAtOf(sequence: number): number | undefined {
    return this.holds(sequence) ? this.receivedAts[this.slotOf(sequence)] : undefined;
  }

  /** `messageBytes` of the record with arrival number `sequence`; 0 once it is gone. */
  bytesOfSequence(sequence: number): number {
    return this.holds(sequence) ? (this.sizes[this.slotOf(sequence)] as number) : 0;
  }

  /** Where the line of the record with arrival number `sequence` starts in the file, and its length without the newline. */
  lineOf(sequence: number): { start: number; length: number } | undefined {
    if (!this.holds(sequence)) {
      return undefined;
    }
    const slot = this.slotOf(sequence);
    return { start: this.starts[slot] as number, length: this.lengths[slot] as number };
  }

  /** `id`: the record's ID, or `undefined` to read it from the file when it has to be compared. */
  private put(id: string | undefined, hash: number, size: number, receivedAt: number, start: number, length: number, lineId: LineId): void {
    this.lineId = lineId;
    while (this.count > 0 && (this.count >= this.maxMessages || this.heldBytes + size > this.maxBytes)) {
      this.dropOldest();
    }
    if (this.count === this.starts.length) {
      this.grow();
    }
    const slot = this.slotOf(this.evicted + this.count);
    this.starts[slot] = start;
    this.lengths[slot] = length;
    this.sizes[slot] = size;
    this.receivedAts[slot] = receivedAt;
    this.hashes[slot] = hash;
    this.hasIds[slot] = id === '' ? 0 : 1;
    if (id !== '') {
      this.addingSlot = slot;
      this.addingId = id;
      this.byId.set(this.byId.placeOfSlotKey(slot), slot, slot);
      this.addingSlot = -1;
      this.addingId = undefined;
    }
    this.heldBytes += size;
    this.count++;
  }

  private holds(sequence: number): boolean {
    return sequence >= this.evicted && sequence < this.evicted + this.count;
  }

  private slotOf(sequence: number): number {
    const slot = this.head + (sequence - this.evicted);
    return slot >= this.starts.length ? slot - this.starts.length : slot;
  }

  private sequenceOfSlot(slot: number): number {
    return this.evicted + (slot >= this.head ? slot - this.head : slot + this.starts.length - this.head);
  }

  private idOfSlot(slot: number): string {
    if (slot === this.addingSlot && this.addingId !== undefined) {
      return this.addingId;
    }
    return this.lineId(this.starts[slot] as number, this.lengths[slot] as number);
  }

  private idTable(): SlotTable {
    const keys: SlotKeys = {
      hashes: this.hashes,
      sameKey: (a, b) => this.idOfSlot(a) === this.idOfSlot(b),
      keyEquals: (slot, key) => this.idOfSlot(slot) === key,
    };
    return new SlotTable(this.hashes.length, keys);
  }

  private dropOldest(): void {
    const slot = this.head;
    if (this.hasIds[slot] === 1) {
      // A repeated ID maps to its newest line; only drop the mapping if it is this one.
      const place = this.byId.placeOfFirst(slot);
      if (place >= 0) {
        this.byId.delete(place);
      }
    }
    this.heldBytes -= this.sizes[slot] as number;
    this.head = this.slotOf(this.evicted + 1);
    this.evicted++;
    this.count--;
  }

  /** Doubles the slots (up to `maxMessages`), the oldest first in the new ones, and indexes them again (reading IDs only where hashes are equal). */
  private grow(): void {
    const capacity = Math.min(this.maxMessages, 2 * this.starts.length);
    const order = <T extends Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(from: T, to: T): T => {
      to.set(from.subarray(this.head));
      to.set(from.subarray(0, this.head), from.length - this.head);
      return to;
    };
    this.starts = order(this.starts, new Float64Array(capacity));
    this.lengths = order(this.lengths, new Float64Array(capacity));
    this.sizes = order(this.sizes, new Float64Array(capacity));
    this.receivedAts = order(this.receivedAts, new Float64Array(capacity));
    this.hashes = order(this.hashes, new Int32Array(capacity));
    this.hasIds = order(this.hasIds, new Uint8Array(capacity));
    this.head = 0;
    this.byId = this.idTable();
    for (let slot = 0; slot < this.count; slot++) {
      if (this.hasIds[slot] === 1) {
        this.byId.set(this.byId.placeOfSlotKey(slot), slot, slot);
      }
    }
  }
}

/**
 * `messageBytes` of a record without decoding its data: the length its base64 decodes to, counted
 * from the text (padding off). For the standard base64 `messageToJson` writes, that is exactly
 * what `Buffer.from(…, 'base64')` gives; for base64 written another way, close to it.
 */
export function recordBytes(record: MessageRecord): number {
  return budgetBytes(Buffer.byteLength(record.data, 'base64'), record.id.length + record.replyToId.length + record.fromPubkey.length + record.serviceType.length);
}
