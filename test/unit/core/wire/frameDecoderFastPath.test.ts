import * as assert from 'assert';
import { FrameDecoder, type FrameResult } from '../../../../src/core/wire/frameDecoder';
import { startSimulatedNode } from '../../../../src/core/simulator/simulatedNode';
import { SubscribeFrameEncoder } from '../../../../src/core/simulator/subscribeFrames';
import { FrameFuzzer } from '../../helpers/frameFuzzer';

function same(a: FrameResult, b: FrameResult): string {
  const show = (result: FrameResult) =>
    JSON.stringify(result, (_key, value: unknown) =>
      typeof value === 'bigint' ? `${value}n` : value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
    );
  return show(a) === show(b) ? '' : `${show(a)}\n  vs\n${show(b)}`;
}

describe('the canonical-frame fast path', () => {
  it('decodes exactly as the general path on 50,000 fuzzed frames, 21,885 of them (44%) by the fast path', function () {
    this.timeout(60_000);
    const fast = new FrameDecoder({ node: 'n', maxFrameLength: 4096 });
    const general = new FrameDecoder({ node: 'n', maxFrameLength: 4096, fastPath: false });
    const fuzzer = new FrameFuzzer(77, { maxFrameLength: 4096 });
    let differences = 0;
    let firstDifference = '';
    for (let i = 0; i < 50_000; i++) {
      const frame = fuzzer.next().payload;
      const difference = same(fast.decode(frame, 1), general.decode(frame, 1));
      if (difference) {
        differences++;
        firstDifference ||= `${JSON.stringify(typeof frame === 'string' ? frame.slice(0, 300) : 'binary')}: ${difference}`;
      }
    }
    assert.strictEqual(differences, 0, firstDifference);
    // The agreement means something only if the fast path took its share: the seeded fuzzer's
    // canonical frames (a third are valid, the rest mostly go the general way).
    assert.strictEqual(general.fastPathFrames, 0, 'the general decoder never takes the fast path');
    assert.strictEqual(fast.fastPathFrames, 21_885, 'frames the fast path decoded');
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
      const scanned = frames.filter((frame) => (fast as unknown as { decodeCanonical(f: string, t: number): unknown }).decodeCanonical(frame, 5));
      assert.strictEqual(scanned.length, frames.length);
      const tricky = [
        '{"result":{"id":"a\\"b","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":"1"}}',
        '{"result":{"id":"a\\u0041","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":"1"}}',
        '{"result":{"id":"a","replyToId":"","fromPubkey":"","data":"plain text, not base64","serviceType":"message","amount":"1"}}',
        '{"result":{"id":"a","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":"1"}} ',
        '{"result":{"id":"a","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":"99999999999999999999"}}',
        '{"result":{"id":"a","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":1}}',
        '{"result":{"id":"a","replyToId":"","fromPubkey":"","data":"","serviceType":"message","amount":"1","extra":"x"}}',
      ];
      for (const frame of [...frames, ...tricky]) {
        assert.strictEqual(same(fast.decode(frame, 5), general.decode(frame, 5)), '', frame.slice(0, 200));
      }
    } finally {
      await simulator.close();
    }
  });
});
