import * as assert from 'assert';
import { MessageStore, messageBytes, RECENT_OBJECTS } from '../../../../src/core/messages/messageStore';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { Prng } from '../../../../src/core/simulator/prng';
import { anyCharacter } from '../../helpers/messages';

const SEED = 0x5702e;
const OPERATIONS = 100_000;
const FOUR_MIB = 4 * 1024 * 1024;

/**
 * The store as it was before it held messages as data: an array of the objects, oldest first,
 * with the same bounds and the same eviction rule. Every query of the store must agree with it.
 */
class ReferenceStore {
  held: NodeMessage[] = [];
  bytes = 0;
  evicted = 0;
  /** Every message ever appended, clears included: the next arrival number. */
  appended = 0;

  constructor(
    public maxMessages: number,
    public maxBytes: number,
  ) {}

  append(message: NodeMessage): number {
    const size = messageBytes(message);
    let evicted = 0;
    while (this.held.length > 0 && (this.held.length >= this.maxMessages || this.bytes + size > this.maxBytes)) {
      this.evictOldest();
      evicted++;
    }
    this.held.push(message);
    this.bytes += size;
    this.appended++;
    return evicted;
  }

  /** The arrival number of the oldest held message. */
  get firstSequence(): number {
    return this.appended - this.held.length;
  }

  /** Where the message lookups by `id` find is held, or -1. */
  placeOfId(id: string): number {
    const found = this.get(id);
    return found ? this.held.lastIndexOf(found) : -1;
  }

  evictOldest(): NodeMessage | undefined {
    const message = this.held.shift();
    if (message) {
      this.bytes -= messageBytes(message);
      this.evicted++;
    }
    return message;
  }

  resize(maxMessages: number, maxBytes: number): NodeMessage[] {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    const dropped: NodeMessage[] = [];
    while (this.held.length > maxMessages || (this.held.length > 1 && this.bytes > maxBytes)) {
      dropped.push(this.evictOldest() as NodeMessage);
    }
    return dropped;
  }

  clear(): void {
    this.held = [];
    this.bytes = 0;
    this.evicted = 0;
  }

  get(id: string): NodeMessage | undefined {
    for (let i = this.held.length - 1; i >= 0 && id; i--) {
      if (this.held[i]?.id === id) {
        return this.held[i];
      }
    }
    return undefined;
  }

  repliesTo(id: string): NodeMessage[] {
    return id ? this.held.filter((message) => message.replyToId === id) : [];
  }

  parentOf(message: NodeMessage): NodeMessage | undefined {
    return message.replyToId ? this.get(message.replyToId) : undefined;
  }

  rootOf(message: NodeMessage): NodeMessage {
    let current = message;
    const seen = new Set([current]);
    for (let parent = this.parentOf(current); parent && !seen.has(parent); parent = this.parentOf(current)) {
      seen.add(parent);
      current = parent;
    }
    return current;
  }
}

function randomMessage(random: Prng, step: number): NodeMessage {
  const idOf = () =>
    random.weighted<() => string>([
      [() => `m${random.int(0, 300)}`, 20],
      [() => random.hex(64), 5],
      [() => '', 2],
      [() => `wide-${anyCharacter(random)}${random.int(0, 20)}`, 2],
      [() => 'x'.repeat(random.int(1000, 3000)), 1],
    ])();
  const dataLength = random.weighted<() => number>([
    [() => random.int(0, 40), 20],
    [() => random.int(100, 3000), 5],
    [() => FOUR_MIB, 0.02],
  ])();
  const bytes = dataLength === FOUR_MIB ? new Uint8Array(FOUR_MIB).fill(step & 0xff) : random.bytes(dataLength);
  return {
    node: random.pick(['n', 'other', '']),
    id: idOf(),
    replyToId: random.chance(0.4) ? idOf() : '',
    fromPubkey: random.weighted<() => string>([
      [() => `02${'ab'.repeat(32)}`, 10],
      [() => `did:peer:${random.int(0, 50)}`, 5],
      [() => Array.from({ length: random.int(0, 12) }, () => anyCharacter(random)).join(''), 5],
    ])(),
    data: random.chance(0.7) ? Buffer.from(bytes) : bytes,
    serviceType: random.pick(['message', 'chat', '', `type-${random.int(0, 1000)}`, anyCharacter(random)]),
    amount: random.pick([0n, 1n, -1n, BigInt(random.int(0, 1e9)), 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n + 5n, -(2n ** 70n)]),
    receivedAt: step + random.pick([0, 0.5, -1e9]),
  };
}

function randomBounds(random: Prng): [number, number] {
  return [
    random.weighted<number>([
      [random.int(1, 5), 1],
      [random.int(1, 400), 4],
      [random.int(500, 2000), 1],
    ]),
    random.pick([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 8 * 1024 * 1024, 200_000, 20_000, 2000, 1]),
  ];
}

describe('MessageStore against a plain model', function () {
  this.timeout(300_000);

  it(`agrees on every query over ${OPERATIONS.toLocaleString('en')} random operations`, () => {
    const random = new Prng(SEED);
    const [maxMessages, maxBytes] = [300, Number.POSITIVE_INFINITY];
    const store = new MessageStore(maxMessages, maxBytes);
    // The journal's queue: the same store without lookups must hold the same messages.
    const queue = new MessageStore(maxMessages, maxBytes, { lookups: false });
    const model = new ReferenceStore(maxMessages, maxBytes);
    const counts = { appends: 0, duplicates: 0, emptyIds: 0, large: 0, resizes: 0, clears: 0, evictions: 0, compared: 0 };
    const someId = () => (model.held.length > 0 && random.chance(0.8) ? random.pick(model.held).id : `m${random.int(0, 300)}`);
    for (let step = 0; step < OPERATIONS; step++) {
      const operation = random.weighted<string>([
        ['append', 80],
        ['evict', 3],
        ['resize', 0.4],
        ['clear', 0.05],
        ['query', 16],
      ]);
      const where = `step ${step} (${operation})`;
      if (operation === 'append') {
        const message = randomMessage(random, step);
        counts.appends++;
        counts.duplicates += message.id && model.get(message.id) ? 1 : 0;
        counts.emptyIds += message.id ? 0 : 1;
        counts.large += message.data.byteLength === FOUR_MIB ? 1 : 0;
        const evicted = model.append(message);
        assert.strictEqual(store.append(message), evicted, where);
        assert.strictEqual(queue.append(message), evicted, `${where}: queue`);
      } else if (operation === 'evict') {
        counts.evictions++;
        const oldest = model.evictOldest();
        assert.deepStrictEqual(store.evictOldest(), oldest, where);
        assert.deepStrictEqual(queue.evictOldest(), oldest, `${where}: queue`);
      } else if (operation === 'resize') {
        counts.resizes++;
        const [messages, bytes] = randomBounds(random);
        const dropped = model.resize(messages, bytes);
        assert.deepStrictEqual(store.resize(messages, bytes), dropped, where);
        assert.deepStrictEqual(queue.resize(messages, bytes), dropped, `${where}: queue`);
      } else if (operation === 'clear') {
        counts.clears++;
        store.clear();
        queue.clear(random.chance(0.5));
        model.clear();
      } else {
        const id = someId();
        assert.deepStrictEqual(store.get(id), model.get(id), `${where}: get ${id}`);
        assert.deepStrictEqual(store.get(id), store.get(id), `${where}: an equal message twice`);
        assert.deepStrictEqual(store.repliesTo(id), model.repliesTo(id), `${where}: repliesTo ${id}`);
        const held = store.get(id);
        const place = model.placeOfId(id);
        assert.strictEqual(store.sequenceOfId(id), place < 0 ? -1 : model.firstSequence + place, `${where}: sequenceOfId ${id}`);
        if (model.held.length > 0) {
          const k = step % model.held.length;
          assert.deepStrictEqual(store.at(model.firstSequence + k), model.held[k], `${where}: at`);
        }
        assert.strictEqual(store.at(model.firstSequence - 1), undefined, `${where}: at, before the oldest`);
        assert.strictEqual(store.at(model.firstSequence + model.held.length), undefined, `${where}: at, after the newest`);
        if (held) {
          assert.strictEqual(store.sequenceOf(held), model.firstSequence + place, `${where}: sequenceOf`);
          assert.deepStrictEqual(store.parentOf(held), model.parentOf(held), `${where}: parentOf`);
          assert.deepStrictEqual(store.rootOf(held), model.rootOf(model.get(id) as NodeMessage), `${where}: rootOf`);
        }
      }
      assert.strictEqual(store.size, model.held.length, where);
      assert.strictEqual(store.bytes, model.bytes, where);
      assert.strictEqual(store.evicted, model.evicted, where);
      assert.strictEqual(store.firstSequence, model.firstSequence, where);
      assert.deepStrictEqual(store.oldest(), model.held[0], where);
      assert.strictEqual(store.objectsHeld, Math.min(RECENT_OBJECTS, model.held.length), `${where}: objects only for the newest`);
      assert.deepStrictEqual([queue.size, queue.bytes, queue.evicted, queue.firstSequence], [model.held.length, model.bytes, model.evicted, model.firstSequence], `${where}: queue`);
      assert.strictEqual(queue.objectsHeld, 0, `${where}: the queue keeps no objects`);
      if (step % 2000 === 0 || operation === 'resize') {
        counts.compared++;
        const all = store.toArray();
        assert.deepStrictEqual(all, model.held, `${where}: toArray`);
        assert.deepStrictEqual(queue.toArray(), model.held, `${where}: the queue's toArray`);
        // The newest are the objects they arrived as; the others are built at each call.
        const newest = all.length - RECENT_OBJECTS;
        assert.ok(
          store.toArray().every((message, index) => (message === all[index]) === index >= newest && (index < newest || message === model.held[index])),
          `${where}: the same objects for the newest only`,
        );
        const links = store.threadLinks();
        const place = (message: NodeMessage | undefined) => (message ? model.held.lastIndexOf(message) : -1);
        assert.deepStrictEqual([...links.parents], model.held.map((message) => place(model.parentOf(message))), `${where}: threadLinks parents`);
        assert.deepStrictEqual([...links.newestOfId], model.held.map((message) => place(model.get(message.id))), `${where}: threadLinks newestOfId`);
        assert.deepStrictEqual([...links.replies], model.held.map((message) => (message.replyToId ? 1 : 0)), `${where}: threadLinks replies`);
      }
    }
    assert.deepStrictEqual(store.toArray(), model.held);
    assert.deepStrictEqual([...queue.messages()], model.held);
    const id = model.held.find((message) => message.id)?.id as string;
    for (const lookup of [() => queue.get(id), () => queue.sequenceOfId(id), () => queue.repliesTo(id), () => queue.threadLinks()]) {
      assert.throws(lookup, /no index by ID/, 'a queue has no lookups');
    }
    // Each kind of operation really happened.
    assert.ok(counts.duplicates > 1000 && counts.emptyIds > 1000 && counts.large > 5 && counts.resizes > 100 && counts.clears > 10, JSON.stringify(counts));
  });
});
