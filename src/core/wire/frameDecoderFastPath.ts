import type { NodeMessage } from '../nodeMessage';
import type { WireField } from './wireTypes';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const EMPTY = new Uint8Array(0);

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

/** Places in the cache of senders and service types (see `WordCache`). */
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
 * is exactly what JSON.parse and the general path would give. Anything else returns `undefined`
 * and the frame goes the general way, which decodes it or rejects it with its reason.
 *
 * What it makes: the message object, the ID and reply-to ID as strings of their own (nothing
 * refers to the frame once it is read), the data bytes, and nothing else for most messages:
 * senders and service types repeat, and come from a small cache; small amounts are shared.
 */
export class FrameDecoderFastPath {
  private readonly prefix: Uint8Array;
  private readonly separators: readonly Uint8Array[];
  private static readonly SUFFIX = Buffer.from('"}}');
  private readonly words = new WordCache();

  constructor(fields: readonly WireField[]) {
    const keys = [...fields].sort((a, b) => a.id - b.id).map((field) => field.jsonName);
    this.prefix = Buffer.from(`{"result":{"${keys[0]}":"`);
    this.separators = keys.slice(1).map((key) => Buffer.from(`","${key}":"`));
  }

  /** The message in `frame` (a text frame's bytes), or `undefined` when the frame is not canonical. */
  decode(frame: Buffer, node: string, receivedAt: number): NodeMessage | undefined {
    const separators = this.separators;
    if (separators.length !== 5 || !bytesAt(frame, 0, this.prefix)) {
      return undefined;
    }
    const idStart = this.prefix.byteLength;
    const idEnd = asciiEnd(frame, idStart);
    const replyStart = after(frame, idEnd, separators[0] as Uint8Array);
    const replyEnd = asciiEnd(frame, replyStart);
    const senderStart = after(frame, replyEnd, separators[1] as Uint8Array);
    const senderEnd = asciiEnd(frame, senderStart);
    const dataStart = after(frame, senderEnd, separators[2] as Uint8Array);
    if (dataStart < 0) {
      return undefined;
    }
    const dataEnd = frame.indexOf(QUOTE, dataStart);
    const typeStart = after(frame, dataEnd, separators[3] as Uint8Array);
    const typeEnd = asciiEnd(frame, typeStart);
    const amountStart = after(frame, typeEnd, separators[4] as Uint8Array);
    if (amountStart < 0) {
      return undefined;
    }
    const amountEnd = frame.indexOf(QUOTE, amountStart);
    if (amountEnd < 0 || amountEnd + FrameDecoderFastPath.SUFFIX.byteLength !== frame.byteLength || !bytesAt(frame, amountEnd, FrameDecoderFastPath.SUFFIX)) {
      return undefined;
    }
    const amount = readAmount(frame, amountStart, amountEnd);
    const data = amount === undefined ? undefined : readBase64(frame, dataStart, dataEnd);
    if (data === undefined) {
      return undefined;
    }
    return {
      node,
      id: frame.toString('latin1', idStart, idEnd),
      replyToId: replyEnd === replyStart ? '' : frame.toString('latin1', replyStart, replyEnd),
      fromPubkey: this.words.text(frame, senderStart, senderEnd),
      data,
      serviceType: this.words.text(frame, typeStart, typeEnd),
      amount: amount as bigint,
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
    const byte = frame[i] as number;
    if (byte === QUOTE) {
      return i;
    }
    if (byte < 0x20 || byte > 0x7e || byte === BACKSLASH) {
      return -1;
    }
  }
  return -1;
}

/**
 * The bytes of the padded standard base64 in `frame[start, end)`, or `undefined` when it is
 * anything else (a pre-0.1.4 node's plain text, an escape): then the general path reads it.
 */
function readBase64(frame: Buffer, start: number, end: number): Uint8Array | undefined {
  const length = end - start;
  if (length === 0) {
    return EMPTY;
  }
  if (length % 4 !== 0) {
    return undefined;
  }
  const padding = frame[end - 1] === EQUALS ? (frame[end - 2] === EQUALS ? 2 : 1) : 0;
  const size = (length / 4) * 3 - padding;
  if (length > BASE64_LOOP_MAX) {
    // Node's decoder skips what is not base64 (so the size tells), but reads base64url's `-` and `_` too.
    if (hasByte(frame, MINUS, start, end) || hasByte(frame, 0x5f, start, end)) {
      return undefined;
    }
    const bytes = Buffer.from(frame.toString('latin1', start, end), 'base64');
    return bytes.byteLength === size ? bytes : undefined;
  }
  const bytes = Buffer.allocUnsafe(size);
  const whole = start + length - 4;
  let at = 0;
  for (let i = start; i < whole; i += 4) {
    const a = BASE64_DIGITS[frame[i] as number] as number;
    const b = BASE64_DIGITS[frame[i + 1] as number] as number;
    const c = BASE64_DIGITS[frame[i + 2] as number] as number;
    const d = BASE64_DIGITS[frame[i + 3] as number] as number;
    if ((a | b | c | d) & 64) {
      return undefined;
    }
    bytes[at++] = (a << 2) | (b >> 4);
    bytes[at++] = ((b & 15) << 4) | (c >> 2);
    bytes[at++] = ((c & 3) << 6) | d;
  }
  // The last quantum, with its padding.
  const a = BASE64_DIGITS[frame[whole] as number] as number;
  const b = BASE64_DIGITS[frame[whole + 1] as number] as number;
  const c = padding === 2 ? 0 : (BASE64_DIGITS[frame[whole + 2] as number] as number);
  const d = padding >= 1 ? 0 : (BASE64_DIGITS[frame[whole + 3] as number] as number);
  if ((a | b | c | d) & 64) {
    return undefined;
  }
  bytes[at++] = (a << 2) | (b >> 4);
  if (padding < 2) {
    bytes[at++] = ((b & 15) << 4) | (c >> 2);
  }
  if (padding < 1) {
    bytes[at] = ((c & 3) << 6) | d;
  }
  return bytes;
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

/**
 * The strings of short ASCII values that repeat from frame to frame (a node's few senders and
 * service types): a direct-mapped cache, so a repeated value is one
 * shared string instead of a new one per message. A value that misses replaces what was in its
 * place; the cache never grows, whatever a peer sends.
 */
class WordCache {
  private readonly bytes: (Buffer | undefined)[] = new Array<Buffer | undefined>(WORD_CACHE_PLACES);
  private readonly texts: string[] = new Array<string>(WORD_CACHE_PLACES).fill('');

  text(frame: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length === 0) {
      return '';
    }
    if (length > WORD_CACHE_MAX_BYTES) {
      return frame.toString('latin1', start, end);
    }
    // The place comes from the length and a few bytes at the end, where pubkeys and DIDs differ;
    // the whole value is compared. Values that share a place only miss, so no peer can make this slow.
    let hash = Math.imul(0x811c9dc5 ^ length, 0x01000193);
    for (let i = Math.max(start, end - 6); i < end; i++) {
      hash = Math.imul(hash ^ (frame[i] as number), 0x01000193);
    }
    const place = (hash ^ (hash >>> 15)) & (WORD_CACHE_PLACES - 1);
    const cached = this.bytes[place];
    if (cached !== undefined && cached.byteLength === length && bytesAt(frame, start, cached)) {
      return this.texts[place] as string;
    }
    const text = frame.toString('latin1', start, end);
    this.bytes[place] = Buffer.from(frame.subarray(start, end));
    this.texts[place] = text;
    return text;
  }
}
