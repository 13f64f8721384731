import * as assert from 'assert';
import { FrameDecoder, type FrameResult } from '../../../../src/core/wire/frameDecoder';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { loadWireTypes, wireFields } from '../../../../src/core/wire/wireTypes';

const PUBKEY = '03ed8b8d0b5ad8b0e0dd2d6cd6cba6e1e1f28c4a0d7d98b4f9a3c2e1a0b0c0d0e0';

function decode(frame: string | Uint8Array, apiVersion: 'auto' | 'v0' | 'v1' = 'auto'): FrameResult {
  return new FrameDecoder({ node: 'n', apiVersion }).decode(frame, 42);
}

function message(frame: string, apiVersion: 'auto' | 'v0' | 'v1' = 'auto'): NodeMessage {
  const result = decode(frame, apiVersion);
  assert.strictEqual(result.kind, 'message', show(result));
  return (result as { message: NodeMessage }).message;
}

function rejection(frame: string | Uint8Array): string {
  const result = decode(frame);
  assert.strictEqual(result.kind, 'rejected', show(result));
  return (result as { reason: string }).reason;
}

function show(result: FrameResult): string {
  return JSON.stringify(result, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

describe('FrameDecoder', () => {
  it('decodes the gateway frame: camelCase keys, int64 as string, base64 data', () => {
    const m = message(
      `{"result":{"id":"6f1c","replyToId":"","fromPubkey":"${PUBKEY}","data":"aGVsbG8=","serviceType":"message","amount":"100"}}`,
    );
    assert.deepStrictEqual(
      { ...m, data: text(m.data) },
      { node: 'n', id: '6f1c', replyToId: '', fromPubkey: PUBKEY, data: 'hello', serviceType: 'message', amount: 100n, receivedAt: 42 },
    );
  });

  it('accepts snake_case keys, amount as a number, and missing fields', () => {
    const m = message('{"result":{"id":"a","reply_to_id":"b","from_pubkey":"02ab","service_type":"vpn","amount":7}}');
    assert.strictEqual(m.replyToId, 'b');
    assert.strictEqual(m.fromPubkey, '02ab');
    assert.strictEqual(m.serviceType, 'vpn');
    assert.strictEqual(m.amount, 7n);
    assert.strictEqual(m.data.byteLength, 0);
  });

  it('keeps int64 amounts exact beyond 2^53', () => {
    assert.strictEqual(message('{"result":{"id":"a","amount":"9223372036854775807"}}').amount, 9223372036854775807n);
    assert.strictEqual(message('{"result":{"id":"a","amount":"-5"}}').amount, -5n);
  });

  it("reads a pre-0.1.4 node's plain-text data as text", () => {
    assert.strictEqual(text(message('{"result":{"id":"a","data":"hello, world!"}}').data), 'hello, world!');
  });

  it('decodes binary payloads from base64 byte for byte', () => {
    const bytes = Buffer.from([0, 255, 1, 254, 128]);
    assert.deepStrictEqual(Buffer.from(message(`{"result":{"id":"a","data":"${bytes.toString('base64')}"}}`).data), bytes);
  });

  it('classifies stream error frames and bare gateway errors', () => {
    assert.deepStrictEqual(decode('{"error":{"code":14,"message":"unavailable","details":[]}}'), {
      kind: 'error',
      code: 14,
      message: 'unavailable',
      wrapped: true,
    });
    assert.deepStrictEqual(decode('{"code":5,"message":"Not Found","details":[]}'), {
      kind: 'error',
      code: 5,
      message: 'Not Found',
      wrapped: false,
    });
  });

  it('maps v1 DIDComm frames: id, thid as replyToId, from, type', () => {
    const didComm = {
      id: 'm2',
      thid: 'm1',
      type: 'https://didcomm.org/basicmessage/2.0/message',
      from: 'did:peer:alice',
      to: ['did:peer:bob'],
      created_time: 1,
      body: { content: 'hi' },
    };
    const data = Buffer.from(JSON.stringify(didComm)).toString('base64');
    const decoder = new FrameDecoder({ node: 'n' });
    const result = decoder.decode(`{"result":{"data":"${data}","amount":"0"}}`, 1);
    assert.strictEqual(result.kind, 'message');
    const m = (result as { message: NodeMessage }).message;
    assert.deepStrictEqual([m.id, m.replyToId, m.fromPubkey, m.serviceType], ['m2', 'm1', 'did:peer:alice', didComm.type]);
    assert.strictEqual(decoder.apiVersion, 'v1');
    assert.deepStrictEqual(JSON.parse(text(m.data)), didComm);
  });

  it('treats a DIDComm thid equal to its own id as a thread root', () => {
    const data = Buffer.from(JSON.stringify({ id: 'x', thid: 'x', type: 't' })).toString('base64');
    assert.strictEqual(message(`{"result":{"data":"${data}"}}`, 'v1').replyToId, '');
  });

  it('decides the API version once, from the first message frame, in auto mode', () => {
    const decoder = new FrameDecoder({ node: 'n' });
    decoder.decode('{"result":{"id":"a","fromPubkey":"02"}}');
    assert.strictEqual(decoder.apiVersion, 'v0');
    const data = Buffer.from(JSON.stringify({ id: 'x', type: 't' })).toString('base64');
    const later = decoder.decode(`{"result":{"data":"${data}"}}`);
    assert.strictEqual(later.kind, 'message');
    assert.strictEqual((later as { message: NodeMessage }).message.id, '');
  });

  it('rejects a v1 frame whose data is not DIDComm', () => {
    const result = decode('{"result":{"data":"aGVsbG8="}}', 'v1');
    assert.strictEqual(result.kind, 'rejected');
  });

  const bad: [string, string | Uint8Array, RegExp][] = [
    ['not JSON', 'hello', /not JSON/],
    ['an empty frame', '', /not JSON \(empty frame\)/],
    ['a binary frame', new Uint8Array([1, 2, 3]), /binary frame of 3 bytes/],
    ['a JSON array', '[1,2]', /expected a JSON object, got an array/],
    ['a JSON string', '"x"', /got a string/],
    ['null', 'null', /got null/],
    ['a result that is not an object', '{"result":5}', /"result" is a number/],
    ['an error that is not an object', '{"error":"x"}', /"error" is a string/],
    ['an unknown shape', '{"foo":1}', /unexpected JSON object with keys "foo"/],
    ['a string field of the wrong type', '{"result":{"id":5}}', /field id is a number, not a string/],
    ['an amount that is not an integer', '{"result":{"id":"a","amount":"1.5"}}', /field amount is not an int64/],
    ['an unsafe number amount', '{"result":{"id":"a","amount":1e300}}', /field amount is not an int64/],
    ['an amount outside int64', '{"result":{"id":"a","amount":"99999999999999999999"}}', /out of the int64 range/],
    ['data of the wrong type', '{"result":{"id":"a","data":[1]}}', /field data is an array/],
    ['deeply nested JSON', `{"result":{"id":${'['.repeat(5000)}${']'.repeat(5000)}}}`, /field id is an array/],
  ];
  for (const [what, frame, reason] of bad) {
    it(`rejects ${what} with a reason`, () => {
      assert.match(rejection(frame), reason);
    });
  }

  it('rejects an oversized frame before parsing it', () => {
    const decoder = new FrameDecoder({ node: 'n', maxFrameLength: 100 });
    const result = decoder.decode(`{"result":{"id":"${'a'.repeat(200)}"}}`);
    assert.strictEqual(result.kind, 'rejected');
    assert.match((result as { reason: string }).reason, /over the 100 limit/);
  });

  it('never throws on nesting deep enough to overflow the parser', () => {
    const result = decode('['.repeat(1_000_000));
    assert.strictEqual(result.kind, 'rejected');
  });

  it('agrees with protobufjs fromObject on valid frames (the fast path matches the reflection)', () => {
    const type = loadWireTypes().subscribeResponse;
    const frames = [
      { id: 'a', replyToId: 'b', fromPubkey: PUBKEY, data: 'aGVsbG8=', serviceType: 'message', amount: '100' },
      { id: 'c', replyToId: '', fromPubkey: '', data: '', serviceType: 'sign', amount: '0' },
      { id: 'd', replyToId: 'e', fromPubkey: 'x', data: Buffer.alloc(2048, 7).toString('base64'), serviceType: 'vpn', amount: '123456789012' },
    ];
    for (const frame of frames) {
      const ours = message(JSON.stringify({ result: frame }), 'v0');
      const byProtoName = Object.fromEntries(wireFields(type).map((field) => [field.protoName, (frame as Record<string, string>)[field.jsonName]]));
      const reference = type.toObject(type.fromObject(byProtoName), { longs: String, bytes: Array, defaults: true });
      assert.deepStrictEqual(
        {
          id: ours.id,
          reply_to_id: ours.replyToId,
          from_pubkey: ours.fromPubkey,
          data: [...ours.data],
          service_type: ours.serviceType,
          amount: ours.amount.toString(),
        },
        { ...reference, data: [...(reference.data as number[])] },
      );
    }
  });
});
