import { latin1Text, writeBase64 } from '../base/bufferText';
import type { EncodedMessage } from '../messages/encodedMessage';
import { finishHash, HASH_PRIME, HASH_START } from '../messages/slotTable';
import type { NodeMessage } from '../nodeMessage';
import type { WireField } from './wireTypes';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const EMPTY_FRAME = Buffer.alloc(0);
/** The data of a message with none, as the general path gives it. */
const EMPTY_DATA = new Uint8Array(0);

/** Each byte's value as a base64 digit, or 64 for a byte that is none (`=` included). */
const BASE64_DIGITS = (() => {
  const digits = new Uint8Array(256).fill(64);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) {
    digits[alphabet.charCodeAt(i)] = i;
  }
  return digits;
})();

/**
 * Longer base64 is decoded by Node (one native call); up to this many characters a loop over the
 * frame's bytes is quicker than making the string that call needs.
 */
const BASE64_LOOP_MAX = 512;

/** Amounts of up to this many digits are read as a Number first (exact below 2^53). */
const SAFE_DIGITS = 15;
/** Most messages carry a few sats: share those values instead of making a BigInt per message. */
const SMALL_AMOUNTS = Array.from({ length: 1000 }, (_, value) => BigInt(value));

/** Places in the cache of senders and service types, in sets of two (see `WordCache`). */
const WORD_CACHE_PLACES = 64;
/** Longer senders and service types are not cached (a DID or a pubkey is well under this). */
const WORD_CACHE_MAX_BYTES = 256;

/**
 * `FrameDecoder`'s fast path: reads the frame the node's gateway actually sends straight from its
 * UTF-8 bytes, without making the frame's text or JSON.parse's object tree:
 * `{"result":{"id":"…","replyToId":"…","fromPubkey":"…","data":"…","serviceType":"…","amount":"…"}}`,
 * compact, every field present, in field-number order, every value a JSON string. The keys and
 * their order come from the `SubscribeResponse` field table, so the .proto still decides them.
 *
 * A frame is taken only when every string value is printable ASCII without a backslash, `data`
 * is padded standard base64 and `amount` a decimal of at most 15 digits: then what is read here
 * is exactly what JSON.parse and the general path would give. Anything else is declined and the
 * frame goes the general way, which decodes it or rejects it with its reason.
 *
 * `read` finds the fields and leaves them here, in the frame's bytes (an `EncodedMessage`): a
 * store writes them into its columns from there (`MessageStore.appendEncoded`), the data decoded
 * once into the Buffer the message hands out and copied into its slab, and builds the message
 * from what it holds. `message` builds it here instead, for a decoder with no store. Either way
 * nothing refers to the frame once it is read; senders and service types repeat, and come from a
 * small cache that finds a value met before by its first bytes and then only compares it; small
 * amounts are shared.
 */
export class FrameDecoderFastPath implements EncodedMessage {
  private readonly prefix: Uint8Array;
  private readonly separators: readonly Uint8Array[];
  private static readonly SUFFIX = Buffer.from('"}}');
  private readonly words = new WordCache();

  bytes: Buffer = EMPTY_FRAME;
  idStart = 0;
  idEnd = 0;
  idHash = 0;
  idHex = false;
  replyStart = 0;
  replyEnd = 0;
  replyHash = 0;
  replyHex = false;
  private dataStart = 0;
  private dataEnd = 0;
  dataBytes = 0;
  fromPubkey = '';
  serviceType = '';
  amount = 0n;
  /** The data once `data()` decoded it (false: it is not base64), until `done`. */
  private decoded: Uint8Array | false | undefined = undefined;

  constructor(fields: readonly WireField[]) {
    const keys = [...fields].sort((a, b) => a.id - b.id).map((field) => field.jsonName);
    this.prefix = Buffer.from(`{"result":{"${keys[0]}":"`);
    this.separators = keys.slice(1).map((key) => Buffer.from(`","${key}":"`));
  }

  /**
   * Finds the fields of `frame`, if it is canonical, and leaves them in this reader until `done`.
   * The data is only measured: `data()` decodes it, or declines it when it is not base64.
   */
  read(frame: Buffer): boolean {
    const separators = this.separators;
    if (separators.length !== 5 || !bytesAt(frame, 0, this.prefix)) {
      return false;
    }
    const idStart = this.prefix.length;
    const idEnd = scanKey(frame, idStart);
    const idHash = scannedHash;
    const idHex = scannedHex;
    const replyStart = after(frame, idEnd, separators[0] as Uint8Array);
    const replyEnd = scanKey(frame, replyStart);
    const senderStart = after(frame, replyEnd, separators[1] as Uint8Array);
    const fromPubkey = this.words.read(frame, senderStart);
    const senderEnd = wordEnd;
    const dataStart = after(frame, senderEnd, separators[2] as Uint8Array);
    if (dataStart < 0) {
      return false;
    }
    const dataEnd = frame.indexOf(QUOTE, dataStart);
    const typeStart = after(frame, dataEnd, separators[3] as Uint8Array);
    const serviceType = this.words.read(frame, typeStart);
    const typeEnd = wordEnd;
    const amountStart = after(frame, typeEnd, separators[4] as Uint8Array);
    if (amountStart < 0) {
      return false;
    }
    const amountEnd = frame.indexOf(QUOTE, amountStart);
    if (amountEnd < 0 || amountEnd + FrameDecoderFastPath.SUFFIX.length !== frame.byteLength || !bytesAt(frame, amountEnd, FrameDecoderFastPath.SUFFIX)) {
      return false;
    }
    const amount = readAmount(frame, amountStart, amountEnd);
    const dataBytes = base64Size(frame, dataStart, dataEnd);
    if (amount === undefined || dataBytes < 0) {
      return false;
    }
    this.bytes = frame;
    this.idStart = idStart;
    this.idEnd = idEnd;
    this.idHash = idHash;
    this.idHex = idHex;
    this.replyStart = replyStart;
    this.replyEnd = replyEnd;
    this.replyHash = scannedHash;
    this.replyHex = scannedHex;
    this.dataStart = dataStart;
    this.dataEnd = dataEnd;
    this.dataBytes = dataBytes;
    this.fromPubkey = fromPubkey;
    this.serviceType = serviceType;
    this.amount = amount;
    return true;
  }

  /** Lets go of the frame `read` read. */
  done(): void {
    this.bytes = EMPTY_FRAME;
    this.decoded = undefined;
  }

  /** See `EncodedMessage.data`: a new Buffer per frame, or `EMPTY_DATA` for none. */
  data(): Uint8Array | undefined {
    if (this.decoded === undefined) {
      const bytes = this.dataBytes > 0 ? Buffer.allocUnsafe(this.dataBytes) : EMPTY_DATA;
      this.decoded = this.dataBytes === 0 || decodeBase64(this.bytes, this.dataStart, this.dataEnd, bytes as Buffer, 0, this.dataBytes) ? bytes : false;
    }
    return this.decoded === false ? undefined : this.decoded;
  }

  /** The message `read` read, as an object of its own; `undefined` when its data is not base64. */
  message(node: string, receivedAt: number): NodeMessage | undefined {
    const data = this.data();
    if (data === undefined) {
      return undefined;
    }
    const frame = this.bytes;
    return {
      node,
      id: latin1Text(frame, this.idStart, this.idEnd),
      replyToId: this.replyEnd === this.replyStart ? '' : latin1Text(frame, this.replyStart, this.replyEnd),
      fromPubkey: this.fromPubkey,
      data,
      serviceType: this.serviceType,
      amount: this.amount,
      receivedAt,
    };
  }
}

/** Whether `frame` holds `bytes` at `at`. */
function bytesAt(frame: Uint8Array, at: number, bytes: Uint8Array): boolean {
  if (at < 0 || at + bytes.length > frame.length) {
    return false;
  }
  for (let i = 0; i < bytes.length; i++) {
    if (frame[at + i] !== bytes[i]) {
      return false;
    }
  }
  return true;
}

/** Where the next value starts: after `separator` at `end` (a value's closing quote); -1 if it is not there. */
function after(frame: Uint8Array, end: number, separator: Uint8Array): number {
  return end >= 0 && bytesAt(frame, end, separator) ? end + separator.length : -1;
}

/**
 * The closing quote of a string value from `start`, every byte before it printable ASCII other
 * than a backslash (so the bytes are the value's characters, as JSON.parse would read them); -1
 * for anything else.
 */
function asciiEnd(frame: Uint8Array, start: number): number {
  if (start < 0) {
    return -1;
  }
  for (let i = start; i < frame.length; i++) {
    const kind = BYTE_CLASS[frame[i] as number] as number;
    if (kind & (CLOSES | DECLINED)) {
      return kind & DECLINED ? -1 : i;
    }
  }
  return -1;
}

/**
 * The size of what the padded standard base64 in `frame[start, end)` decodes to, or -1 when its
 * length or padding says it is anything else (a pre-0.1.4 node's plain text): then the general
 * path reads it. Its digits are checked as they are decoded (`decodeBase64`).
 */
function base64Size(frame: Buffer, start: number, end: number): number {
  const length = end - start;
  if (length % 4 !== 0) {
    return -1;
  }
  if (length === 0) {
    return 0;
  }
  const padding = frame[end - 1] === EQUALS ? (frame[end - 2] === EQUALS ? 2 : 1) : 0;
  return (length / 4) * 3 - padding;
}

/**
 * Decodes the padded standard base64 in `frame[start, end)` (of `size` bytes, from `base64Size`)
 * into `target` at `at`; false when a character is not base64 or an `=` is not padding (an
 * escape, base64url), and `target` then holds garbage there.
 */
function decodeBase64(frame: Buffer, start: number, end: number, target: Buffer, at: number, size: number): boolean {
  const length = end - start;
  if (length === 0) {
    return true;
  }
  if (length > BASE64_LOOP_MAX) {
    // Node's decoder skips what is not base64 (so the size tells), but reads base64url's `-` and `_` too.
    if (hasByte(frame, MINUS, start, end) || hasByte(frame, 0x5f, start, end)) {
      return false;
    }
    return writeBase64(target, latin1Text(frame, start, end), at, size) === size;
  }
  const padding = (length / 4) * 3 - size;
  const whole = start + length - 4;
  for (let i = start; i < whole; i += 4) {
    const a = BASE64_DIGITS[frame[i] as number] as number;
    const b = BASE64_DIGITS[frame[i + 1] as number] as number;
    const c = BASE64_DIGITS[frame[i + 2] as number] as number;
    const d = BASE64_DIGITS[frame[i + 3] as number] as number;
    if ((a | b | c | d) & 64) {
      return false;
    }
    target[at++] = (a << 2) | (b >> 4);
    target[at++] = ((b & 15) << 4) | (c >> 2);
    target[at++] = ((c & 3) << 6) | d;
  }
  // The last quantum, with its padding.
  const a = BASE64_DIGITS[frame[whole] as number] as number;
  const b = BASE64_DIGITS[frame[whole + 1] as number] as number;
  const c = padding === 2 ? 0 : (BASE64_DIGITS[frame[whole + 2] as number] as number);
  const d = padding >= 1 ? 0 : (BASE64_DIGITS[frame[whole + 3] as number] as number);
  if ((a | b | c | d) & 64) {
    return false;
  }
  target[at++] = (a << 2) | (b >> 4);
  if (padding < 2) {
    target[at++] = ((b & 15) << 4) | (c >> 2);
  }
  if (padding < 1) {
    target[at] = ((c & 3) << 6) | d;
  }
  return true;
}

// What each byte is to a string value of the fast path (`BYTE_CLASS`), so a scan tests one
// table entry a byte: a lowercase hex digit, the closing quote, or a byte it declines (control
// characters, DEL and above, the backslash of an escape).
const HEX_DIGIT = 1;
const CLOSES = 2;
const DECLINED = 4;
const BYTE_CLASS = (() => {
  const table = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) {
    table[byte] = byte === QUOTE ? CLOSES : byte < 0x20 || byte > 0x7e || byte === BACKSLASH ? DECLINED : 0;
  }
  for (const digit of '0123456789abcdef') {
    table[digit.charCodeAt(0)] = HEX_DIGIT;
  }
  return table;
})();

/** The hash and form of the last key `scanKey` read. */
let scannedHash = 0;
let scannedHex = false;

/**
 * `asciiEnd` of an ID, reading in the same pass its `hashKey` (its code units are its bytes) into
 * `scannedHash` and whether it is lowercase hex of even length into `scannedHex`.
 */
function scanKey(frame: Uint8Array, start: number): number {
  if (start < 0) {
    return -1;
  }
  let hash = HASH_START;
  let hex = HEX_DIGIT;
  for (let i = start; i < frame.length; i++) {
    const byte = frame[i] as number;
    const kind = BYTE_CLASS[byte] as number;
    if (kind & (CLOSES | DECLINED)) {
      if (kind & DECLINED) {
        return -1;
      }
      const length = i - start;
      scannedHash = finishHash(hash);
      scannedHex = hex === HEX_DIGIT && length > 0 && length % 2 === 0;
      return i;
    }
    hex &= kind;
    hash = Math.imul(hash ^ byte, HASH_PRIME);
  }
  return -1;
}

function hasByte(frame: Buffer, byte: number, start: number, end: number): boolean {
  const at = frame.indexOf(byte, start);
  return at >= 0 && at < end;
}

/** A decimal of 1 to 15 digits, optionally negative; `undefined` otherwise (the general path reads longer ones). */
function readAmount(frame: Uint8Array, start: number, end: number): bigint | undefined {
  const negative = frame[start] === MINUS;
  const first = negative ? start + 1 : start;
  if (first === end || end - first > SAFE_DIGITS) {
    return undefined;
  }
  let value = 0;
  for (let i = first; i < end; i++) {
    const digit = (frame[i] as number) - DIGIT_0;
    if (digit < 0 || digit > 9) {
      return undefined;
    }
    value = value * 10 + digit;
  }
  const amount = value < SMALL_AMOUNTS.length ? (SMALL_AMOUNTS[value] as bigint) : BigInt(value);
  return negative && value !== 0 ? -amount : amount;
}

/** Where the value `WordCache.read` read ends (its closing quote), or -1 when it declined it. */
let wordEnd = -1;

/**
 * The strings of short ASCII values that repeat from frame to frame (a node's few senders and
 * service types): a cache of 32 sets of two places, so a repeated value is one shared string
 * instead of a new one per message. A value that misses takes its set's first place and moves what
 * was there to the second; the cache never grows, whatever a peer sends.
 */
class WordCache {
  private readonly words: (Buffer | undefined)[] = new Array<Buffer | undefined>(WORD_CACHE_PLACES);
  private readonly texts: string[] = new Array<string>(WORD_CACHE_PLACES).fill('');

  /**
   * The string value from `start` to its closing quote, which `wordEnd` is then set to; `''` and
   * -1 when a byte before it is not printable ASCII or is a backslash (see `asciiEnd`).
   */
  read(frame: Buffer, start: number): string {
    wordEnd = -1;
    if (start < 0) {
      return '';
    }
    // A set of two places, from the first few bytes (after a pubkey's 02 or 03), so a value met
    // before is found before its end is: it is then only compared, as every cached value was checked
    // when it was cached. Values that share a set only miss, so no peer can make this slow.
    let hash = 0x811c9dc5;
    for (let i = start + 2, last = Math.min(frame.length, start + 10); i < last; i++) {
      hash = Math.imul(hash ^ (frame[i] as number), 0x01000193);
    }
    const first = (hash ^ (hash >>> 15)) & (WORD_CACHE_PLACES - 2);
    if (this.holds(first, frame, start)) {
      return this.texts[first] as string;
    }
    if (this.holds(first + 1, frame, start)) {
      return this.texts[first + 1] as string;
    }
    const end = asciiEnd(frame, start);
    if (end < 0) {
      return '';
    }
    wordEnd = end;
    if (end === start) {
      return '';
    }
    const text = latin1Text(frame, start, end);
    if (end - start <= WORD_CACHE_MAX_BYTES) {
      // The newest value takes the set's first place; what was there moves to the second.
      this.put(first + 1, this.words[first], this.texts[first] as string);
      this.put(first, Buffer.from(frame.subarray(start, end)), text);
    }
    return text;
  }

  /** Whether `place` holds the value at `start`; then `wordEnd` is its end. */
  private holds(place: number, frame: Buffer, start: number): boolean {
    const word = this.words[place];
    if (word !== undefined && frame[start + word.length] === QUOTE && bytesAt(frame, start, word)) {
      wordEnd = start + word.length;
      return true;
    }
    return false;
  }

  private put(place: number, word: Buffer | undefined, text: string): void {
    this.words[place] = word;
    this.texts[place] = text;
  }
}
