// Reading a v1 node's `GET /v1/message` answer: which stored entries are messages the node
// received, when, and as what `NodeMessage`. Every entry is a peer's or the node's bytes: each
// check is bounded and none throws.
import type { NodeMessage } from '../nodeMessage';
import { decodeBase64 } from '../wire/frameDecoder';
import { didCommNodeMessage, parseDidComm, type DidCommObject } from '../wire/didCommMapping';

/** Events read per entry: the node writes a few; a list of millions is only scanned this far. */
export const MAX_EVENTS_READ = 32;
/** The longest `data` read (characters): the node's own limit for a message is about 480 KB. */
export const MAX_DATA_CHARS = 1024 * 1024;
/** How far in the future (node clock ahead of ours) a time may be and still count, as now. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** RFC 3339 as the gateway writes a `Timestamp`: `2024-05-01T12:00:00Z`, with fraction and offset optional. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
/** Words of an event type that say the node sent the message (the daemon's vocabulary is not documented). */
const SENT_WORDS = new Set(['sent', 'send', 'outgoing', 'outbound']);

export interface ReadOptions {
  readonly node: string;
  /** Now, on the extension's clock. */
  readonly now: number;
  /** IDs this node returned for sends made through the extension: those messages are its own. */
  readonly sentIds: ReadonlySet<string>;
}

export interface StoredList {
  /** The received messages, oldest first (`receivedAt` is when the node stored them). */
  readonly received: readonly NodeMessage[];
  /** Entries that are the node's own (sent) messages. */
  readonly own: number;
  /** Entries that are no message: not an object, no DIDComm data, no `from`, no time. */
  readonly unreadable: number;
}

interface Entry {
  readonly didComm: DidCommObject;
  readonly data: Uint8Array;
  readonly from: string;
  readonly at: number;
  readonly sent: boolean;
}

/**
 * The received messages of a `GetMessageListResponse` (`{"messages":[...]}`, grpc-gateway JSON
 * names or snake_case). An entry is the node's own when its ID is one the extension sent through
 * the node, when one of its events says it was sent, or when its `from` is the `from` of such an
 * entry (the node's own DID); every other entry with a `from` was received. Its time is its
 * earliest event time (RFC 3339), else the DIDComm `created_time`; an entry with neither cannot
 * be placed in a gap and is not read (holding it at "now" would bring the node's whole undated
 * history back after every reconnect).
 */
export function readStoredMessages(answer: unknown, options: ReadOptions): StoredList {
  const list = isObject(answer) ? answer.messages : undefined;
  if (!Array.isArray(list)) {
    return { received: [], own: 0, unreadable: 0 };
  }
  const entries: Entry[] = [];
  let unreadable = 0;
  for (const item of list as unknown[]) {
    const entry = readEntry(item, options);
    if (entry) {
      entries.push(entry);
    } else {
      unreadable++;
    }
  }
  const ownDids = new Set<string>();
  for (const entry of entries) {
    if (entry.sent) {
      ownDids.add(entry.from);
    }
  }
  const received: NodeMessage[] = [];
  let own = 0;
  for (const entry of entries) {
    if (entry.sent || ownDids.has(entry.from)) {
      own++;
    } else {
      received.push(didCommNodeMessage(options.node, entry.didComm, entry.data, 0n, entry.at));
    }
  }
  // Stable: entries of the same time keep the node's order.
  received.sort((a, b) => a.receivedAt - b.receivedAt);
  return { received, own, unreadable };
}

function readEntry(item: unknown, options: ReadOptions): Entry | undefined {
  if (!isObject(item)) {
    return undefined;
  }
  const data = dataOf(item.data);
  if (!data) {
    return undefined;
  }
  const parsed = parseDidComm(data);
  if (!parsed.ok) {
    return undefined;
  }
  const didComm = parsed.didComm;
  const from = typeof didComm.from === 'string' ? didComm.from : '';
  if (from === '' || didComm.id === '') {
    return undefined;
  }
  const events = Array.isArray(item.events) ? (item.events as unknown[]) : [];
  const at = earliestEventTime(events, options.now) ?? createdTime(didComm.created_time, options.now);
  if (at === undefined) {
    return undefined;
  }
  const sent = options.sentIds.has(didComm.id) || (typeof item.id === 'string' && options.sentIds.has(item.id)) || saysSent(events);
  return { didComm, data, from, at, sent };
}

/** `data` is the DIDComm JSON as a string; a gateway that marshals it as bytes sends base64. */
function dataOf(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || value === '' || value.length > MAX_DATA_CHARS) {
    return undefined;
  }
  const first = value.trimStart()[0];
  if (first === '{') {
    return Buffer.from(value, 'utf8');
  }
  return decodeBase64(value);
}

/** The earliest sane event time among the first `MAX_EVENTS_READ` events, in ms. */
function earliestEventTime(events: readonly unknown[], now: number): number | undefined {
  let earliest: number | undefined;
  for (let i = 0; i < Math.min(events.length, MAX_EVENTS_READ); i++) {
    const event = events[i];
    if (!isObject(event)) {
      continue;
    }
    const time = rfc3339(event.EventTime ?? event.eventTime ?? event.event_time, now);
    if (time !== undefined && (earliest === undefined || time < earliest)) {
      earliest = time;
    }
  }
  return earliest;
}

function saysSent(events: readonly unknown[]): boolean {
  for (let i = 0; i < Math.min(events.length, MAX_EVENTS_READ); i++) {
    const event = events[i];
    const type = isObject(event) ? (event.Type ?? event.type) : undefined;
    // `MESSAGE_SENT`, `sent`, `outbound`; not `received from sender`.
    if (typeof type === 'string' && type.length <= 64 && type.toLowerCase().split(/[^a-z]+/).some((word) => SENT_WORDS.has(word))) {
      return true;
    }
  }
  return false;
}

/** A time the node could have meant: after 1970, not ahead of our clock past the skew (then now). */
function sane(ms: number, now: number): number | undefined {
  if (!Number.isFinite(ms) || ms <= 0 || ms > now + CLOCK_SKEW_MS) {
    return undefined;
  }
  return Math.min(ms, now);
}

function rfc3339(value: unknown, now: number): number | undefined {
  if (typeof value !== 'string' || value.length > 40 || !RFC3339.test(value)) {
    return undefined;
  }
  return sane(Date.parse(value), now);
}

/** DIDComm's `created_time`: Unix seconds. */
function createdTime(value: unknown, now: number): number | undefined {
  return typeof value === 'number' ? sane(value * 1000, now) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
