import type { NodeMessage } from '../../../src/core/nodeMessage';
import { Prng } from '../../../src/core/simulator/prng';
import { deepArray, deepObject, EVERY_PLANE, HOSTILE_IDS, longLine, NOT_QUITE_JSON } from './hostileBodies';

export type BodyKind =
  | 'text'
  | 'json'
  | 'deep-json'
  | 'very-deep-json'
  | 'not-quite-json'
  | 'long-line'
  | 'huge-line'
  | 'every-plane'
  | 'escaped-surrogates'
  | 'disguising'
  | 'binary'
  | 'surrogate-bytes'
  | 'empty'
  | 'didcomm';

const BODY_WEIGHTS: readonly (readonly [BodyKind, number])[] = [
  ['text', 30],
  ['json', 20],
  ['deep-json', 0.5],
  ['very-deep-json', 0.05],
  ['not-quite-json', 6],
  ['long-line', 0.1],
  ['huge-line', 0.004],
  ['every-plane', 5],
  ['escaped-surrogates', 4],
  ['disguising', 4],
  ['binary', 8],
  ['surrogate-bytes', 2],
  ['empty', 2],
  ['didcomm', 6],
];

const BASIC_MESSAGE = 'https://didcomm.org/basicmessage/2.0/message';
const NODES = ['n', 'node/with?slashes#', '\ud800node', 'Simulator'];
const SENDERS = ['02' + 'ab'.repeat(32), 'did:peer:2Ez6LSabcdefghijkXk3', 'did:[Fix Now](command:impervious.sendMessage?%5B%5D)', '\n[info] forged', '', '\u202eevil'];
const SERVICE_TYPES = ['message', BASIC_MESSAGE, 'vpn', '', '# heading', '<img src=x>', 'a\nb', '\udc00'];
const AMOUNTS = [0n, 1n, 1000n, -(2n ** 63n), 2n ** 63n - 1n];

/**
 * Messages as hostile peers send them, after decoding: IDs from a small pool mixed with hostile
 * strings (so replies hit, loops close and IDs repeat), replies to the previous message, to
 * themselves, to IDs never sent; bodies of every kind a surface must survive. Seeded: a failure
 * replays exactly.
 */
export class MessageFuzzer {
  private readonly random: Prng;
  private readonly pool: string[];
  private previous = '';
  private sequence = 0;
  readonly tally = new Map<BodyKind, number>();

  constructor(seed: number) {
    this.random = new Prng(seed);
    this.pool = [...HOSTILE_IDS, ...Array.from({ length: 400 }, () => this.random.hex(16))];
  }

  next(): NodeMessage {
    const random = this.random;
    const id = random.chance(0.02) ? random.hex(64) : random.pick(this.pool);
    const replyToId = random.weighted<string>([
      ['', 3],
      [this.previous, 3],
      [id, 0.5],
      [random.pick(this.pool), 3],
      ['never-sent', 0.5],
    ]);
    this.previous = id;
    const kind = random.weighted(BODY_WEIGHTS);
    this.tally.set(kind, (this.tally.get(kind) ?? 0) + 1);
    return {
      node: random.chance(0.9) ? 'n' : random.pick(NODES),
      id,
      replyToId,
      fromPubkey: random.pick(SENDERS),
      data: this.body(kind),
      serviceType: kind === 'didcomm' ? BASIC_MESSAGE : random.pick(SERVICE_TYPES),
      amount: random.pick(AMOUNTS),
      receivedAt: 1_700_000_000_000 + this.sequence++,
    };
  }

  private body(kind: BodyKind): Uint8Array {
    const random = this.random;
    switch (kind) {
      case 'text':
        return Buffer.from(`hello ${random.hex(random.int(0, 40))}\n  world`);
      case 'json':
        return Buffer.from(JSON.stringify({ n: random.int(0, 1e6), s: random.hex(8), list: [1, 'two', null, { deep: [true] }] }, null, random.int(0, 4)));
      case 'deep-json':
        return Buffer.from(random.chance(0.5) ? deepArray(random.int(10, 1500)) : deepObject(random.int(10, 1500)));
      case 'very-deep-json':
        return Buffer.from(deepArray(20_000));
      case 'not-quite-json':
        return Buffer.from(random.pick(NOT_QUITE_JSON));
      case 'long-line':
        return Buffer.from(longLine(random.int(100_000, 300_000)));
      case 'huge-line':
        return Buffer.from(longLine(4 * 1024 * 1024));
      case 'every-plane':
        return Buffer.from(EVERY_PLANE.repeat(random.int(1, 20)));
      case 'escaped-surrogates':
        return Buffer.from('{"lone":"\\ud800","low":"\\udfff x","pair":"\\ud83d\\ude00"}');
      case 'disguising':
        return Buffer.from('[x](command:workbench.action.terminal.new) \u202eevil\u202c \u2028line \u0085 <img src=x>');
      case 'binary':
        return random.bytes(random.int(1, 600));
      case 'surrogate-bytes':
        // A surrogate encoded as UTF-8 bytes (CESU-8): not valid UTF-8.
        return Uint8Array.from([0x61, 0xed, 0xa0, 0x80, 0x62]);
      case 'empty':
        return new Uint8Array(0);
      case 'didcomm':
        return Buffer.from(JSON.stringify({ id: random.hex(8), type: BASIC_MESSAGE, body: { content: random.pick(['hi', '', '\u202e', EVERY_PLANE, 42]) } }));
    }
  }
}
