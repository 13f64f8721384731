import * as assert from 'assert';
import * as l10n from '@vscode/l10n';
import { FrameDecoder } from '../../../src/core/wire/frameDecoder';
import type { ApiVersionSetting } from '../../../src/core/nodeMessage';
import { WIRE_SCHEMA, type WireSchema } from '../../../src/core/wire/wireSchema';
import { pseudo, pseudoWith, withPseudoLocale } from '../helpers/pseudoLocale';

function reason(frame: string | Uint8Array, options: { apiVersion?: ApiVersionSetting; maxFrameLength?: number; schema?: WireSchema } = {}): string {
  const result = new FrameDecoder({ node: 'n', ...options }).decode(frame);
  assert.strictEqual(result.kind, 'rejected', JSON.stringify(result));
  return (result as { reason: string }).reason;
}

/** `SubscribeResponse` with its amount retyped to a proto type the decoder has no conversion for. */
function schemaWithDoubleAmount(): WireSchema {
  const subscribeResponse = WIRE_SCHEMA.subscribeResponse.map((field) => (field.protoName === 'amount' ? { ...field, type: 'double' } : field));
  return { ...WIRE_SCHEMA, subscribeResponse };
}

/** Runs `body` with JSON.parse failing as an engine with a recursive parser does on deep nesting (Node 20's does not). */
function tooDeep<T>(body: () => T): T {
  const parse = JSON.parse;
  JSON.parse = () => {
    throw new RangeError('Maximum call stack size exceeded');
  };
  try {
    return body();
  } finally {
    JSON.parse = parse;
  }
}

const v1Data = (text: string): string => `{"result":{"data":"${Buffer.from(text).toString('base64')}"}}`;

describe('frame rejection reasons under a pseudo-locale', () => {
  it('words every reason through the bundle, with the frame\'s keys, values and field names put in', () =>
    withPseudoLocale(() => {
      assert.strictEqual(reason(new Uint8Array(3)), pseudoWith('binary frame of {0} bytes (the node sends text frames)', 3));
      assert.strictEqual(reason('x'.repeat(20), { maxFrameLength: 10 }), pseudoWith('frame of {0} characters is over the {1} limit', 20, 10));
      assert.strictEqual(reason(''), pseudo('not JSON (empty frame)'));
      assert.strictEqual(reason('hello'), pseudoWith('not JSON (starts {0})', '"hello"'));
      assert.strictEqual(tooDeep(() => reason('[[]]')), pseudo('not JSON (nested too deeply)'));
      assert.strictEqual(reason('[1]'), pseudoWith('expected a JSON object, got {0}', pseudo('an array')));
      assert.strictEqual(reason('null'), pseudoWith('expected a JSON object, got {0}', 'null'), 'null is the JSON token');
      assert.strictEqual(reason('{"result":"x"}'), pseudoWith('"{0}" is {1}, not an object', 'result', pseudo('a string')));
      assert.strictEqual(reason('{"error":true}'), pseudoWith('"{0}" is {1}, not an object', 'error', pseudo('a boolean')));
      assert.strictEqual(reason('{}'), pseudo('unexpected JSON object with keys (none)'));
      assert.strictEqual(reason('{"foo":1}'), pseudoWith('unexpected JSON object with keys {0}', '"foo"'));
      assert.strictEqual(reason('{"a":1,"b":1,"c":1,"d":1,"e":1,"f":1}'), pseudoWith('unexpected JSON object with keys {0}, … ({1})', '"a", "b", "c", "d", "e"', 6));
      assert.strictEqual(reason('{"result":{"id":5}}'), pseudoWith('field {0} is {1}, not a string', 'id', pseudo('a number')));
      assert.strictEqual(reason('{"result":{"id":"a","data":{}}}'), pseudoWith('field {0} is {1}, not base64 or text', 'data', pseudo('an object')));
      assert.strictEqual(reason('{"result":{"id":"a","amount":"lots"}}'), pseudoWith('field {0} is not an int64 ({1})', 'amount', '"lots"'));
      assert.strictEqual(reason('{"result":{"id":"a","amount":1.5}}'), pseudoWith('field {0} is not an int64 ({1})', 'amount', pseudo('a number')));
      assert.strictEqual(reason('{"result":{"id":"a","amount":"99999999999999999999"}}'), pseudoWith('field {0} is out of the int64 range', 'amount'));
      assert.strictEqual(
        reason('{"result":{"id":"a","amount":1}}', { schema: schemaWithDoubleAmount() }),
        pseudoWith('field {0} has proto type {1}, which the decoder does not know', 'amount', 'double'),
      );
      assert.strictEqual(reason(v1Data('hello'), { apiVersion: 'v1' }), pseudo('v1 frame whose data is not a DIDComm JSON message'));
      assert.strictEqual(reason(v1Data('{"type":"t"}'), { apiVersion: 'v1' }), pseudoWith('v1 frame whose data is not a DIDComm message with an "{0}"', 'id'));
      // The decoder failing on its input (here not a frame at all) is reported as a reason too.
      assert.match(reason(null as unknown as string), /^⟦undecodable frame: the decoder failed \(TypeError: .*\)⟧$/);
    }));

  it('substitutes a frame\'s text once: a key or a start holding "{0}" stays literal', () =>
    withPseudoLocale(() => {
      assert.strictEqual(reason('{0} {1}'), '⟦not JSON (starts "{0} {1}")⟧');
      assert.strictEqual(reason('{"{1}":1}'), '⟦unexpected JSON object with keys "{1}"⟧');
    }));

  it('looks nothing up for the frames it decodes, on the fast path or the general one', () => {
    let lookups = 0;
    const counting = new Proxy({}, { get: () => void lookups++ });
    l10n.config({ contents: counting as Record<string, string> });
    try {
      const decoder = new FrameDecoder({ node: 'n' });
      const frames = [
        '{"result":{"id":"a","replyToId":"","fromPubkey":"","data":"aGk=","serviceType":"message","amount":"1"}}',
        '{"result":{"id":"b","amount":5}}',
        '{"error":{"code":5,"message":"not found"}}',
        '{"code":16,"message":"unauthenticated"}',
      ];
      assert.deepStrictEqual(frames.map((frame) => decoder.decodeText(Buffer.from(frame)).kind), ['message', 'message', 'error', 'error']);
      assert.strictEqual(decoder.fastPathFrames, 1);
      assert.strictEqual(new FrameDecoder({ node: 'n', apiVersion: 'v1' }).decode(v1Data('{"id":"x"}')).kind, 'message');
      assert.strictEqual(lookups, 0, 'an accepted frame builds no reason');
      reason('{}');
      assert.ok(lookups > 0, 'a rejected one does');
    } finally {
      l10n.config({ contents: {} });
    }
  });
});
