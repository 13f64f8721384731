import type { Prng } from './prng';

/** A frame no well-behaved node sends; a client must count and skip it, and keep the stream. */
export interface GarbageFrame {
  readonly kind: string;
  readonly payload: string | Uint8Array;
  /** Sent as a binary websocket frame (the node only ever sends text). */
  readonly binary: boolean;
}

type Maker = (prng: Prng) => GarbageFrame;

const MAKERS: readonly Maker[] = [
  () => text('not JSON', 'this is not json {'),
  (prng) => text('truncated JSON', `{"result":{"id":"${prng.hex(64)}","data":"aGVs`),
  () => text('a JSON array', '[1,2,3]'),
  () => text('"result" not an object', '{"result":"hello"}'),
  () => text('unknown keys', '{"status":"ok","payload":{}}'),
  (prng) => text('amount not an int64', `{"result":{"id":"${prng.hex(64)}","amount":"lots","data":""}}`),
  () => text('empty frame', ''),
  (prng) => ({ kind: 'binary frame', payload: prng.bytes(prng.int(8, 64)), binary: true }),
];

/** Cycles through every kind of garbage, with seeded contents, so a run covers them all. */
export class GarbageFrames {
  private index = 0;

  constructor(private readonly prng: Prng) {}

  next(): GarbageFrame {
    const maker = MAKERS[this.index % MAKERS.length] as Maker;
    this.index++;
    return maker(this.prng);
  }
}

function text(kind: string, payload: string): GarbageFrame {
  return { kind, payload, binary: false };
}
