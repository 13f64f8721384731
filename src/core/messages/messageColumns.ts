import { base64Text, hexText, latin1Text, utf16Text, writeLatin1 } from '../base/bufferText';
import type { NodeMessage } from '../nodeMessage';
import type { EncodedMessage } from './encodedMessage';
import { finishHash, HASH_PRIME, HASH_START, type SlotKeys } from './slotTable';
import type { StringTable } from './stringTable';

/** Data of up to this many bytes is copied out of the slab by a loop: quicker than `Buffer#copy` for a short message. */
const COPY_LOOP_MAX = 128;
/** Keys of up to this many bytes are compared by a loop: quicker than `Buffer#compare` for an ID. */
const COMPARE_LOOP_MAX = 128;
/** The smallest byte slab; it grows with what is held and shrinks back when that falls. */
const MIN_SLAB_BYTES = 4096;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * How an ID's code units are stored: one byte each (Latin-1), two (UTF-16, for any other string,
 * lone surrogates included), or two to a byte (lowercase hex of even length, as IDs nearly always
 * are). Each string has exactly one encoding, so two keys are equal when their bytes are.
 */
const LATIN1 = 0;
const UTF16 = 1;
const HEX = 2;

// Per-slot flags: the ID's encoding in bits 0–1, the reply-to ID's in bits 2–3.
const REPLY_SHIFT = 2;
/** `data` was a Node `Buffer`, so the message is rebuilt with one. */
const BUFFER_DATA = 16;
/** The amount is outside int64 and kept in `wideAmounts`. */
const WIDE_AMOUNT = 32;

/**
 * The messages of one store as data: a ring of slots whose fields are columns in typed arrays, the
 * bytes of each message's ID, reply-to ID and data one record in a byte slab, and its sender,
 * service type and node indexes into a `StringTable`. A handful of JavaScript objects in all,
 * however many messages, so holding messages leaves the garbage collector nothing to trace or
 * copy; `message(slot)` builds a plain `NodeMessage` when someone asks for one.
 *
 * The slab is a ring too: records are written after the newest and freed from the oldest, as the
 * store appends and evicts. A record that does not fit moves the records into a new slab sized for
 * what is held (slots keep their numbers).
 */
export class MessageColumns {
  head = 0;
  length = 0;
  readonly receivedAt: Float64Array;
  private readonly amounts: BigInt64Array;
  private readonly wideAmounts = new Map<number, bigint>();
  /** Where each record starts in the slab. */
  private readonly starts: Float64Array;
  private readonly dataLengths: Float64Array;
  private readonly idUnits: Uint32Array;
  private readonly replyUnits: Uint32Array;
  private readonly flags: Uint8Array;
  private readonly nodes: Int32Array;
  private readonly senders: Int32Array;
  private readonly serviceTypes: Int32Array;
  readonly idHashes: Int32Array;
  readonly replyHashes: Int32Array;
  /** Keys of the ID index, and of the thread index (by reply-to ID). */
  readonly idKeys: SlotKeys;
  readonly replyKeys: SlotKeys;
  /** A slot's reply-to ID as a key of the ID index: the lookup of its parent, with neither string built. */
  readonly parentKeys: SlotKeys;
  private slab: Buffer;
  /** End of the newest record. */
  private writeAt = 0;
  /** While the records wrap round the slab's end: where the older ones end; else -1. */
  private wrapEnd = -1;
  /** Bytes of the records held. */
  private slabUsed = 0;

  constructor(
    readonly capacity: number,
    private readonly strings: StringTable,
    /** Bytes the records to come need (the records of columns these replace). */
    slabBytes = 0,
  ) {
    this.receivedAt = new Float64Array(capacity);
    this.amounts = new BigInt64Array(capacity);
    this.starts = new Float64Array(capacity);
    this.dataLengths = new Float64Array(capacity);
    this.idUnits = new Uint32Array(capacity);
    this.replyUnits = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.nodes = new Int32Array(capacity);
    this.senders = new Int32Array(capacity);
    this.serviceTypes = new Int32Array(capacity);
    this.idHashes = new Int32Array(capacity);
    this.replyHashes = new Int32Array(capacity);
    this.slab = Buffer.allocUnsafeSlow(slabSize(slabBytes));
    this.idKeys = {
      hashes: this.idHashes,
      sameKey: (a, b) => this.idEncoding(a) === this.idEncoding(b) && this.sameBytes(this.starts[a] as number, this.idLength(a), this.starts[b] as number, this.idLength(b)),
      keyEquals: (slot, key) => this.textEquals(this.starts[slot] as number, this.idUnits[slot] as number, this.idEncoding(slot), key),
    };
    this.replyKeys = {
      hashes: this.replyHashes,
      sameKey: (a, b) => this.replyEncoding(a) === this.replyEncoding(b) && this.sameBytes(this.replyStart(a), this.replyLength(a), this.replyStart(b), this.replyLength(b)),
      keyEquals: (slot, key) => this.textEquals(this.replyStart(slot), this.replyUnits[slot] as number, this.replyEncoding(slot), key),
    };
    this.parentKeys = {
      hashes: this.replyHashes,
      sameKey: (idSlot, slot) =>
        this.idEncoding(idSlot) === this.replyEncoding(slot) && this.sameBytes(this.starts[idSlot] as number, this.idLength(idSlot), this.replyStart(slot), this.replyLength(slot)),
      keyEquals: this.replyKeys.keyEquals,
    };
  }

  /** The slot of the `index`th held message, oldest first. */
  slotAt(index: number): number {
    const slot = this.head + index;
    return slot >= this.capacity ? slot - this.capacity : slot;
  }

  /** Writes a message after the newest (there must be a free slot) and returns its slot. */
  push(message: NodeMessage): number {
    const slot = this.slotAt(this.length);
    const { id, replyToId, data } = message;
    const idHash = scanKey(id);
    const idEncoding = scannedEncoding;
    const replyHash = replyToId ? scanKey(replyToId) : 0;
    const replyEncoding = replyToId ? scannedEncoding : LATIN1;
    const idBytes = keyBytes(id.length, idEncoding);
    const replyBytes = keyBytes(replyToId.length, replyEncoding);
    const start = this.allocate(idBytes + replyBytes + data.byteLength);
    const slab = this.slab;
    writeKey(slab, start, id, idEncoding);
    writeKey(slab, start + idBytes, replyToId, replyEncoding);
    slab.set(data, start + idBytes + replyBytes);
    let flags = idEncoding | (replyEncoding << REPLY_SHIFT) | (Buffer.isBuffer(data) ? BUFFER_DATA : 0);
    const amount = message.amount;
    if (amount >= INT64_MIN && amount <= INT64_MAX) {
      this.amounts[slot] = amount;
    } else {
      flags |= WIDE_AMOUNT;
      this.wideAmounts.set(slot, amount);
    }
    this.flags[slot] = flags;
    this.starts[slot] = start;
    this.dataLengths[slot] = data.byteLength;
    this.idUnits[slot] = id.length;
    this.replyUnits[slot] = replyToId.length;
    this.idHashes[slot] = idHash;
    this.replyHashes[slot] = replyHash;
    this.receivedAt[slot] = message.receivedAt;
    this.nodes[slot] = this.strings.add(message.node);
    this.senders[slot] = this.strings.add(message.fromPubkey);
    this.serviceTypes[slot] = this.strings.add(message.serviceType);
    this.length++;
    return slot;
  }

  /**
   * Writes the record of a message still in its frame's bytes into the slab (its IDs' bytes, a
   * copy of its decoded data), and returns where it starts for `pushEncoded`; -1 when the data is not
   * valid. The record is not taken yet, so the store can first evict what the bounds ask for:
   * evicting frees older records only, never this one. Nothing held changes on -1.
   */
  placeEncoded(message: EncodedMessage): number {
    const idBytes = keyBytes(message.idEnd - message.idStart, message.idHex ? HEX : LATIN1);
    const replyBytes = keyBytes(message.replyEnd - message.replyStart, message.replyHex ? HEX : LATIN1);
    const data = message.data();
    if (data === undefined) {
      return -1;
    }
    const start = this.place(idBytes + replyBytes + data.byteLength);
    const slab = this.slab;
    copyKey(message.bytes, message.idStart, message.idEnd, message.idHex, slab, start);
    copyKey(message.bytes, message.replyStart, message.replyEnd, message.replyHex, slab, start + idBytes);
    slab.set(data, start + idBytes + replyBytes);
    return start;
  }

  /**
   * Writes a copy of the message in `from`'s slot `fromSlot` after the newest (there must be a free
   * slot) and returns its slot: its record's bytes in one copy and its columns as they are, with no
   * key read again and no message built.
   */
  pushCopy(from: MessageColumns, fromSlot: number): number {
    const slot = this.slotAt(this.length);
    const start = this.allocate(from.recordLength(fromSlot));
    const fromStart = from.starts[fromSlot] as number;
    const bytes = from.idLength(fromSlot) + from.replyLength(fromSlot) + (from.dataLengths[fromSlot] as number);
    const slab = this.slab;
    if (bytes <= COPY_LOOP_MAX) {
      for (let i = 0; i < bytes; i++) {
        slab[start + i] = from.slab[fromStart + i] as number;
      }
    } else {
      from.slab.copy(slab, start, fromStart, fromStart + bytes);
    }
    const flags = from.flags[fromSlot] as number;
    this.flags[slot] = flags;
    if (flags & WIDE_AMOUNT) {
      this.wideAmounts.set(slot, from.wideAmounts.get(fromSlot) as bigint);
    } else {
      this.amounts[slot] = from.amounts[fromSlot] as bigint;
    }
    this.starts[slot] = start;
    this.dataLengths[slot] = from.dataLengths[fromSlot] as number;
    this.idUnits[slot] = from.idUnits[fromSlot] as number;
    this.replyUnits[slot] = from.replyUnits[fromSlot] as number;
    this.idHashes[slot] = from.idHashes[fromSlot] as number;
    this.replyHashes[slot] = from.replyHashes[fromSlot] as number;
    this.receivedAt[slot] = from.receivedAt[fromSlot] as number;
    this.nodes[slot] = this.strings.add(from.strings.get(from.nodes[fromSlot] as number));
    this.senders[slot] = this.strings.add(from.strings.get(from.senders[fromSlot] as number));
    this.serviceTypes[slot] = this.strings.add(from.strings.get(from.serviceTypes[fromSlot] as number));
    this.length++;
    return slot;
  }

  /** Takes the record `placeEncoded` wrote at `start` as the newest message (there must be a free slot); returns its slot. */
  pushEncoded(message: EncodedMessage, start: number, node: string, receivedAt: number): number {
    const slot = this.slotAt(this.length);
    const replyUnits = message.replyEnd - message.replyStart;
    // Data is a Buffer, as the decoder builds it, unless there is none (an empty Uint8Array).
    this.flags[slot] = (message.idHex ? HEX : LATIN1) | ((message.replyHex ? HEX : LATIN1) << REPLY_SHIFT) | (message.dataBytes > 0 ? BUFFER_DATA : 0);
    this.amounts[slot] = message.amount;
    this.starts[slot] = start;
    this.dataLengths[slot] = message.dataBytes;
    this.idUnits[slot] = message.idEnd - message.idStart;
    this.replyUnits[slot] = replyUnits;
    this.commit(start, this.recordLength(slot));
    this.idHashes[slot] = message.idHash;
    this.replyHashes[slot] = replyUnits === 0 ? 0 : message.replyHash;
    this.receivedAt[slot] = receivedAt;
    this.nodes[slot] = this.strings.add(node);
    this.senders[slot] = this.strings.add(message.fromPubkey);
    this.serviceTypes[slot] = this.strings.add(message.serviceType);
    this.length++;
    return slot;
  }

  /**
   * Takes every message of `from` (which shares this string table), oldest first, into these
   * columns, empty and with a slot for each: the columns are copied a run at a time and the slab
   * is taken as it is, so no record is copied, unless it is smaller than `slabBytes` (what the
   * records to come are expected to need): then they move to a slab that size and a quarter. `from`
   * is left empty; its strings are these columns' now.
   */
  takeAll(from: MessageColumns, slabBytes = 0): void {
    const length = from.length;
    if (this.length !== 0 || this.capacity < length) {
      throw new Error(`takeAll needs empty columns of at least ${length} slots`);
    }
    const head = from.head;
    const firstRun = Math.min(length, from.capacity - head);
    const runs = { head, firstRun, length };
    copyRing(this.receivedAt, from.receivedAt, runs);
    copyRing(this.amounts, from.amounts, runs);
    copyRing(this.starts, from.starts, runs);
    copyRing(this.dataLengths, from.dataLengths, runs);
    copyRing(this.idUnits, from.idUnits, runs);
    copyRing(this.replyUnits, from.replyUnits, runs);
    copyRing(this.flags, from.flags, runs);
    copyRing(this.nodes, from.nodes, runs);
    copyRing(this.senders, from.senders, runs);
    copyRing(this.serviceTypes, from.serviceTypes, runs);
    copyRing(this.idHashes, from.idHashes, runs);
    copyRing(this.replyHashes, from.replyHashes, runs);
    for (const [slot, amount] of from.wideAmounts) {
      this.wideAmounts.set(slot >= head ? slot - head : slot + from.capacity - head, amount);
    }
    this.slab = from.slab;
    this.writeAt = from.writeAt;
    this.wrapEnd = from.wrapEnd;
    this.slabUsed = from.slabUsed;
    this.length = length;
    from.wideAmounts.clear();
    from.slab = Buffer.alloc(0);
    from.head = 0;
    from.length = 0;
    from.writeAt = 0;
    from.wrapEnd = -1;
    from.slabUsed = 0;
    if (slabSize(slabBytes) > this.slab.length) {
      this.moveTo(slabSize(slabBytes));
    }
  }

  /** Drops the oldest message: its strings and its record. */
  shift(): void {
    const slot = this.head;
    this.strings.release(this.nodes[slot] as number);
    this.strings.release(this.senders[slot] as number);
    this.strings.release(this.serviceTypes[slot] as number);
    if ((this.flags[slot] as number) & WIDE_AMOUNT) {
      this.wideAmounts.delete(slot);
    }
    this.slabUsed -= this.recordLength(slot);
    this.head = this.slotAt(1);
    this.length--;
    if (this.length === 0) {
      this.writeAt = 0;
      this.wrapEnd = -1;
    } else if (this.wrapEnd >= 0 && (this.starts[this.head] as number) < this.writeAt) {
      // The older records before the wrap are gone.
      this.wrapEnd = -1;
    }
  }

  /** Drops every message's strings (the columns are then thrown away). */
  releaseAll(): void {
    while (this.length > 0) {
      this.shift();
    }
  }

  /** Bytes of the records held, for the next columns' slab. */
  get recordBytes(): number {
    return this.slabUsed;
  }

  /** `messageBytes` of the message in `slot`. */
  bytesOf(slot: number): number {
    const strings =
      (this.idUnits[slot] as number) +
      (this.replyUnits[slot] as number) +
      this.strings.get(this.senders[slot] as number).length +
      this.strings.get(this.serviceTypes[slot] as number).length;
    return budgetBytes(this.dataLengths[slot] as number, strings);
  }

  /**
   * The message in `slot`, built anew: a plain object with its own strings and bytes. `written`,
   * the message `pushEncoded` just wrote into `slot`, gives the IDs from its frame's ASCII bytes
   * (quicker than writing hex digits again) and the data it decoded (copied into the slab).
   */
  message(slot: number, written?: EncodedMessage): NodeMessage {
    const flags = this.flags[slot] as number;
    const idStart = this.starts[slot] as number;
    const replyStart = idStart + this.idLength(slot);
    const dataStart = replyStart + this.replyLength(slot);
    const dataEnd = dataStart + (this.dataLengths[slot] as number);
    let data: Uint8Array;
    if (written !== undefined) {
      data = written.data() as Uint8Array;
    } else if (flags & BUFFER_DATA) {
      data = Buffer.allocUnsafe(dataEnd - dataStart);
      if (dataEnd - dataStart <= COPY_LOOP_MAX) {
        for (let i = dataStart, at = 0; i < dataEnd; i++, at++) {
          data[at] = this.slab[i] as number;
        }
      } else {
        this.slab.copy(data, 0, dataStart, dataEnd);
      }
    } else {
      data = new Uint8Array(this.slab.subarray(dataStart, dataEnd));
    }
    return {
      node: this.strings.get(this.nodes[slot] as number),
      id: written ? latin1Text(written.bytes, written.idStart, written.idEnd) : keyText(this.slab, this.idEncoding(slot), idStart, replyStart),
      replyToId:
        replyStart === dataStart
          ? ''
          : written
            ? latin1Text(written.bytes, written.replyStart, written.replyEnd)
            : keyText(this.slab, this.replyEncoding(slot), replyStart, dataStart),
      fromPubkey: this.strings.get(this.senders[slot] as number),
      data,
      serviceType: this.strings.get(this.serviceTypes[slot] as number),
      amount: flags & WIDE_AMOUNT ? (this.wideAmounts.get(slot) as bigint) : (this.amounts[slot] as bigint),
      receivedAt: this.receivedAt[slot] as number,
    };
  }

  /**
   * Writes the message in `slot` as the journal's line, `JSON.stringify(messageToJson(message))`
   * and a newline in UTF-8, into `target` at `at`, without building the message: the shared
   * strings' JSON is made once (`StringTable.json`), hex IDs are written from their bytes, the data
   * goes to base64 straight from the slab. Returns where the line ends or, when it does not fit
   * before `target`'s end, minus its length (nothing written).
   */
  writeJsonLine(slot: number, target: Buffer, at: number): number {
    const flags = this.flags[slot] as number;
    const idStart = this.starts[slot] as number;
    const replyStart = idStart + this.idLength(slot);
    const dataStart = replyStart + this.replyLength(slot);
    const dataEnd = dataStart + (this.dataLengths[slot] as number);
    const node = this.strings.json(this.nodes[slot] as number);
    const sender = this.strings.json(this.senders[slot] as number);
    const serviceType = this.strings.json(this.serviceTypes[slot] as number);
    const id = this.keyJson(this.idEncoding(slot), idStart, replyStart);
    const reply = this.keyJson(this.replyEncoding(slot), replyStart, dataStart);
    const amount = (flags & WIDE_AMOUNT ? (this.wideAmounts.get(slot) as bigint) : (this.amounts[slot] as bigint)).toString();
    // As JSON.stringify writes a number (`null` for one that is not finite).
    const receivedAt = JSON.stringify(this.receivedAt[slot]);
    const length =
      LINE_PART_BYTES +
      node.length +
      sender.length +
      serviceType.length +
      (id ?? 2 + replyStart - idStart) +
      (reply ?? 2 + dataStart - replyStart) +
      4 * Math.ceil((dataEnd - dataStart) / 3) +
      amount.length +
      receivedAt.length;
    if (at + length > target.length) {
      return -length;
    }
    at = putBytes(target, at, LINE_PARTS[0] as Uint8Array);
    at = putBytes(target, at, node);
    at = putBytes(target, at, LINE_PARTS[1] as Uint8Array);
    at = this.putKey(target, at, this.idEncoding(slot), idStart, replyStart, id);
    at = putBytes(target, at, LINE_PARTS[2] as Uint8Array);
    at = this.putKey(target, at, this.replyEncoding(slot), replyStart, dataStart, reply);
    at = putBytes(target, at, LINE_PARTS[3] as Uint8Array);
    at = putBytes(target, at, sender);
    at = putBytes(target, at, LINE_PARTS[4] as Uint8Array);
    if (dataEnd > dataStart) {
      at += writeLatin1(target, base64Text(this.slab, dataStart, dataEnd), at);
    }
    at = putBytes(target, at, LINE_PARTS[5] as Uint8Array);
    at = putBytes(target, at, serviceType);
    at = putBytes(target, at, LINE_PARTS[6] as Uint8Array);
    at = putAscii(target, at, amount);
    at = putBytes(target, at, LINE_PARTS[7] as Uint8Array);
    at = putAscii(target, at, receivedAt);
    return putBytes(target, at, LINE_PARTS[8] as Uint8Array);
  }

  /**
   * How a key in `slab[start, end)` is written as a JSON string: `undefined` when its bytes are
   * written as they are (hex digits, or printable ASCII with nothing to escape), and the JSON's
   * length is then theirs plus the quotes; else its JSON text's UTF-8 length (`putKey` makes it again).
   */
  private keyJson(encoding: number, start: number, end: number): number | undefined {
    if (encoding === HEX) {
      return 2 + 2 * (end - start);
    }
    if (encoding === LATIN1 && plainAscii(this.slab, start, end)) {
      return undefined;
    }
    return Buffer.byteLength(JSON.stringify(keyText(this.slab, encoding, start, end)), 'utf8');
  }

  private putKey(target: Buffer, at: number, encoding: number, start: number, end: number, json: number | undefined): number {
    const slab = this.slab;
    if (encoding === HEX) {
      target[at++] = QUOTE;
      for (let i = start; i < end; i++) {
        const byte = slab[i] as number;
        target[at++] = HEX_DIGIT_BYTES[byte >> 4] as number;
        target[at++] = HEX_DIGIT_BYTES[byte & 15] as number;
      }
      target[at++] = QUOTE;
      return at;
    }
    if (json === undefined) {
      target[at++] = QUOTE;
      for (let i = start; i < end; i++) {
        target[at++] = slab[i] as number;
      }
      target[at++] = QUOTE;
      return at;
    }
    return at + target.write(JSON.stringify(keyText(slab, encoding, start, end)), at, json, 'utf8');
  }

  hasId(slot: number): boolean {
    return this.idUnits[slot] !== 0;
  }

  hasReplyTo(slot: number): boolean {
    return this.replyUnits[slot] !== 0;
  }

  /** The sender of the message in `slot`, without building the message. */
  sender(slot: number): string {
    return this.strings.get(this.senders[slot] as number);
  }

  /** The service type of the message in `slot`, without building the message. */
  serviceType(slot: number): string {
    return this.strings.get(this.serviceTypes[slot] as number);
  }

  private idEncoding(slot: number): number {
    return (this.flags[slot] as number) & 3;
  }

  private replyEncoding(slot: number): number {
    return ((this.flags[slot] as number) >> REPLY_SHIFT) & 3;
  }

  private idLength(slot: number): number {
    return keyBytes(this.idUnits[slot] as number, this.idEncoding(slot));
  }

  private replyLength(slot: number): number {
    return keyBytes(this.replyUnits[slot] as number, this.replyEncoding(slot));
  }

  private replyStart(slot: number): number {
    return (this.starts[slot] as number) + this.idLength(slot);
  }

  private recordLength(slot: number): number {
    return Math.max(1, this.idLength(slot) + this.replyLength(slot) + (this.dataLengths[slot] as number));
  }

  /** Same bytes (of keys in the same encoding): a string has one encoding, so the same string. */
  private sameBytes(aStart: number, aLength: number, bStart: number, bLength: number): boolean {
    if (aLength !== bLength) {
      return false;
    }
    const slab = this.slab;
    if (aLength > COMPARE_LOOP_MAX) {
      return slab.compare(slab, aStart, aStart + aLength, bStart, bStart + bLength) === 0;
    }
    for (let i = 0; i < aLength; i++) {
      if (slab[aStart + i] !== slab[bStart + i]) {
        return false;
      }
    }
    return true;
  }

  private textEquals(start: number, units: number, encoding: number, text: string): boolean {
    if (units !== text.length) {
      return false;
    }
    const slab = this.slab;
    if (encoding === HEX) {
      for (let i = 0; i < units; i++) {
        const byte = slab[start + (i >> 1)] as number;
        if (HEX_DIGITS.charCodeAt(i & 1 ? byte & 15 : byte >> 4) !== text.charCodeAt(i)) {
          return false;
        }
      }
    } else if (encoding === UTF16) {
      for (let i = 0; i < units; i++) {
        if (((slab[start + 2 * i] as number) | ((slab[start + 2 * i + 1] as number) << 8)) !== text.charCodeAt(i)) {
          return false;
        }
      }
    } else {
      for (let i = 0; i < units; i++) {
        if (slab[start + i] !== text.charCodeAt(i)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Takes room for a record of `length` bytes: `place`, then `commit`. */
  private allocate(length: number): number {
    const start = this.place(length);
    this.commit(start, length);
    return start;
  }

  /**
   * Where a record of `length` bytes goes: after the newest, or at the slab's start when the
   * oldest have left room there. Every record takes at least a byte, so the newest ends past the
   * oldest's start exactly when the records do not wrap. When neither fits, or the records would
   * wrap round a slab four times what they need, they move to a new slab a quarter larger than that.
   * The room is the record's once `commit` takes it; evicting the oldest in between frees only
   * other records.
   */
  private place(length: number): number {
    const size = Math.max(1, length);
    const needed = this.slabUsed + size;
    if (this.length === 0) {
      this.writeAt = 0;
      this.wrapEnd = -1;
    }
    let start = -1;
    const oldestStart = this.length === 0 ? 0 : (this.starts[this.head] as number);
    if (this.wrapEnd < 0) {
      if (this.writeAt + size <= this.slab.length) {
        start = this.writeAt;
      } else if (size <= oldestStart && (this.slab.length <= MIN_SLAB_BYTES || this.slab.length < 4 * needed)) {
        start = 0;
      }
    } else if (this.writeAt + size <= oldestStart) {
      start = this.writeAt;
    }
    if (start < 0) {
      this.moveTo(slabSize(needed));
      start = this.writeAt;
    }
    return start;
  }

  /** Takes the room `place` gave as the newest record (before `length` counts it). */
  private commit(start: number, length: number): void {
    const size = Math.max(1, length);
    if (this.length === 0) {
      this.wrapEnd = -1;
    } else if (this.wrapEnd < 0 && start < this.writeAt) {
      // The first record at the slab's start, before the older ones: the records now wrap.
      this.wrapEnd = this.writeAt;
    }
    this.writeAt = start + size;
    this.slabUsed += size;
  }

  /**
   * Moves the held records, oldest first, to the start of a new slab of `bytes`. They lie end to
   * end from the oldest's start (every record is written where the newest ends, or at the slab's
   * start when they wrap), so they move in at most two copies: to the newest's end, or, while they
   * wrap, to `wrapEnd` and then from the slab's start to the newest's end.
   */
  private moveTo(bytes: number): void {
    const slab = Buffer.allocUnsafeSlow(bytes);
    let at = 0;
    if (this.length > 0) {
      const oldestStart = this.starts[this.head] as number;
      const olderEnd = this.wrapEnd < 0 ? this.writeAt : this.wrapEnd;
      this.slab.copy(slab, 0, oldestStart, olderEnd);
      at = olderEnd - oldestStart;
      for (let i = 0; i < this.length; i++) {
        const slot = this.slotAt(i);
        const start = this.starts[slot] as number;
        this.starts[slot] = start >= oldestStart ? start - oldestStart : start + at;
      }
      if (this.wrapEnd >= 0) {
        this.slab.copy(slab, at, 0, this.writeAt);
        at += this.writeAt;
      }
    }
    this.slab = slab;
    this.writeAt = at;
    this.wrapEnd = -1;
  }
}

interface RingRuns {
  /** The oldest's slot, the slots from it to the end of the ring, and all the slots taken. */
  readonly head: number;
  readonly firstRun: number;
  readonly length: number;
}

/** Copies a column's taken slots, oldest first, to the start of `to`: from the head to the ring's end, then from its start. */
function copyRing<T extends Column<T>>(to: T, from: T, { head, firstRun, length }: RingRuns): void {
  to.set(from.subarray(head, head + firstRun), 0);
  to.set(from.subarray(0, length - firstRun), firstRun);
}

/** A typed array, as `copyRing` uses it. */
interface Column<T> {
  set(array: T, offset: number): void;
  subarray(begin: number, end: number): T;
}

/**
 * What a held message costs for the byte budget (`messageBytes`): its data, plus its strings
 * (`codeUnits` in all) at two bytes per UTF-16 code unit.
 */
export function budgetBytes(dataBytes: number, codeUnits: number): number {
  return dataBytes + 2 * codeUnits;
}

/** `messageBytes` of a message still in its frame's bytes. */
export function encodedMessageBytes(message: EncodedMessage): number {
  return budgetBytes(message.dataBytes, message.idEnd - message.idStart + message.replyEnd - message.replyStart + message.fromPubkey.length + message.serviceType.length);
}

/** A slab for records of `bytes`: a quarter as large again, so the ring has room to turn. */
function slabSize(bytes: number): number {
  return Math.max(MIN_SLAB_BYTES, Math.ceil(bytes * 1.25));
}

const HEX_DIGITS = '0123456789abcdef';
/** 1 for the code units of lowercase hex digits, below 'g'. */
const IS_HEX_DIGIT = new Uint8Array(0x67).map((_, unit) => (HEX_DIGITS.includes(String.fromCharCode(unit)) ? 1 : 0));

/** The journal line's fixed parts, around its fields, in `messageToJson`'s order. */
const LINE_PARTS = ['{"node":', ',"id":', ',"replyToId":', ',"fromPubkey":', ',"data":"', '","serviceType":', ',"amount":"', '","receivedAt":', '}\n'].map((part) =>
  Buffer.from(part, 'latin1'),
);
const LINE_PART_BYTES = LINE_PARTS.reduce((sum, part) => sum + part.length, 0);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HEX_DIGIT_BYTES = Buffer.from(HEX_DIGITS, 'latin1');

/** Whether `bytes[start, end)` are printable ASCII without a quote or backslash: their JSON string is themselves, quoted. */
function plainAscii(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte < 0x20 || byte > 0x7e || byte === QUOTE || byte === BACKSLASH) {
      return false;
    }
  }
  return true;
}

/** Copies `bytes` into `target` at `at`; returns where they end. A loop for the few dozen bytes of a field. */
function putBytes(target: Buffer, at: number, bytes: Uint8Array): number {
  if (bytes.length > COPY_LOOP_MAX) {
    target.set(bytes, at);
    return at + bytes.length;
  }
  for (let i = 0; i < bytes.length; i++) {
    target[at++] = bytes[i] as number;
  }
  return at;
}

/** Writes ASCII `text` (a number's digits) into `target` at `at`; returns where it ends. */
function putAscii(target: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    target[at++] = text.charCodeAt(i);
  }
  return at;
}

/** The encoding of the last key `scanKey` read. */
let scannedEncoding = LATIN1;

/** `hashKey(key)`, noting its encoding in `scannedEncoding` in the same pass over its code units. */
function scanKey(key: string): number {
  let hash = HASH_START;
  let units = 0;
  let hex = key.length % 2 === 0 ? 1 : 0;
  for (let i = 0; i < key.length; i++) {
    const unit = key.charCodeAt(i);
    units |= unit;
    hex &= unit < 0x67 ? (IS_HEX_DIGIT[unit] as number) : 0;
    hash = Math.imul(hash ^ unit, HASH_PRIME);
  }
  scannedEncoding = units > 0xff ? UTF16 : hex === 1 && key.length > 0 ? HEX : LATIN1;
  return finishHash(hash);
}

/** Each lowercase hex digit's value, by code unit (`scanKey` has checked the key is hex). */
const HEX_VALUES = new Uint8Array(0x67).map((_, unit) => Math.max(0, HEX_DIGITS.indexOf(String.fromCharCode(unit))));

/**
 * Writes a key's bytes at `at`, in its encoding (from `scanKey`). A loop, not `Buffer#write`: for
 * an ID's few dozen characters the call into Node costs more than the writing.
 */
function writeKey(slab: Buffer, at: number, key: string, encoding: number): void {
  if (encoding === HEX) {
    for (let i = 0; i < key.length; i += 2) {
      slab[at++] = ((HEX_VALUES[key.charCodeAt(i)] as number) << 4) | (HEX_VALUES[key.charCodeAt(i + 1)] as number);
    }
  } else if (encoding === LATIN1) {
    for (let i = 0; i < key.length; i++) {
      slab[at + i] = key.charCodeAt(i);
    }
  } else {
    slab.write(key, at, 2 * key.length, 'utf16le');
  }
}

/** Writes an ASCII key from a frame's bytes at `at`: two hex digits to a byte, or byte for byte. */
function copyKey(frame: Buffer, start: number, end: number, hex: boolean, slab: Buffer, at: number): void {
  if (hex) {
    for (let i = start; i < end; i += 2) {
      slab[at++] = ((HEX_VALUES[frame[i] as number] as number) << 4) | (HEX_VALUES[frame[i + 1] as number] as number);
    }
  } else {
    for (let i = start; i < end; i++) {
      slab[at++] = frame[i] as number;
    }
  }
}

/** The key stored in `slab[start, end)` in `encoding`, as a string again. */
function keyText(slab: Buffer, encoding: number, start: number, end: number): string {
  return encoding === HEX ? hexText(slab, start, end) : encoding === LATIN1 ? latin1Text(slab, start, end) : utf16Text(slab, start, end);
}

/** Bytes a key of `units` code units takes in `encoding`. */
function keyBytes(units: number, encoding: number): number {
  return encoding === HEX ? units / 2 : encoding === UTF16 ? 2 * units : units;
}
