import type { Prng } from './prng';
import type { SimulatedMessage } from './simulatedMessage';

/** What a v1 node's peers send: a DIDComm v2 basic message. */
export const BASIC_MESSAGE_TYPE = 'https://didcomm.org/basicmessage/2.0/message';

/** The DIDComm plaintext message a v1 frame carries (base64) in its `data` field. */
export interface DidCommMessage {
  readonly id: string;
  /** The thread: the ID of the message replied to, or the message's own ID when it starts one. */
  readonly thid: string;
  readonly type: string;
  readonly from: string;
  readonly to: readonly string[];
  /** Unix time in seconds. */
  readonly created_time: number;
  readonly body: { readonly content: string };
}

export interface BasicMessageFields {
  readonly id: string;
  /** The message being answered; empty for a message that starts a thread. */
  readonly replyToId: string;
  readonly from: string;
  readonly to: string;
  readonly createdAtMs: number;
  readonly content: string;
}

export function basicMessage(fields: BasicMessageFields): DidCommMessage {
  return {
    id: fields.id,
    thid: fields.replyToId || fields.id,
    type: BASIC_MESSAGE_TYPE,
    from: fields.from,
    to: [fields.to],
    created_time: Math.floor(fields.createdAtMs / 1000),
    body: { content: fields.content },
  };
}

/** The message as a v1 subscriber maps it: id ← id, replyToId ← thid, from ← from, serviceType ← type. */
export function simulatedFromDidComm(message: DidCommMessage, amount: bigint): SimulatedMessage {
  return {
    id: message.id,
    replyToId: message.thid === message.id ? '' : message.thid,
    fromPubkey: message.from,
    data: Buffer.from(JSON.stringify(message), 'utf8'),
    serviceType: message.type,
    amount,
  };
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A `did:key` for an Ed25519 key (multibase `z6Mk...`), the kind v1 nodes hand out. */
export function sampleDid(prng: Prng): string {
  let key = 'z6Mk';
  for (let i = 0; i < 44; i++) {
    key += BASE58[prng.int(0, BASE58.length - 1)];
  }
  return `did:key:${key}`;
}

/** DIDComm message IDs are UUIDs (v4 layout, drawn from the seeded source). */
export function didCommId(prng: Prng): string {
  const hex = prng.hex(32);
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
