import * as assert from 'assert';
import { messageFromJson, messageToJson } from '../../../../src/core/journal/messageJson';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { Prng } from '../../../../src/core/simulator/prng';
import { anyCharacter } from '../../helpers/messages';

const SEED = 0x150e1;

/** What the journal wrote for each message before its lines came from the store's data. */
function referenceLines(messages: readonly NodeMessage[], first = ''): string {
  return first + messages.map((message) => `${JSON.stringify(messageToJson(message))}\n`).join('');
}

/** The store's lines, each piece copied as it comes (a piece is overwritten by the next). */
function storeLines(store: MessageStore, pieceBytes: number, first = ''): { text: string; pieces: number[] } {
  const pieces: Buffer[] = [];
  for (const piece of store.jsonLines(pieceBytes, first)) {
    pieces.push(Buffer.from(piece));
  }
  return { text: Buffer.concat(pieces).toString('utf8'), pieces: pieces.map((piece) => piece.length) };
}

/** A key as peers and nodes send them: hex (as IDs nearly always are), other ASCII, or any text at all. */
function randomKey(random: Prng): string {
  switch (random.int(0, 5)) {
    case 0:
      return '';
    case 1:
    case 2:
      return Array.from({ length: 2 * random.int(1, 32) }, () => '0123456789abcdef'[random.int(0, 15)]).join('');
    case 3:
      return Array.from({ length: random.int(1, 40) }, () => String.fromCharCode(random.int(0, 0xff))).join('');
    case 4:
      return `"},"id":"forged\\\n${random.int(0, 9)}`;
    default:
      return Array.from({ length: random.int(1, 12) }, () => anyCharacter(random)).join('');
  }
}

function randomMessage(random: Prng, index: number): NodeMessage {
  const bytes = Buffer.from(Array.from({ length: random.chance(0.1) ? random.int(200, 3000) : random.int(0, 40) }, () => random.int(0, 255)));
  return {
    node: random.pick(['node a', 'n"b', '\u2028', `node ${random.int(0, 30)}`]),
    id: randomKey(random),
    replyToId: random.chance(0.5) ? '' : randomKey(random),
    fromPubkey: random.chance(0.7) ? `02${'ab'.repeat(32)}` : randomKey(random),
    // The decoder hands over a Buffer; a message built by hand may carry a plain Uint8Array.
    data: random.chance(0.8) ? bytes : new Uint8Array(bytes),
    serviceType: random.pick(['message', 'invoice', '', '</script>', anyCharacter(random)]),
    amount: random.pick([0n, 1n, -21n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n, -(10n ** 30n)]),
    receivedAt: random.pick([index, 1_733_000_000_000 + index, 1.5, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e21]),
  };
}

describe('MessageStore.jsonLines', () => {
  it('writes each held message as JSON.stringify(messageToJson) and a newline, over 20,000 hostile messages, in pieces of any size', () => {
    const random = new Prng(SEED);
    // Bounded, so the oldest are evicted and the records wrap round the slab.
    const store = new MessageStore(3000, 600_000);
    const reference: NodeMessage[] = [];
    for (let index = 0; index < 20_000; index++) {
      const message = randomMessage(random, index);
      store.append(message);
      reference.push(message);
      if (index % 4999 === 0 || index === 19_999) {
        const held = reference.slice(reference.length - store.size);
        for (const pieceBytes of [1, 64, 4096, 128 * 1024]) {
          const { text, pieces } = storeLines(store, pieceBytes, '\n');
          assert.strictEqual(text, referenceLines(held, '\n'), `after ${index + 1} messages, pieces of ${pieceBytes} bytes`);
          // A piece is never longer than asked, but for a line longer than that on its own.
          const longest = Math.max(...referenceLines(held).split('\n').map((line) => Buffer.byteLength(line) + 1));
          assert.ok(pieces.every((length) => length <= Math.max(pieceBytes, longest)), 'pieces stay within their size');
        }
      }
    }
  });

  it('keeps every field inside its JSON string: one line a message, each read back as it was', () => {
    const forged = `x","amount":"999999","receivedAt":1}\n{"node":"other","id":"`;
    const messages: NodeMessage[] = [
      { node: forged, id: forged, replyToId: '\u0000\u001f\\', fromPubkey: '\ud83d', data: Buffer.from('\n'), serviceType: '\u2029', amount: 5n, receivedAt: 7 },
      { node: 'n', id: 'AB', replyToId: 'ab', fromPubkey: 'é', data: new Uint8Array(0), serviceType: 'message', amount: -(2n ** 63n), receivedAt: 8 },
    ];
    const store = new MessageStore(10);
    messages.forEach((message) => store.append(message));
    const lines = storeLines(store, 1024).text.split('\n');
    assert.strictEqual(lines.pop(), '', 'the last line ends with a newline');
    assert.strictEqual(lines.length, messages.length, 'one line a message');
    lines.forEach((line, index) => {
      const back = messageFromJson(JSON.parse(line));
      assert.ok(back, `line ${index} reads back`);
      const sent = messages[index] as NodeMessage;
      assert.deepStrictEqual({ ...back, data: [...back.data] }, { ...sent, data: [...sent.data] });
    });
  });

  it('writes the string now held where a dropped one was, not the JSON made for that one', () => {
    const store = new MessageStore(1);
    store.append({ node: 'n', id: 'a', replyToId: '', fromPubkey: 'first sender', data: Buffer.from('x'), serviceType: 'type one', amount: 1n, receivedAt: 1 });
    assert.match(storeLines(store, 1024).text, /"fromPubkey":"first sender"/);
    // Evicting the first drops its strings; the second's take their places in the table.
    const second: NodeMessage = { node: 'n', id: 'b', replyToId: '', fromPubkey: 'second sender', data: Buffer.from('y'), serviceType: 'type two', amount: 1n, receivedAt: 2 };
    store.append(second);
    assert.strictEqual(storeLines(store, 1024).text, referenceLines([second]));
  });
});

describe('MessageStore.appendCopy', () => {
  it('holds what append of the same message would, over 20,000 hostile messages copied from a store whose records wrap', () => {
    const random = new Prng(SEED + 1);
    const store = new MessageStore(700, 200_000);
    const queue = new MessageStore(1, Number.POSITIVE_INFINITY, { lookups: false });
    queue.resize(2500, 900_000);
    const reference = new MessageStore(2500, 900_000, { lookups: false });
    for (let index = 0; index < 20_000; index++) {
      const message = randomMessage(random, index);
      store.append(message);
      const sequence = store.newestSequenceOf(message);
      assert.strictEqual(sequence, store.firstSequence + store.size - 1, 'the message just held is the newest');
      assert.ok(queue.appendCopy(store, sequence));
      reference.append(message);
      assert.strictEqual(queue.size, reference.size, `after ${index + 1}: held`);
      assert.strictEqual(queue.bytes, reference.bytes, `after ${index + 1}: bytes`);
      if (index % 3001 === 0 || index === 19_999) {
        assert.deepStrictEqual(queue.toArray(), reference.toArray(), `after ${index + 1}: the messages`);
        assert.strictEqual(storeLines(queue, 4096).text, storeLines(reference, 4096).text, `after ${index + 1}: the lines`);
      }
    }
  });

  it('finds only the object the newest message arrived as, and copies nothing once the message is gone', () => {
    const store = new MessageStore(2);
    const first: NodeMessage = { node: 'n', id: 'a', replyToId: '', fromPubkey: 'p', data: Buffer.from('x'), serviceType: 's', amount: 1n, receivedAt: 1 };
    store.append(first);
    assert.strictEqual(store.newestSequenceOf(first), 0);
    assert.strictEqual(store.newestSequenceOf({ ...first }), -1, 'an equal object is not the one held');
    store.append({ ...first, id: 'b' });
    assert.strictEqual(store.newestSequenceOf(first), -1, 'no longer the newest');
    store.append({ ...first, id: 'c' });
    const queue = new MessageStore(10, Number.POSITIVE_INFINITY, { lookups: false });
    assert.strictEqual(queue.appendCopy(store, 0), false, 'evicted: nothing to copy');
    assert.strictEqual(queue.size, 0);
    assert.strictEqual(new MessageStore(10, Number.POSITIVE_INFINITY, { lookups: false }).newestSequenceOf(first), -1, 'a queue keeps no objects');
  });
});
