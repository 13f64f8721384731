import * as assert from 'assert';
import { FrameDecoder, type FrameResult } from '../../../../src/core/wire/frameDecoder';
import { startSimulatedNode } from '../../../../src/core/simulator/simulatedNode';
import { SubscribeFrameEncoder } from '../../../../src/core/simulator/subscribeFrames';
import { FrameFuzzer } from '../../helpers/frameFuzzer';

/** A frame as the connection hands it over: a text frame's UTF-8 bytes (a binary frame as it is). */
function decodeAsReceived(decoder: FrameDecoder, frame: string | Uint8Array, receivedAt: number): FrameResult {
  return typeof frame === 'string' ? decoder.decodeText(Buffer.from(frame, 'utf8'), receivedAt) : decoder.decode(frame, receivedAt);
}

function same(a: FrameResult, b: FrameResult): string {
  const show = (result: FrameResult) =>
    JSON.stringify(result, (_key, value: unknown) =>
      typeof value === 'bigint' ? `${value}n` : value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
    );
  return show(a) === show(b) ? '' : `${show(a)}\n  vs\n${show(b)}`;
}

describe('the canonical-frame fast path', () => {
  it('decodes exactly as the general path on 50,000 fuzzed frames, 18,936 of them (38%) by the fast path', function () {
    this.timeout(60_000);
    const fast = new FrameDecoder({ node: 'n', maxFrameLength: 4096 });
    const general = new FrameDecoder({ node: 'n', maxFrameLength: 4096, fastPath: false });
    const fuzzer = new FrameFuzzer(77, { maxFrameLength: 4096 });
    let differences = 0;
    let firstDifference = '';
    for (let i = 0; i < 50_000; i++) {
      const frame = fuzzer.next().payload;
      const difference = same(decodeAsReceived(fast, frame, 1), decodeAsReceived(general, frame, 1));
      if (difference) {
        differences++;
        firstDifference ||= `${JSON.stringify(typeof frame === 'string' ? frame.slice(0, 300) : 'binary')}: ${difference}`;
      }
    }
    assert.strictEqual(differences, 0, firstDifference);
    // The agreement means something only if the fast path took its share: the seeded fuzzer's
    // canonical frames (a third are valid, the rest mostly go the general way).
    assert.strictEqual(general.fastPathFrames, 0, 'the general decoder never takes the fast path');
    assert.strictEqual(fast.fastPathFrames, 18_936, 'frames the fast path decoded');
    assert.ok(fast.fastPathFrames > 50_000 / 4, `${fast.fastPathFrames} of 50,000 by the fast path`);
  });

  it('takes the frames the simulated node sends, and falls back on anything unusual', async () => {
    const simulator = await startSimulatedNode({ port: 0, seed: 3 });
    try {
      const fast = new FrameDecoder({ node: 'n' });
      const general = new FrameDecoder({ node: 'n', fastPath: false });
      const frames: string[] = [];
      const encoder = new SubscribeFrameEncoder();
      for (let i = 0; i < 500; i++) {
        frames.push(encoder.result(simulator.emit()));
      }
      // Every frame the simulator sends is one the fast path takes (not one it hands on).
      for (const frame of frames) {
        decodeAsReceived(fast, frame, 5);
      }
      assert.strictEqual(fast.fastPathFrames, frames.length);
      const tricky = [
        '{"result":{"id":"a\\"b","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":"1"}}',
        '{"result":{"id":"a\\u0041","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":"1"}}',
        '{"result":{"id":"a","replyToId":"","fromPubkey":"","data":"plain text, not base64","serviceType":"message","amount":"1"}}',
        '{"result":{"id":"a","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":"1"}} ',
        '{"result":{"id":"a","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":"99999999999999999999"}}',
        '{"result":{"id":"a","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":1}}',
        '{"result":{"id":"a","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":"1","extra":"x"}}',
        ...edgeFrames(),
      ];
      for (const frame of [...frames, ...tricky]) {
        assert.strictEqual(same(decodeAsReceived(fast, frame, 5), general.decode(frame, 5)), '', frame.slice(0, 200));
      }
      // Of the unusual frames, the fast path reads base64 of 1, 2 and 3 bytes and of 600, and five amounts.
      assert.strictEqual(fast.fastPathFrames - 2 * frames.length, 9);
    } finally {
      await simulator.close();
    }
  });
});

describe('the fast path on a hostile stream', () => {
  const frame = (id: string, from: string, type = 'message') =>
    Buffer.from(`{"result":{"id":"${id}","replyToId":"","fromPubkey":"${from}","data":"aGk=","serviceType":"${type}","amount":"1"}}`);

  it('reads every sender right when each frame has a new one, and one that repeats or is long', () => {
    const decoder = new FrameDecoder({ node: 'n' });
    const senders: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      // Same length and the same last bytes for many, and, in turn with those, the same first bytes
      // (where the cache places a value) for many others: they meet in the cache and must not be mixed up.
      const from = i % 2 === 0 ? `02${i.toString(16).padStart(8, '0')}${'f'.repeat(56)}` : `02${'e'.repeat(56)}${(i >> 1).toString(16).padStart(8, '0')}`;
      const result = decoder.decodeText(frame(`id${i}`, from), i);
      assert.ok(result.kind === 'message');
      assert.strictEqual(result.message.fromPubkey, from);
      senders.push(result.message.fromPubkey);
    }
    assert.strictEqual(decoder.fastPathFrames, 10_000);
    // A value met before, then one it begins with and one that begins with it.
    for (const from of ['02' + 'cd'.repeat(32), '02' + 'cd'.repeat(31), '02' + 'cd'.repeat(32) + '00', '02' + 'cd'.repeat(32)]) {
      const result = decoder.decodeText(frame('p', from), 0);
      assert.ok(result.kind === 'message');
      assert.strictEqual(result.message.fromPubkey, from);
    }
    assert.strictEqual(decoder.fastPathFrames, 10_004);
    const again = (from: string) => {
      const result = decoder.decodeText(frame('x', from), 0);
      return result.kind === 'message' ? result.message.fromPubkey : undefined;
    };
    const repeated = '03' + 'ab'.repeat(32);
    assert.deepStrictEqual([again(repeated), again(repeated)], [repeated, repeated]);
    // A long value is not cached but read all the same.
    const long = 'did:key:' + 'z'.repeat(1000);
    assert.strictEqual(again(long), long);
  });
});

/** Values at the fast path's edges: each frame is decoded by it or handed on, and must agree with the general path. */
function edgeFrames(): string[] {
  const frame = (fields: { id?: string; data?: string; amount?: string; from?: string }) =>
    `{"result":{"id":"${fields.id ?? 'ab'}","replyToId":"","fromPubkey":"${fields.from ?? '02aa'}","data":"${fields.data ?? ''}","serviceType":"message","amount":"${fields.amount ?? '1'}"}}`;
  const long = Buffer.alloc(600, 0xfb).toString('base64');
  return [
    // Non-ASCII and escapes in a string value.
    frame({ id: 'é' }),
    frame({ from: '\u00e9' }),
    frame({ id: '\u0000' }),
    // base64 short and long (the loop and Node's decoder), padded both ways, and near misses.
    frame({ data: Buffer.from('a').toString('base64') }),
    frame({ data: Buffer.from('ab').toString('base64') }),
    frame({ data: Buffer.from('abc').toString('base64') }),
    frame({ data: 'A===' }),
    frame({ data: 'A=A=' }),
    frame({ data: 'AB=C' }),
    frame({ data: long }),
    frame({ data: long.replace(/\+/g, '-') }),
    frame({ data: long.replace(/\//g, '_') }),
    frame({ data: long.slice(0, 400) + '!!!!' + long.slice(404) }),
    frame({ data: long.slice(0, 400) + '====' + long.slice(404) }),
    frame({ data: long.slice(0, 400) + 'é' + long.slice(401) }),
    frame({ data: long.slice(0, 400) + '\\n' + long.slice(402) }),
    // Amounts: signs, zeros, the 15-digit edge, past it, out of range.
    frame({ amount: '-0' }),
    frame({ amount: '007' }),
    frame({ amount: '-12' }),
    frame({ amount: '999999999999999' }),
    frame({ amount: '-999999999999999' }),
    frame({ amount: '1000000000000000' }),
    frame({ amount: '9223372036854775808' }),
    frame({ amount: '' }),
    frame({ amount: '-' }),
    frame({ amount: '1e3' }),
  ];
}
