import type { NodeMessage } from '../nodeMessage';
import { MAX_JSON_DEPTH } from '../requests/jsonPath';

/** Larger data is never parsed as JSON by a query: it counts as not JSON. */
export const MAX_QUERY_JSON_BYTES = 1024 * 1024;
/**
 * What is read from data up to this size is kept with the message (and goes with it), so filtering
 * the held messages again costs no decoding; larger data is read again at each match, so the
 * cache stays near the size of the small messages it serves.
 */
export const MAX_CACHED_CONTENT_BYTES = 64 * 1024;

/** `json` of data that is not JSON (or too large to parse). */
export const NOT_JSON: unique symbol = Symbol('not JSON');

const UNREAD: unique symbol = Symbol('unread');
const cache = new WeakMap<NodeMessage, MessageContent>();
/**
 * The content looked up last: every query watch reads the same incoming message in turn, so one
 * identity check spares a hash lookup per query.
 */
let last: MessageContent | undefined;

/**
 * A message's data as queries read it: its lower-cased text and its parsed JSON, each worked out
 * at most once, when a term first needs it (a query of field terms never decodes anything).
 */
export class MessageContent {
  private lowerText: string | undefined;
  private lowerFields: readonly string[] | undefined;
  private parsed: unknown = UNREAD;

  private constructor(private readonly message: NodeMessage) {}

  /** The message's content, kept with it when its data is small. */
  static of(message: NodeMessage): MessageContent {
    if (last?.message === message) {
      return last;
    }
    let content = cache.get(message);
    if (!content) {
      content = new MessageContent(message);
      if (message.data.byteLength <= MAX_CACHED_CONTENT_BYTES) {
        cache.set(message, content);
      }
    }
    last = content;
    return content;
  }

  /** The data as UTF-8 text, lower-cased. */
  get text(): string {
    this.lowerText ??= dataText(this.message.data).toLowerCase();
    return this.lowerText;
  }

  /** The ID, reply-to ID, sender and service type, lower-cased: where a bare word also looks. */
  get fields(): readonly string[] {
    if (this.lowerFields === undefined) {
      const { id, replyToId, fromPubkey, serviceType } = this.message;
      this.lowerFields = [id.toLowerCase(), replyToId.toLowerCase(), fromPubkey.toLowerCase(), serviceType.toLowerCase()];
    }
    return this.lowerFields;
  }

  /** The data parsed as JSON (any JSON value), or `NOT_JSON`. */
  get json(): unknown {
    if (this.parsed === UNREAD) {
      this.parsed = parseJson(this.message.data);
    }
    return this.parsed;
  }
}

/** UTF-8, invalid bytes as U+FFFD, as the data's text reads everywhere else. */
function dataText(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
}

function parseJson(data: Uint8Array): unknown {
  if (data.byteLength === 0 || data.byteLength > MAX_QUERY_JSON_BYTES || !startsLikeJson(data) || nestsDeeperThan(data, MAX_JSON_DEPTH)) {
    return NOT_JSON;
  }
  try {
    return JSON.parse(dataText(data)) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/**
 * Whether the first byte after any whitespace can start a JSON value (`{ [ " - 0-9 t f n`): most
 * messages are plain text, and `JSON.parse` would throw (a costly exception) for each of them.
 */
function startsLikeJson(data: Uint8Array): boolean {
  for (const byte of data) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) {
      continue;
    }
    return byte === 0x7b || byte === 0x5b || byte === 0x22 || byte === 0x2d || (byte >= 0x30 && byte <= 0x39) || byte === 0x74 || byte === 0x66 || byte === 0x6e;
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether brackets outside strings nest deeper than `max`: one pass over the bytes, stopping there.
 * Parsing `[[[[…` 100,000 deep takes a hundred times longer than this scan, and such data would
 * cost that at every match; a value nested that deep cannot be written out for `:` anyway.
 */
function nestsDeeperThan(data: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i];
    if (inString) {
      if (byte === BACKSLASH) {
        i++;
      } else if (byte === QUOTE) {
        inString = false;
      }
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > max) {
        return true;
      }
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}
