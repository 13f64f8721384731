import type { DidCommMessage } from './didComm';
import type { SimulatedMessage } from './simulatedMessage';

/** Entries a v1 simulated node keeps: the oldest go first past this. */
const MAX_STORED = 10_000;

/** One entry of `GetMessageListResponse.messages`, with the gateway's JSON names. */
interface StoredEntry {
  readonly id: string;
  readonly type: string;
  readonly recipients: readonly string[];
  /** The DIDComm message as a JSON string. */
  readonly data: string;
  readonly transport: string;
  readonly groupId: string;
  readonly events: readonly { readonly id: string; readonly MessageId: string; readonly DID: string; readonly Type: string; readonly EventTime: string }[];
}

/**
 * What a v1 node keeps (`GET /v1/message`): every message it received, whether a subscriber was
 * connected or not, and every message it sent. Entries added as they are (`addRaw`) let a test
 * put hostile ones in; `padBytes` makes the answer that much larger, to exceed a client's bound.
 */
export class StoredMessageList {
  private readonly entries: unknown[] = [];
  private eventNumber = 0;
  private padding = 0;

  constructor(private readonly selfDid: string) {}

  get size(): number {
    return this.entries.length;
  }

  /** A message the node received (put on its stream), stored at `at` (ms). */
  received(message: SimulatedMessage, at: number): void {
    const data = Buffer.from(message.data).toString('utf8');
    this.add(this.entry(message.id, message.serviceType, [this.selfDid], data, message.fromPubkey, 'received', at));
  }

  /** A message the node sent (a REST send), stored at `at` (ms). */
  sent(message: DidCommMessage, at: number): void {
    this.add(this.entry(message.id, message.type, message.to, JSON.stringify(message), this.selfDid, 'sent', at));
  }

  /** Stores `entry` as it is, whatever it is. */
  addRaw(entry: unknown): void {
    this.add(entry);
  }

  /** Adds `bytes` of padding to every answer (0 removes it). */
  padBytes(bytes: number): void {
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new RangeError(`padding must be a whole number of bytes ≥ 0, not ${bytes}`);
    }
    this.padding = bytes;
  }

  /** The `GetMessageListResponse` body: every stored message, no paging, as the node answers. */
  body(): string {
    const list = JSON.stringify({ messages: this.entries });
    if (this.padding === 0) {
      return list;
    }
    // The padding is one more entry, so the answer stays valid JSON, only too large.
    return `${list.slice(0, -2)}${this.entries.length > 0 ? ',' : ''}${JSON.stringify({ id: 'padding', data: 'x'.repeat(this.padding) })}]}`;
  }

  private entry(id: string, type: string, recipients: readonly string[], data: string, did: string, eventType: string, at: number): StoredEntry {
    return {
      id,
      type,
      recipients,
      data,
      transport: 'https',
      groupId: '',
      events: [{ id: String(++this.eventNumber), MessageId: id, DID: did, Type: eventType, EventTime: new Date(at).toISOString() }],
    };
  }

  private add(entry: unknown): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_STORED) {
      this.entries.shift();
    }
  }
}
