import type { NodeMessage } from '../nodeMessage';
import type { MessageColumns } from './messageColumns';
import { hashKey, SlotTable } from './slotTable';

/**
 * How the held messages link, by their place among them (oldest first), as `ThreadShape` reads
 * them: worked out from the store's indexes, with no message built.
 */
export interface ThreadLinks {
  /** The place of the held message each one's reply-to ID names (its newest copy), or -1. */
  readonly parents: Int32Array;
  /** The place of the newest held copy of each one's ID (its own place when it is that copy); -1 without an ID. */
  readonly newestOfId: Int32Array;
  /** 1 for a reply (a non-empty reply-to ID), held parent or not. */
  readonly replies: Uint8Array;
}

/** What thread walks read: held messages by ID, and the held replies to an ID. */
export interface ThreadLookup {
  get(id: string): NodeMessage | undefined;
  repliesTo(id: string): readonly NodeMessage[];
}

/**
 * The replies of each held message, by the ID they reply to, as slots of the store's columns: a
 * `SlotTable` keyed by the reply-to ID's bytes holds each ID's oldest and newest reply, and the
 * replies between are linked in arrival order. A message's place in a thread is its `replyToId`
 * (for a v1 DIDComm message, its `thid`, mapped by the decoder). It also counts changes, so a
 * `ThreadShape` built from the store knows when it is stale.
 */
export class ThreadIndex {
  private repliesByParent: SlotTable;
  /** The next reply to the same ID, per slot; -1 after the newest. */
  private nextReply: Int32Array;
  private changes = 0;

  constructor(columns: MessageColumns) {
    this.repliesByParent = new SlotTable(columns.capacity, columns.replyKeys);
    this.nextReply = new Int32Array(columns.capacity);
  }

  /** Changes with every message added or removed. */
  get version(): number {
    return this.changes;
  }

  /** Indexes the replies of new columns, which `add(…, true)` then fills with the same messages. */
  attach(columns: MessageColumns): void {
    this.repliesByParent = new SlotTable(columns.capacity, columns.replyKeys);
    this.nextReply = new Int32Array(columns.capacity);
  }

  /** Indexes the message just written to `slot` (counted as a change unless `moved`). */
  add(columns: MessageColumns, slot: number, moved = false): void {
    if (!moved) {
      this.changes++;
    }
    if (!columns.hasReplyTo(slot)) {
      return;
    }
    this.nextReply[slot] = -1;
    const place = this.repliesByParent.placeOfSlotKey(slot);
    if (this.repliesByParent.isEmpty(place)) {
      this.repliesByParent.set(place, slot, slot);
    } else {
      this.nextReply[this.repliesByParent.last(place)] = slot;
      this.repliesByParent.set(place, this.repliesByParent.first(place), slot);
    }
  }

  /**
   * Forgets the message in `slot`, the store's oldest. The oldest message is the oldest reply to
   * its parent too, so it is always first in its list.
   */
  remove(columns: MessageColumns, slot: number): void {
    this.changes++;
    if (!columns.hasReplyTo(slot)) {
      return;
    }
    const place = this.repliesByParent.placeOfFirst(slot);
    if (place < 0) {
      return;
    }
    const next = this.nextReply[slot] as number;
    if (next < 0) {
      this.repliesByParent.delete(place);
    } else {
      this.repliesByParent.set(place, next, this.repliesByParent.last(place));
    }
  }

  /** Slots of the replies to `id`, oldest first. */
  replySlots(id: string): number[] {
    const slots: number[] = [];
    const place = id ? this.repliesByParent.placeOf(id, hashKey(id)) : -1;
    for (let slot = place < 0 ? -1 : this.repliesByParent.first(place); slot >= 0; slot = this.nextReply[slot] as number) {
      slots.push(slot);
    }
    return slots;
  }

  /** Forgets every reply, indexing new empty columns. */
  clear(columns: MessageColumns): void {
    this.changes++;
    this.attach(columns);
  }
}

/** The held message `message` replies to, if any (the newest copy when its ID repeats; maybe itself). */
export function parentOf(lookup: ThreadLookup, message: NodeMessage): NodeMessage | undefined {
  return message.replyToId ? lookup.get(message.replyToId) : undefined;
}

/**
 * The oldest held ancestor of `message` (itself when its parent is not held). A cycle stops the
 * walk, so it ends within the number of held messages. A parent is always the copy that lookups
 * find by its ID, so the walk knows the messages it met by their IDs, not by their objects (the
 * store builds a new one at each lookup). The Messages view's own roots, which break every cycle
 * the same way for all its members, come from `ThreadShape`.
 */
export function rootOf(lookup: ThreadLookup, message: NodeMessage): NodeMessage {
  let current = message;
  const seen = new Set<string>([current.id]);
  for (let parent = parentOf(lookup, current); parent && !seen.has(parent.id); parent = parentOf(lookup, current)) {
    seen.add(parent.id);
    current = parent;
  }
  return current;
}

/** A reply whose parent is not held: shown as a root, marked. */
export function isOrphan(lookup: ThreadLookup, message: NodeMessage): boolean {
  return message.replyToId !== '' && !parentOf(lookup, message);
}
