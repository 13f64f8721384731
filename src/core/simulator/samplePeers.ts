import type { ApiVersion } from '../nodeMessage';
import { basicMessage, didCommId, sampleDid, simulatedFromDidComm } from './didComm';
import type { Prng } from './prng';
import { nodeMinimumAmount } from './sendRequest';
import type { SimulatedMessage } from './simulatedMessage';

/** A made-up node on the simulated network. `name` is only for logs. */
export interface SamplePeer {
  readonly name: string;
  /** A compressed secp256k1 pubkey as Lightning shows it: 02/03 and 64 hex digits. */
  readonly pubkey: string;
  /** Its identity on a v1 node. */
  readonly did: string;
}

const PEER_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'] as const;

/** Deterministic peers for a seed; `count` beyond the named ones get numbered names. */
export function samplePeers(prng: Prng, count: number = PEER_NAMES.length): SamplePeer[] {
  return Array.from({ length: count }, (_, index) => ({
    name: PEER_NAMES[index] ?? `peer${index + 1}`,
    pubkey: samplePubkey(prng),
    did: sampleDid(prng),
  }));
}

export function samplePubkey(prng: Prng): string {
  return (prng.chance(0.5) ? '02' : '03') + prng.hex(64);
}

/** A message ID as v0.1.x nodes make them: 64 hex digits, like a sha256. */
export function sampleMessageId(prng: Prng): string {
  return prng.hex(64);
}

/** `name (02ab12…)` for log lines. */
export function describePeer(peer: SamplePeer, apiVersion: ApiVersion = 'v0'): string {
  const identity = apiVersion === 'v1' ? peer.did : peer.pubkey;
  return `${peer.name} (${identity.slice(0, apiVersion === 'v1' ? 16 : 8)}…)`;
}

export interface SampleTrafficOptions {
  readonly prng: Prng;
  readonly peers: readonly SamplePeer[];
  readonly apiVersion: ApiVersion;
  /** The simulated node's own DID: the `to` of v1 messages. */
  readonly selfDid: string;
  /** Wall time for DIDComm `created_time`. */
  readonly now: () => number;
}

/** How many recent messages peers may answer; older threads go quiet. */
const HISTORY = 64;

/** What sample peers open a thread with (the benchmark's traffic reuses them). */
export const OPENERS = [
  'gm',
  'hey, are you online?',
  'invoice paid, thanks!',
  'channel is open, 2M sats on my side',
  'can you forward this to the relay?',
  'ping',
  'meeting moved to 15:00 UTC',
  'did the payment go through?',
  'new build is up, please test',
  'zap received ⚡',
  'looks like my node restarted, resending',
  'what fee rate are you using these days?',
  'Grüße aus Berlin 👋',
];

/** What sample peers answer with. */
export const ANSWERS = ['ack', 'sounds good', '+1', 'done ✅', 'not yet, give me a minute', 'confirmed on my side', 'no, the route failed', 'thanks!', 'will do'];

const ITEMS = ['coffee', 'sticker pack', 'vpn hour', 'relay slot', 'sats hoodie', 'hardware wallet', 'ebook', 'api credits'];

/**
 * The sample peers' chatter: new messages and replies to recent ones (so threads grow deeper
 * than one), mostly short text, some JSON (a few about 2 KB), a little binary; service types
 * mostly `message`. Deterministic for a given `Prng`.
 */
export class SampleTraffic {
  private readonly prng: Prng;
  private readonly peers: readonly SamplePeer[];
  private readonly apiVersion: ApiVersion;
  private readonly selfDid: string;
  private readonly now: () => number;
  private readonly history: { id: string; from: SamplePeer | undefined }[] = [];
  private sequence = 0;

  constructor(options: SampleTrafficOptions) {
    if (options.peers.length === 0) {
      throw new Error('sample traffic needs at least one peer');
    }
    this.prng = options.prng;
    this.peers = options.peers;
    this.apiVersion = options.apiVersion;
    this.selfDid = options.selfDid;
    this.now = options.now;
  }

  /** Lets peers answer a message they did not write (one the simulator sent for someone else). */
  remember(id: string, from?: SamplePeer): void {
    this.history.push({ id, from });
    if (this.history.length > HISTORY) {
      this.history.shift();
    }
  }

  /** The next message; `sender` makes it that peer's (the same draws are made, so a seed's traffic after it is unchanged). */
  next(sender?: SamplePeer): SimulatedMessage {
    const prng = this.prng;
    this.sequence++;
    const original = this.history.length > 0 && prng.chance(0.35) ? prng.pick(this.history) : undefined;
    // Most replies are the same peer following up or the addressee answering; some are others joining in.
    const drawn = original?.from && prng.chance(0.5) ? original.from : prng.pick(this.peers);
    const from = sender ?? drawn;
    const message = this.apiVersion === 'v1' ? this.nextDidComm(from, original?.id ?? '') : this.nextV0(from, original?.id ?? '');
    this.remember(message.id, from);
    return message;
  }

  private nextV0(from: SamplePeer, replyToId: string): SimulatedMessage {
    const prng = this.prng;
    const id = sampleMessageId(prng);
    const serviceType = prng.weighted<string>([
      ['message', 80],
      ['federate', 6],
      ['vpn', 5],
      ['socket', 5],
      ['sign', 4],
    ]);
    const data = this.payload(serviceType, replyToId !== '');
    return { id, replyToId, fromPubkey: from.pubkey, data, serviceType, amount: this.amount(data.byteLength) };
  }

  private nextDidComm(from: SamplePeer, replyToId: string): SimulatedMessage {
    const content = replyToId !== '' ? this.prng.pick(ANSWERS) : this.text();
    const didComm = basicMessage({ id: didCommId(this.prng), replyToId, from: from.did, to: this.selfDid, createdAtMs: this.now(), content });
    return simulatedFromDidComm(didComm, 0n);
  }

  private payload(serviceType: string, isReply: boolean): Uint8Array {
    const prng = this.prng;
    switch (serviceType) {
      case 'federate':
        return json({ action: prng.pick(['request', 'accept', 'leave']), federation: prng.hex(16), relays: [samplePubkey(prng), samplePubkey(prng)] });
      case 'vpn':
        return json({ action: 'quote', price_sat: prng.int(10, 5000), duration_s: prng.pick([600, 3600, 86400]), endpoint: `10.${prng.int(0, 255)}.${prng.int(0, 255)}.1:51820` });
      case 'socket':
        return prng.chance(0.5) ? prng.bytes(prng.int(16, 512)) : json({ op: 'data', seq: this.sequence, payload: Buffer.from(prng.bytes(48)).toString('base64') });
      case 'sign':
        return json({ message: this.text(), signature: prng.hex(130) });
      default: {
        const kind = prng.weighted<'text' | 'json' | 'order' | 'binary'>([
          ['text', 70],
          ['json', 17],
          ['order', 8],
          ['binary', 5],
        ]);
        switch (kind) {
          case 'json':
            return json({ type: 'chat', seq: this.sequence, text: isReply ? prng.pick(ANSWERS) : this.text(), lang: 'en' });
          case 'order':
            return this.order();
          case 'binary':
            return prng.bytes(prng.int(16, 256));
          default:
            return Buffer.from(isReply ? prng.pick(ANSWERS) : this.text(), 'utf8');
        }
      }
    }
  }

  /** A purchase order of about 2 KB, the larger end of what apps pass between nodes. */
  private order(): Uint8Array {
    const prng = this.prng;
    const items = Array.from({ length: prng.int(16, 20) }, () => ({
      sku: prng.hex(12),
      name: prng.pick(ITEMS),
      qty: prng.int(1, 5),
      price_sat: prng.int(100, 250_000),
      note: prng.chance(0.3) ? 'gift wrap' : '',
    }));
    return json({ type: 'order', order_id: prng.hex(16), currency: 'sat', items, total_sat: items.reduce((sum, item) => sum + item.qty * item.price_sat, 0) });
  }

  private text(): string {
    const opener = this.prng.pick(OPENERS);
    return this.prng.chance(0.2) ? `${opener} (#${this.sequence})` : opener;
  }

  /** Mostly 1 sat, sometimes more, never under the node's minimum of 1 per started 900 bytes. */
  private amount(byteLength: number): bigint {
    const prng = this.prng;
    const amount = prng.weighted<() => number>([
      [() => 1, 40],
      [() => prng.int(2, 10), 25],
      [() => prng.int(11, 100), 20],
      [() => prng.int(101, 1000), 15],
    ])();
    const minimum = nodeMinimumAmount(byteLength);
    return BigInt(amount) > minimum ? BigInt(amount) : minimum;
  }
}

function json(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}
