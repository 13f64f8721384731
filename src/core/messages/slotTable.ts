/** How a `SlotTable` reads the key of a held message (its slot): a hash, and byte comparisons. */
export interface SlotKeys {
  /** The key's hash per slot (`hashKey`). */
  readonly hashes: Int32Array;
  /** Whether two slots hold the same key. */
  sameKey(a: number, b: number): boolean;
  /** Whether a slot holds `key`. */
  keyEquals(slot: number, key: string): boolean;
}

/**
 * A hash table from a key to slots of a message store, in typed arrays: open addressing with linear
 * probing, at most three quarters full, and deletion by shifting back (no tombstones, so probes stay short
 * however long the store runs). The keys themselves stay in the store's bytes; an entry is a first
 * and a last slot (a list the caller links, such as the replies to one ID).
 */
export class SlotTable {
  /** The first slot of each entry plus one; 0 is an empty place. */
  private readonly firsts: Int32Array;
  private readonly lasts: Int32Array;
  private readonly mask: number;
  private count = 0;

  constructor(
    slots: number,
    private readonly keys: SlotKeys,
  ) {
    let places = 8;
    while (3 * places < 4 * slots) {
      places *= 2;
    }
    this.firsts = new Int32Array(places);
    this.lasts = new Int32Array(places);
    this.mask = places - 1;
  }

  /** Keys held. */
  get size(): number {
    return this.count;
  }

  /**
   * The place of the entry with the key of `slot`, or the empty place where it would go. `keys`
   * reads the key of `slot` another way (the same hash, `sameKey(entry's slot, slot)`): a reply's
   * reply-to ID looked up among IDs.
   */
  placeOfSlotKey(slot: number, keys: SlotKeys = this.keys): number {
    const hash = keys.hashes[slot] as number;
    let place = hash & this.mask;
    for (let first = this.firsts[place] as number; first !== 0; first = this.firsts[place] as number) {
      if (this.keys.hashes[first - 1] === hash && keys.sameKey(first - 1, slot)) {
        return place;
      }
      place = (place + 1) & this.mask;
    }
    return place;
  }

  /** The place of the entry whose key is `key` (hashed as `hash`), or -1. */
  placeOf(key: string, hash: number): number {
    let place = hash & this.mask;
    for (let first = this.firsts[place] as number; first !== 0; first = this.firsts[place] as number) {
      if (this.keys.hashes[first - 1] === hash && this.keys.keyEquals(first - 1, key)) {
        return place;
      }
      place = (place + 1) & this.mask;
    }
    return -1;
  }

  /** The place of the entry whose first slot is `slot`, or -1. */
  placeOfFirst(slot: number): number {
    let place = (this.keys.hashes[slot] as number) & this.mask;
    for (let first = this.firsts[place] as number; first !== 0; first = this.firsts[place] as number) {
      if (first - 1 === slot) {
        return place;
      }
      place = (place + 1) & this.mask;
    }
    return -1;
  }

  /** Whether an entry's key has this hash (the key itself is not compared). */
  hasHash(hash: number): boolean {
    let place = hash & this.mask;
    for (let first = this.firsts[place] as number; first !== 0; first = this.firsts[place] as number) {
      if (this.keys.hashes[first - 1] === hash) {
        return true;
      }
      place = (place + 1) & this.mask;
    }
    return false;
  }

  isEmpty(place: number): boolean {
    return this.firsts[place] === 0;
  }

  first(place: number): number {
    return (this.firsts[place] as number) - 1;
  }

  last(place: number): number {
    return this.lasts[place] as number;
  }

  /** Fills or updates the entry at `place` (from `placeOfSlotKey`). */
  set(place: number, first: number, last: number): void {
    if (this.firsts[place] === 0) {
      this.count++;
    }
    this.firsts[place] = first + 1;
    this.lasts[place] = last;
  }

  /** Empties `place`, moving later entries of the probe sequence back so every lookup still finds them. */
  delete(place: number): void {
    let hole = place;
    for (let next = (hole + 1) & this.mask; this.firsts[next] !== 0; next = (next + 1) & this.mask) {
      const home = (this.keys.hashes[(this.firsts[next] as number) - 1] as number) & this.mask;
      // The entry stays if its home is cyclically within (hole, next]: the hole is not on its probe path.
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (!stays) {
        this.firsts[hole] = this.firsts[next] as number;
        this.lasts[hole] = this.lasts[next] as number;
        hole = next;
      }
    }
    this.firsts[hole] = 0;
    this.count--;
  }
}

/** A seed per process, so no peer can choose IDs that collide in every window's tables. */
export const HASH_START = ((Math.random() * 0x100000000) | 0) ^ 0x811c9dc5;
export const HASH_PRIME = 0x01000193;

/** The hash of a key's UTF-16 code units (FNV-1a, seeded, with a final mix for the low bits). */
export function hashKey(key: string): number {
  let hash = HASH_START;
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), HASH_PRIME);
  }
  return finishHash(hash);
}

/** Spreads an FNV-1a state into its low bits, which pick the table place. */
export function finishHash(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash | 0;
}
