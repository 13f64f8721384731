import * as assert from 'assert';
import { MessageStore, messageBytes } from '../../../../src/core/messages/messageStore';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { Prng } from '../../../../src/core/simulator/prng';
import { FrameDecoder } from '../../../../src/core/wire/frameDecoder';
import { FrameDecoderFastPath } from '../../../../src/core/wire/frameDecoderFastPath';
import { WIRE_SCHEMA } from '../../../../src/core/wire/wireSchema';

const STEPS = 20_000;

/** The gateway's canonical frame for these fields (`data` as base64, or as given when it is a string). */
function canonicalFrame(fields: { id: string; replyToId: string; fromPubkey: string; data: Uint8Array | string; serviceType: string; amount: string }): Buffer {
  const data = typeof fields.data === 'string' ? fields.data : Buffer.from(fields.data).toString('base64');
  return Buffer.from(
    `{"result":{"id":"${fields.id}","replyToId":"${fields.replyToId}","fromPubkey":"${fields.fromPubkey}","data":"${data}","serviceType":"${fields.serviceType}","amount":"${fields.amount}"}}`,
  );
}

function randomFields(random: Prng) {
  const idOf = () =>
    random.weighted<() => string>([
      [() => random.hex(64), 10],
      [() => `m${random.int(0, 200)}`, 6],
      [() => random.hex(2 * random.int(1, 3)), 2],
      [() => `ABC${random.int(0, 9)}`, 1],
      [() => '', 1],
    ])();
  const dataLength = random.weighted<() => number>([
    [() => random.int(0, 60), 20],
    [() => random.int(300, 3000), 5],
    [() => random.int(100_000, 300_000), 0.05],
  ])();
  return {
    id: idOf(),
    replyToId: random.chance(0.3) ? idOf() : '',
    fromPubkey: random.pick([`02${'ab'.repeat(32)}`, `03${'cd'.repeat(32)}`, 'did:peer:7', '']),
    data: random.bytes(dataLength),
    serviceType: random.pick(['message', 'chat', '', 'vpn']),
    amount: random.pick(['0', '1', '-1', String(random.int(0, 1e9)), '999999999999999', '-999999999999999']),
  };
}

/** The same frame with its data no longer base64: a character that is not one, or base64url's. */
function spoiled(random: Prng, fields: ReturnType<typeof randomFields>): Buffer {
  const base64 = Buffer.from(fields.data).toString('base64');
  const text = base64.length >= 4 ? base64 : 'QUJD';
  const at = random.int(0, text.length - 3);
  return canonicalFrame({ ...fields, data: `${text.slice(0, at)}${random.pick(['*', '-', '_', '='])}${text.slice(at + 1)}` });
}

function randomBounds(random: Prng): [number, number] {
  return [random.pick([1, 2, 5, 64, 300, 2000]), random.pick([Number.POSITIVE_INFINITY, 500_000, 20_000, 2000, 1])];
}

describe('a message held straight from its frame', function () {
  this.timeout(120_000);

  it(`is held exactly as its decoded object would be, over ${STEPS.toLocaleString('en')} random frames, bounds and spoiled data`, () => {
    const random = new Prng(0xf4a3e);
    const reader = new FrameDecoderFastPath(WIRE_SCHEMA.subscribeResponse);
    let [maxMessages, maxBytes] = randomBounds(random);
    const store = new MessageStore(maxMessages, maxBytes);
    const model = new MessageStore(maxMessages, maxBytes);
    const counts = { held: 0, spoiled: 0, spoiledAtBounds: 0, large: 0, resizes: 0, evicted: 0 };
    for (let step = 0; step < STEPS; step++) {
      const where = `step ${step}`;
      if (random.chance(0.002)) {
        [maxMessages, maxBytes] = randomBounds(random);
        store.resize(maxMessages, maxBytes);
        model.resize(maxMessages, maxBytes);
        counts.resizes++;
      }
      const fields = randomFields(random);
      if (random.chance(0.05)) {
        // Hostile: the frame looks canonical but its data is not base64. Nothing held may go for it.
        const before = { size: store.size, bytes: store.bytes, evicted: store.evicted, messages: store.toArray() };
        assert.ok(reader.read(spoiled(random, fields)), `${where}: a canonical frame`);
        assert.strictEqual(store.appendEncoded(reader, 'n', step), undefined, `${where}: spoiled data is not held`);
        assert.strictEqual(reader.message('n', step), undefined, `${where}: nor decoded`);
        reader.done();
        assert.deepStrictEqual({ size: store.size, bytes: store.bytes, evicted: store.evicted, messages: store.toArray() }, before, `${where}: nothing changed`);
        counts.spoiled++;
        counts.spoiledAtBounds += store.size >= maxMessages ? 1 : 0;
        continue;
      }
      assert.ok(reader.read(canonicalFrame(fields)), `${where}: a canonical frame`);
      const expected = reader.message('n', step) as NodeMessage;
      const held = store.appendEncoded(reader, 'n', step);
      reader.done();
      const evicted = model.append(expected);
      counts.held++;
      counts.evicted += evicted;
      counts.large += fields.data.byteLength > 512 ? 1 : 0;
      assert.deepStrictEqual(held, expected, `${where}: the message held`);
      assert.deepStrictEqual(Buffer.from(held.data), Buffer.from(fields.data), `${where}: its data`);
      assert.strictEqual(messageBytes(held), messageBytes(expected));
      assert.deepStrictEqual([store.size, store.bytes, store.evicted], [model.size, model.bytes, model.evicted], `${where}: bounds`);
      assert.strictEqual(store.get(held.id), held.id ? store.get(held.id) : undefined);
      assert.strictEqual(store.sequenceOf(held), model.sequenceOf(expected), `${where}: arrival number`);
      if (step % 97 === 0) {
        assert.deepStrictEqual(store.toArray(), model.toArray(), `${where}: every message`);
        assert.deepStrictEqual(store.threadLinks(), model.threadLinks(), `${where}: threads`);
        for (const id of [fields.id, fields.replyToId, `m${random.int(0, 200)}`]) {
          assert.deepStrictEqual(store.get(id), model.get(id), `${where}: get ${id}`);
          assert.deepStrictEqual(store.repliesTo(id), model.repliesTo(id), `${where}: replies to ${id}`);
        }
      }
    }
    assert.ok(counts.spoiled > 500 && counts.spoiledAtBounds > 100, JSON.stringify(counts));
    assert.ok(counts.evicted > 5000 && counts.large > 1000 && counts.resizes > 10, JSON.stringify(counts));
  });

  it('is what the decoder returns when it has a holder, and the decoder builds it when the holder declines', () => {
    const fields = { id: 'ab'.repeat(32), replyToId: '', fromPubkey: `02${'ab'.repeat(32)}`, data: Buffer.from('hello'), serviceType: 'message', amount: '5' };
    const store = new MessageStore(10);
    let declines = true;
    const decoder = new FrameDecoder({ node: 'n', holder: (message, node, receivedAt) => (declines ? undefined : store.appendEncoded(message, node, receivedAt)) });
    const built = decoder.decodeText(canonicalFrame(fields), 1);
    assert.ok(built.kind === 'message' && built.held === undefined && store.size === 0);
    declines = false;
    const held = decoder.decodeText(canonicalFrame({ ...fields, id: 'cd'.repeat(32) }), 2);
    assert.ok(held.kind === 'message' && held.held === true);
    assert.strictEqual(held.message, store.get('cd'.repeat(32)), 'the object the store hands out');
    assert.deepStrictEqual({ ...held.message, id: fields.id, receivedAt: 1 }, built.message);
    // A frame whose data is not base64 is neither held nor built by the fast path: the general path decodes it as text.
    const text = decoder.decodeText(canonicalFrame({ ...fields, id: 'ef'.repeat(32), data: 'not base64!' }), 3);
    assert.ok(text.kind === 'message' && text.held === undefined);
    assert.strictEqual(Buffer.from(text.message.data).toString(), 'not base64!');
    assert.strictEqual(store.size, 1);
    assert.strictEqual(decoder.fastPathFrames, 2);
  });
});
