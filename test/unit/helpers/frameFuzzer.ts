import { Prng } from '../../../src/core/simulator/prng';

/** What a decoder makes of a frame. */
export type FuzzOutcome = 'message' | 'error' | 'rejected';

export interface FuzzFrame {
  /** Which mutation made it (for the summary and failure messages). */
  readonly kind: FuzzKind;
  /**
   * A text frame's text, or the raw bytes of a binary frame. A text frame given as bytes is text
   * that is not valid UTF-8: what a broken proxy could put in a text frame.
   */
  readonly payload: string | Uint8Array;
  readonly binary: boolean;
  /**
   * What a decoder with `apiVersion: 'v0'` (or `auto` after a v0 frame) and the fuzzer's
   * `maxFrameLength` must make of the frame, where the mutation alone decides it; `undefined`
   * where it depends on the random contents (a cut through the middle of a multi-byte character).
   */
  readonly expect: FuzzOutcome | undefined;
  /** For error frames whose code the mutation decides: the gRPC code the decoder must report. */
  readonly expectCode?: number;
  /** What a decoder with `apiVersion: 'v1'` must make of it, for the v1-shaped kinds. */
  readonly expectV1?: FuzzOutcome;
}

export type FuzzKind =
  | 'valid'
  | 'variant'
  | 'truncated'
  | 'swapped-type'
  | 'bad-base64'
  | 'huge-number'
  | 'negative-number'
  | 'deep-nesting'
  | 'invalid-utf8'
  | 'binary'
  | 'empty'
  | 'random-keys'
  | 'prototype-keys'
  | 'long-string'
  | 'error-frame'
  | 'gateway-error'
  | 'v1'
  | 'not-json';

export interface FrameFuzzerOptions {
  /** The decoder's `maxFrameLength` (characters); long strings are made on both sides of it. */
  readonly maxFrameLength: number;
  /** The share of invalid-UTF-8 frames sent as text frames rather than binary ones. Default 0.02. */
  readonly invalidUtf8AsText?: number;
  /** Relative weights of the kinds; the defaults make about a third of the frames valid. */
  readonly weights?: Partial<Record<FuzzKind, number>>;
}

const DEFAULT_WEIGHTS: Readonly<Record<FuzzKind, number>> = {
  valid: 30,
  variant: 8,
  truncated: 6,
  'swapped-type': 8,
  'bad-base64': 4,
  'huge-number': 4,
  'negative-number': 3,
  'deep-nesting': 2,
  'invalid-utf8': 3,
  binary: 3,
  empty: 2,
  'random-keys': 4,
  'prototype-keys': 4,
  // Error frames and frames over the limit end the stream: rarer, so a live run is not all reconnects.
  'long-string': 0.15,
  'error-frame': 0.1,
  'gateway-error': 0.03,
  v1: 3,
  'not-json': 3,
};

const SERVICE_TYPES = ['message', 'federate', 'vpn', 'socket', 'sign', 'unknown-service', ''];
/** Field names, in the gateway's order, with the proto name each has in snake_case. */
const FIELDS = [
  ['id', 'id'],
  ['replyToId', 'reply_to_id'],
  ['fromPubkey', 'from_pubkey'],
  ['data', 'data'],
  ['serviceType', 'service_type'],
  ['amount', 'amount'],
] as const;
const STRING_FIELDS = ['id', 'replyToId', 'fromPubkey', 'serviceType'] as const;
/** Keys that mean something in a frame or a result; random keys must not hit them by chance. */
const MEANINGFUL_KEYS = new Set(['result', 'error', 'code', 'message', ...FIELDS.flat(), '__proto__']);
const KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-$ .:/é✓😀';
const PRINTABLE = ' !#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~';

type Result = Record<string, unknown>;

/**
 * A seeded generator of websocket frames for the decoder and the connection: valid
 * `{"result":...}` frames and mutations of them, each labelled with what a decoder must make of it
 * where the mutation decides that. The same seed gives the same frames on every run.
 */
export class FrameFuzzer {
  private readonly prng: Prng;
  private readonly maxFrameLength: number;
  private readonly invalidUtf8AsText: number;
  private readonly kinds: readonly (readonly [FuzzKind, number])[];
  private count = 0;

  constructor(seed: number, options: FrameFuzzerOptions) {
    this.prng = new Prng(seed);
    this.maxFrameLength = options.maxFrameLength;
    this.invalidUtf8AsText = options.invalidUtf8AsText ?? 0.02;
    this.kinds = Object.entries({ ...DEFAULT_WEIGHTS, ...options.weights }) as [FuzzKind, number][];
  }

  /** The next frame. The first is always a valid v0 frame, so an `auto` decoder settles on v0. */
  next(): FuzzFrame {
    const kind = this.count++ === 0 ? 'valid' : this.prng.weighted(this.kinds);
    return this.make(kind);
  }

  private make(kind: FuzzKind): FuzzFrame {
    const p = this.prng;
    switch (kind) {
      case 'valid':
        return this.text(kind, frame(this.result()), 'message');
      case 'variant':
        return this.variant();
      case 'truncated': {
        // No strict prefix of a JSON object is JSON: the closing brace is missing.
        const whole = frame(this.result());
        return this.text(kind, whole.slice(0, p.int(0, whole.length - 1)), 'rejected');
      }
      case 'swapped-type':
        return this.swappedType();
      case 'bad-base64': {
        // Not base64 (bad characters, missing padding): a pre-0.1.4 node's plain text, so kept.
        const result = this.result();
        result.data = p.pick([
          () => Buffer.from(p.bytes(p.int(1, 40))).toString('base64').replace(/=+$/, ''),
          () => `${Buffer.from(p.bytes(p.int(1, 40))).toString('base64')}!`,
          () => Buffer.from(p.bytes(p.int(3, 40))).toString('base64url') + '-_',
          () => '====',
          () => 'a===',
          () => randomString(p, p.int(1, 60), PRINTABLE),
        ])();
        return this.text(kind, frame(result), 'message');
      }
      case 'huge-number': {
        // Raw JSON literals: out of the int64 range, not integers, or not numbers at all.
        const literal = p.pick([
          '"9223372036854775808"',
          '"-9223372036854775809"',
          '"99999999999999999999"',
          '"123456789012345678901234567890"',
          '9007199254740993',
          '1e20',
          '1e400',
          '-1e400',
          '1.5',
          '"1e3"',
          '"+5"',
          '" 5"',
          '"0x10"',
          '"NaN"',
          '"lots"',
          'true',
        ]);
        return this.text(kind, withRaw({ ...this.result(), amount: RAW }, literal), 'rejected');
      }
      case 'negative-number': {
        const result = this.result();
        result.amount = p.pick<unknown>(['-1', '-9223372036854775808', String(-p.int(1, 2 ** 31)), -p.int(1, 2 ** 31), 0, '0', '-0']);
        return this.text(kind, frame(result), 'message');
      }
      case 'deep-nesting':
        return this.deepNesting();
      case 'invalid-utf8': {
        const bytes = Buffer.from(frame(this.result()), 'utf8');
        const at = p.int(0, bytes.length);
        const bad = Buffer.from(p.pick([[0xff], [0xfe, 0xfe], [0xc0, 0x80], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]));
        const payload = new Uint8Array(Buffer.concat([bytes.subarray(0, at), bad, bytes.subarray(at)]));
        if (p.chance(this.invalidUtf8AsText)) {
          // Read leniently (U+FFFD for the bad bytes) it may be JSON or not, depending on where the cut fell.
          return { kind, payload, binary: false, expect: undefined };
        }
        return { kind, payload, binary: true, expect: 'rejected', expectV1: 'rejected' };
      }
      case 'binary': {
        const payload = p.chance(0.5) ? new Uint8Array(Buffer.from(frame(this.result()), 'utf8')) : p.bytes(p.int(0, 300));
        return { kind, payload, binary: true, expect: 'rejected', expectV1: 'rejected' };
      }
      case 'empty':
        return this.text(kind, p.pick(['', ' ', '\n', '\t\r\n', 'null', '{}', '[]', '""', '0', 'true', '{"result":null}', '{"error":null}']), 'rejected');
      case 'random-keys':
        return this.randomKeys();
      case 'prototype-keys':
        return this.prototypeKeys();
      case 'long-string': {
        const result = this.result();
        const length = p.int(1024, Math.floor(this.maxFrameLength * 1.5));
        if (p.chance(0.5)) {
          result.id = p.hex(length);
        } else {
          result.data = Buffer.from(p.bytes(Math.floor((length * 3) / 4))).toString('base64');
        }
        return this.text(kind, frame(result), 'message');
      }
      case 'error-frame':
        return this.errorFrame();
      case 'gateway-error': {
        const code = p.int(0, 16);
        if (p.chance(0.2)) {
          // A code that is not a number does not make a gateway error.
          return this.text(kind, `{"code":"${code}","message":"Not Found","details":[]}`, 'rejected');
        }
        return { ...this.text(kind, `{"code":${code},"message":${JSON.stringify(randomString(p, p.int(0, 30), PRINTABLE))},"details":[]}`, 'error'), expectCode: code };
      }
      case 'v1':
        return this.v1();
      case 'not-json':
        return this.text(
          kind,
          p.pick([
            () => randomString(p, p.int(1, 200), PRINTABLE),
            () => `\ufeff${frame(this.result())}`,
            () => `${frame(this.result())}}`,
            () => `${frame(this.result())} trailing`,
            () => frame(this.result()).replace(/"/g, "'"),
            () => `{"result":{"id":"x",}}`,
            () => `{"result":{"id":"a"/* comment */}}`,
            () => 'NaN',
            () => 'undefined',
            () => `{"result":{"id":"${'\u0001'}"}}`,
            () => `{"result":{"id":"\\x41"}}`,
          ])(),
          'rejected',
        );
    }
  }

  /** A text frame; any frame over the length limit is rejected unparsed, whatever it holds. */
  private text(kind: FuzzKind, payload: string, expect: FuzzOutcome): FuzzFrame {
    return { kind, payload, binary: false, expect: payload.length > this.maxFrameLength ? 'rejected' : expect };
  }

  /** A well-formed v0 `SubscribeResponse` in the gateway's JSON. */
  private result(): Result {
    const p = this.prng;
    return {
      id: p.hex(64),
      replyToId: p.chance(0.5) ? p.hex(64) : '',
      fromPubkey: `0${p.pick(['2', '3'])}${p.hex(64)}`,
      data: Buffer.from(p.bytes(p.int(0, 200))).toString('base64'),
      serviceType: p.pick(SERVICE_TYPES),
      amount: String(p.int(0, 1_000_000)),
    };
  }

  /** Frames other gateway builds send, which a tolerant decoder keeps. */
  private variant(): FuzzFrame {
    const p = this.prng;
    const result = this.result();
    const variants: (() => Result)[] = [
      // snake_case names
      () => Object.fromEntries(FIELDS.map(([json, proto]) => [proto, result[json]])),
      // empty fields left out
      () => Object.fromEntries(Object.entries(result).filter(([key]) => key === 'id' || p.chance(0.5))),
      // amount as a number
      () => ({ ...result, amount: p.int(-(2 ** 52), 2 ** 52) }),
      // pre-0.1.4 plain-text data
      () => ({ ...result, data: randomString(p, p.int(1, 80), KEY_ALPHABET) }),
      // unknown fields alongside
      () => ({ ...result, [randomKey(p)]: randomJson(p, 3), [randomKey(p)]: randomJson(p, 3) }),
      // null for any field
      () => ({ ...result, [p.pick(FIELDS)[0]]: null }),
      // non-ASCII and lone surrogates in strings (JSON escapes them or not)
      () => ({ ...result, id: `${randomString(p, 8, KEY_ALPHABET)}\ud800${p.hex(4)}`, serviceType: 'ünïcödé ✓ 😀' }),
      // every field empty
      () => ({ id: '', replyToId: '', fromPubkey: '', data: '', serviceType: '', amount: '0' }),
    ];
    return this.text('variant', frame(p.pick(variants)()), 'message');
  }

  /** A field, `result` or `error` of a type the proto does not allow. */
  private swappedType(): FuzzFrame {
    const p = this.prng;
    const result = this.result();
    const wrong = () => p.pick<unknown>([true, false, [], {}, [1, 2], { id: 'x' }, 1.5, 42]);
    const mutations: (() => string)[] = [
      () => frame({ ...result, [p.pick(STRING_FIELDS)]: wrong() }),
      () => frame({ ...result, data: p.pick<unknown>([true, [], {}, 3, [104, 105]]) }),
      () => frame({ ...result, amount: p.pick<unknown>([true, [], {}, 1.25, '12abc', 'NaN']) }),
      () => JSON.stringify({ result: p.pick<unknown>(['a string', 42, [result], true]) }),
      () => JSON.stringify({ error: p.pick<unknown>(['unavailable', 14, [14], false]) }),
      () => JSON.stringify([{ result }]),
      () => JSON.stringify(p.pick<unknown>(['{"result":{}}', 42, true])),
    ];
    return this.text('swapped-type', p.pick(mutations)(), 'rejected');
  }

  private deepNesting(): FuzzFrame {
    const p = this.prng;
    const depth = p.chance(0.02) ? p.int(50_000, 100_000) : p.int(1, 2000);
    const arrays = '['.repeat(depth) + ']'.repeat(depth);
    const objects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const forms: [string, FuzzOutcome][] = [
      [`{"result":{"id":${arrays}}}`, 'rejected'],
      [`{"result":{"amount":${objects}}}`, 'rejected'],
      [arrays, 'rejected'],
      [objects, 'rejected'],
      // Deep nesting in a field nobody reads is fine.
      [withRaw({ ...this.result(), extra: RAW }, arrays), 'message'],
    ];
    const [payload, expect] = p.pick(forms);
    return this.text('deep-nesting', payload, expect);
  }

  private randomKeys(): FuzzFrame {
    const p = this.prng;
    if (p.chance(0.5)) {
      // Top-level keys none of which means anything.
      const object: Record<string, unknown> = {};
      for (let i = p.int(0, 8); i > 0; i--) {
        object[randomKey(p)] = randomJson(p, 4);
      }
      return this.text('random-keys', JSON.stringify(object), 'rejected');
    }
    // Random keys inside a valid result: ignored.
    const result = this.result();
    for (let i = p.int(1, 8); i > 0; i--) {
      result[randomKey(p)] = randomJson(p, 4);
    }
    return this.text('random-keys', frame(result), 'message');
  }

  /**
   * `__proto__`, `constructor` and friends. JSON.parse makes them own properties, so a frame can
   * neither pollute Object.prototype nor smuggle `result` or an auth error in through them.
   */
  private prototypeKeys(): FuzzFrame {
    const p = this.prng;
    const valid = frame(this.result());
    const inner = valid.slice('{"result":'.length, -1);
    const withKeys = valid.slice(0, -2);
    const forms: (() => FuzzFrame)[] = [
      () => this.text('prototype-keys', `{"__proto__":${valid}}`, 'rejected'),
      () => this.text('prototype-keys', `{"__proto__":{"result":${inner}}}`, 'rejected'),
      () => this.text('prototype-keys', `{"__proto__":{"code":16,"message":"api key is not provided"}}`, 'rejected'),
      () => this.text('prototype-keys', `{"constructor":{"prototype":{"polluted":true}},"__proto__":{"polluted":true}}`, 'rejected'),
      () => this.text('prototype-keys', `${withKeys},"__proto__":{"polluted":true,"id":5},"constructor":{"prototype":{"polluted":true}}}}`, 'message'),
      () => this.text('prototype-keys', `${withKeys},"toString":1,"hasOwnProperty":[],"valueOf":{},"__defineGetter__":null}}`, 'message'),
      () => this.text('prototype-keys', `{"result":{"__proto__":{"id":"smuggled","amount":"5"}}}`, 'message'),
      () => this.text('prototype-keys', `{"result":${inner},"__proto__":{"error":{"code":16}}}`, 'message'),
    ];
    if (p.chance(0.05)) {
      // An error frame ends the stream, so this one is rarer. Its code stays unknown (2), not 16.
      return { ...this.text('prototype-keys', `{"error":{"__proto__":{"code":16,"message":"smuggled"}}}`, 'error'), expectCode: 2 };
    }
    return p.pick(forms)();
  }

  private errorFrame(): FuzzFrame {
    const p = this.prng;
    const code = p.int(0, 20);
    const message = JSON.stringify(randomString(p, p.int(0, 40), PRINTABLE));
    const forms: (() => FuzzFrame)[] = [
      () => ({ ...this.text('error-frame', `{"error":{"code":${code},"message":${message},"details":[]}}`, 'error'), expectCode: code }),
      // Odd codes fall back to 2 (unknown).
      () => ({ ...this.text('error-frame', `{"error":{"code":${p.pick(['"14"', '1.5', '1e400', 'null', '[]'])},"message":${message}}}`, 'error'), expectCode: 2 }),
      () => ({ ...this.text('error-frame', `{"error":{}}`, 'error'), expectCode: 2 }),
    ];
    return p.pick(forms)();
  }

  /** v1-shaped frames: `data` is a DIDComm message, valid or not. A v0 decoder keeps them all. */
  private v1(): FuzzFrame {
    const p = this.prng;
    const id = `${p.hex(8)}-${p.hex(4)}-4${p.hex(3)}-8${p.hex(3)}-${p.hex(12)}`;
    const didComms: [string, FuzzOutcome][] = [
      [JSON.stringify({ id, thid: id, type: 'https://didcomm.org/basicmessage/2.0/message', from: 'did:key:z6Mk', to: ['did:key:z6Mj'], created_time: 1, body: { content: 'hi' } }), 'message'],
      [JSON.stringify({ id, thid: p.hex(8), body: randomJson(p, 4) }), 'message'],
      [JSON.stringify({ thid: id, body: {} }), 'rejected'],
      [JSON.stringify({ id: 5 }), 'rejected'],
      [`{"__proto__":{"id":"${id}"}}`, 'rejected'],
      [`{"id":"${id}","__proto__":{"thid":"x"},"from":{"toString":1}}`, 'message'],
      ['not json at all', 'rejected'],
      ['[' + '['.repeat(p.int(1, 3000)) + ']'.repeat(p.int(1, 3000)), 'rejected'],
      [JSON.stringify([id]), 'rejected'],
    ];
    const [didComm, expectV1] = p.pick(didComms);
    const amount = p.pick<unknown>(['0', 0, '7', undefined]);
    const result: Result = { data: Buffer.from(didComm, 'utf8').toString('base64') };
    if (amount !== undefined) {
      result.amount = amount;
    }
    return { ...this.text('v1', frame(result), 'message'), expectV1 };
  }
}

/** A placeholder replaced by a raw JSON literal after stringifying. */
const RAW = '\u0000raw\u0000';
const RAW_JSON = JSON.stringify(RAW);

function frame(result: Result): string {
  return JSON.stringify({ result });
}

/** The frame with `RAW` replaced by a raw JSON literal. */
function withRaw(result: Result, literal: string): string {
  return frame(result).replace(RAW_JSON, () => literal);
}

function randomString(p: Prng, length: number, alphabet: string): string {
  const characters = [...alphabet];
  let out = '';
  for (let i = 0; i < length; i++) {
    out += p.pick(characters);
  }
  return out;
}

function randomKey(p: Prng): string {
  const key = p.chance(0.1) ? '' : randomString(p, p.int(1, 12), KEY_ALPHABET);
  return MEANINGFUL_KEYS.has(key) ? `_${key}` : key;
}

function randomJson(p: Prng, depth: number): unknown {
  const roll = p.int(0, depth > 0 ? 7 : 4);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return p.chance(0.5);
    case 2:
      return p.pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, p.int(-1000, 1000)]);
    case 3:
      return randomString(p, p.int(0, 20), KEY_ALPHABET);
    case 4:
      return p.hex(p.int(0, 16));
    case 5:
    case 6:
      return Array.from({ length: p.int(0, 4) }, () => randomJson(p, depth - 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = p.int(0, 4); i > 0; i--) {
        object[randomKey(p)] = randomJson(p, depth - 1);
      }
      return object;
    }
  }
}
