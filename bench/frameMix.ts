import { ANSWERS, OPENERS } from '../src/core/simulator/samplePeers';
import type { SimulatedMessage } from '../src/core/simulator/simulatedMessage';

/**
 * The benchmark's traffic: the same message for the same index on every run and in every process
 * (the simulator child builds it to send, the in-memory decode bench to encode, the receiver to
 * know which IDs will come). The mix: 80 % short text, 10 % small JSON (~150 B), 10 % JSON of
 * about 2 KB; one message in ten is a reply to one of the 50 before it.
 */
export interface MixStats {
  readonly text: number;
  readonly smallJson: number;
  readonly largeJson: number;
  readonly replies: number;
}

/** Where `hex64` writes its bytes (declared first: the constants below use it). */
const scratch = Buffer.alloc(32);

const PUBKEYS = Array.from({ length: 6 }, (_, peer) => (peer % 2 === 0 ? '02' : '03') + hex64(peer, 0x9e3779b9).slice(0, 64));

// The simulated peers' own phrases, so the benchmark's short texts read like theirs.
const TEXTS = [...OPENERS, ...ANSWERS].map((text) => Buffer.from(text, 'utf8'));

const SERVICE_TYPES = ['message', 'message', 'message', 'message', 'message', 'message', 'message', 'federate', 'vpn', 'sign'];

const SMALL_JSON = Array.from({ length: 16 }, (_, i) =>
  Buffer.from(JSON.stringify({ type: 'chat', seq: i, text: TEXTS[i % TEXTS.length]?.toString('utf8'), lang: 'en', sent: 1_700_000_000_000 + i * 7919 }), 'utf8'),
);

/** About 2 KB each: an order with two dozen lines. */
const LARGE_JSON = Array.from({ length: 16 }, (_, i) => {
  const items = Array.from({ length: 23 }, (_, line) => ({
    sku: hex64(i * 100 + line, 0x51ed270b).slice(0, 12),
    name: ['coffee', 'sticker pack', 'vpn hour', 'relay slot', 'sats hoodie', 'ebook'][(i + line) % 6],
    qty: 1 + ((i + line) % 5),
    price_sat: 100 + ((i * 7919 + line * 104729) % 250_000),
    note: line % 3 === 0 ? 'gift wrap' : '',
  }));
  return Buffer.from(JSON.stringify({ type: 'order', order_id: hex64(i, 0x2545f491).slice(0, 16), currency: 'sat', items }), 'utf8');
});

/** A 64-hex-digit message ID for `index`, distinct per `salt`. */
export function messageId(index: number, salt: string): string {
  return hex64(index, saltSeed(salt));
}

/** The `index`-th message of the mix (`salt` keeps IDs of different rounds or purposes apart). */
export function benchMessage(index: number, salt: string): SimulatedMessage {
  const h = mix32(index ^ 0x5bd1e995);
  const isReply = index > 0 && h % 10 === 0;
  const replyTo = isReply ? Math.max(0, index - 1 - ((h >>> 8) % 50)) : -1;
  const kind = (h >>> 4) % 10;
  const data = kind === 0 ? (LARGE_JSON[(h >>> 12) % 16] as Buffer) : kind === 1 ? (SMALL_JSON[(h >>> 12) % 16] as Buffer) : (TEXTS[(h >>> 12) % TEXTS.length] as Buffer);
  return {
    id: messageId(index, salt),
    replyToId: replyTo >= 0 ? messageId(replyTo, salt) : '',
    fromPubkey: PUBKEYS[(h >>> 16) % PUBKEYS.length] as string,
    data,
    serviceType: SERVICE_TYPES[(h >>> 20) % SERVICE_TYPES.length] as string,
    amount: BigInt(1 + ((h >>> 3) % 1000 < 600 ? 0 : (h >>> 3) % 1000)),
  };
}

export function mixStats(count: number): MixStats {
  const stats = { text: 0, smallJson: 0, largeJson: 0, replies: 0 };
  for (let index = 0; index < count; index++) {
    const message = benchMessage(index, 's');
    const size = message.data.byteLength;
    if (size > 1000) {
      stats.largeJson++;
    } else if (message.data[0] === 0x7b) {
      stats.smallJson++;
    } else {
      stats.text++;
    }
    if (message.replyToId) {
      stats.replies++;
    }
  }
  return stats;
}

function saltSeed(salt: string): number {
  let seed = 0x811c9dc5;
  for (let i = 0; i < salt.length; i++) {
    seed = Math.imul(seed ^ salt.charCodeAt(i), 0x01000193) >>> 0;
  }
  return seed;
}

/** 32 pseudo-random bytes in hex; one native call, as the simulator builds IDs for every frame it sends. */
function hex64(index: number, seed: number): string {
  for (let part = 0; part < 8; part++) {
    scratch.writeUInt32BE(mix32((index * 8 + part) ^ seed), part * 4);
  }
  return scratch.toString('hex');
}

/** A 32-bit integer hash (murmur3's finaliser). */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Query watches waiting in the receive bench's query row: as many as may wait at once. */
export const QUERY_WATCHES = 100;
