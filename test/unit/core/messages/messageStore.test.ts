import * as assert from 'assert';
import { MessageStore, messageBytes } from '../../../../src/core/messages/messageStore';
import { nodeMessage } from '../../helpers/messages';

const ids = (messages: readonly { id: string }[]) => messages.map((m) => m.id);

describe('MessageStore', () => {
  it('clear(true) keeps the room it had, and holds, finds and evicts as a new store does', () => {
    const store = new MessageStore(10_000);
    for (let i = 0; i < 3000; i++) {
      store.append(nodeMessage({ id: `m${i}`, data: Buffer.alloc(100) }));
    }
    const slots = store.slots;
    assert.ok(slots >= 3000, `${slots} slots`);
    store.clear(true);
    assert.strictEqual(store.size, 0);
    assert.strictEqual(store.slots, slots, 'the room is kept');
    assert.strictEqual(store.get('m1'), undefined, 'nothing of before is found');
    for (let i = 0; i < 3000; i++) {
      store.append(nodeMessage({ id: `n${i}`, replyToId: i > 0 ? `n${i - 1}` : '' }));
    }
    assert.strictEqual(store.slots, slots, 'it did not grow again');
    assert.strictEqual(store.get('n2999')?.replyToId, 'n2998');
    assert.deepStrictEqual(store.repliesTo('n0').map((m) => m.id), ['n1']);
    store.clear();
    assert.ok(store.slots < slots, 'a plain clear gives the room back');
    const small = new MessageStore(2);
    small.clear(true);
    ['a', 'b', 'c'].forEach((id) => small.append(nodeMessage({ id })));
    assert.deepStrictEqual(small.toArray().map((m) => m.id), ['b', 'c'], 'still bounded');
  });

  it('holds messages oldest first up to the bound and counts what it evicts', () => {
    const store = new MessageStore(3);
    const evicted = ['a', 'b', 'c', 'd', 'e'].map((id) => store.append(nodeMessage({ id })));
    assert.deepStrictEqual(evicted, [0, 0, 0, 1, 1]);
    assert.deepStrictEqual(ids(store.toArray()), ['c', 'd', 'e']);
    assert.strictEqual(store.size, 3);
    assert.strictEqual(store.evicted, 2);
    assert.strictEqual(store.get('a'), undefined);
    assert.strictEqual(store.get('d')?.id, 'd');
    assert.strictEqual(store.toArray()[2]?.id, 'e');
  });

  it('keeps a repeated ID mapped to its newest message when the older one is evicted', () => {
    const store = new MessageStore(2);
    store.append(nodeMessage({ id: 'dup', receivedAt: 1 }));
    store.append(nodeMessage({ id: 'dup', receivedAt: 2 }));
    store.append(nodeMessage({ id: 'z' }));
    assert.strictEqual(store.get('dup')?.receivedAt, 2);
  });

  it('shrinks and grows, evicting the oldest', () => {
    const store = new MessageStore(5);
    ['a', 'b', 'c', 'd', 'e'].forEach((id) => store.append(nodeMessage({ id })));
    assert.deepStrictEqual(ids(store.resize(2)), ['a', 'b', 'c']);
    assert.deepStrictEqual(ids(store.toArray()), ['d', 'e']);
    assert.strictEqual(store.evicted, 3);
    store.resize(4);
    store.append(nodeMessage({ id: 'f' }));
    assert.deepStrictEqual(ids(store.toArray()), ['d', 'e', 'f']);
  });

  it('clears everything', () => {
    const store = new MessageStore(2);
    store.append(nodeMessage({ id: 'a' }));
    store.append(nodeMessage({ id: 'b', replyToId: 'a' }));
    store.clear();
    assert.strictEqual(store.size, 0);
    assert.deepStrictEqual(store.repliesTo('a'), []);
    assert.strictEqual(store.get('a'), undefined);
  });

  it('stays within its bound over a long run (constant size, map sizes included)', () => {
    const store = new MessageStore(100);
    for (let i = 0; i < 100_000; i++) {
      store.append(nodeMessage({ id: `m${i}`, replyToId: i % 10 === 0 ? `m${i - 1}` : '' }));
    }
    assert.strictEqual(store.size, 100);
    assert.strictEqual(store.evicted, 99_900);
    const internals = store as unknown as { byId: Map<string, unknown>; threads: { repliesByParent: Map<string, unknown> } };
    assert.strictEqual(internals.byId.size, 100);
    assert.ok(internals.threads.repliesByParent.size <= 10);
  });

  describe('byte budget', () => {
    /** A message of exactly `bytes` by `messageBytes`. */
    const sized = (id: string, bytes: number) => nodeMessage({ id, replyToId: '', fromPubkey: '', serviceType: '', data: new Uint8Array(bytes - 2 * id.length) });

    it('counts data bytes plus two bytes per string code unit', () => {
      const message = nodeMessage({ id: 'abc', replyToId: 'de', fromPubkey: 'f', serviceType: 'message', data: new Uint8Array(10) });
      assert.strictEqual(messageBytes(message), 10 + 2 * (3 + 2 + 1 + 7));
    });

    it('evicts the oldest when the budget is reached, counted like the count bound', () => {
      const store = new MessageStore(100, 1000);
      const evicted = ['a', 'b', 'c', 'd'].map((id) => store.append(sized(id, 300)));
      // Three fit in 1000, the fourth evicts the first.
      assert.deepStrictEqual(evicted, [0, 0, 0, 1]);
      assert.deepStrictEqual(ids(store.toArray()), ['b', 'c', 'd']);
      assert.strictEqual(store.bytes, 900);
      assert.strictEqual(store.evicted, 1);
      assert.strictEqual(store.get('a'), undefined);
    });

    it('lets a large message evict as many as it needs, and always holds the newest', () => {
      const store = new MessageStore(100, 1000);
      ['a', 'b', 'c'].forEach((id) => store.append(sized(id, 100)));
      assert.strictEqual(store.append(sized('big', 5000)), 3);
      assert.deepStrictEqual(ids(store.toArray()), ['big']);
      assert.strictEqual(store.append(sized('e', 100)), 1);
      assert.deepStrictEqual(ids(store.toArray()), ['e']);
      assert.strictEqual(store.evicted, 4);
    });

    it('applies whichever bound is reached first', () => {
      const byCount = new MessageStore(2, 1_000_000);
      ['a', 'b', 'c'].forEach((id) => byCount.append(sized(id, 10)));
      assert.deepStrictEqual(ids(byCount.toArray()), ['b', 'c']);
      const byBytes = new MessageStore(1000, 50);
      ['a', 'b', 'c'].forEach((id) => byBytes.append(sized(id, 20)));
      assert.deepStrictEqual(ids(byBytes.toArray()), ['b', 'c']);
    });

    it('shrinks to a smaller budget, evicting the oldest, and resets its bytes on clear', () => {
      const store = new MessageStore(100);
      ['a', 'b', 'c', 'd'].forEach((id) => store.append(sized(id, 100)));
      assert.deepStrictEqual(ids(store.resize(100, 250)), ['a', 'b']);
      assert.deepStrictEqual(ids(store.toArray()), ['c', 'd']);
      assert.strictEqual(store.bytes, 200);
      store.append(sized('e', 100));
      assert.deepStrictEqual(ids(store.toArray()), ['d', 'e']);
      store.clear();
      assert.strictEqual(store.bytes, 0);
    });

    it('stays within the budget over a long run of random sizes (bytes match what is held)', () => {
      const store = new MessageStore(5000, 64 * 1024);
      let seed = 7;
      for (let i = 0; i < 20_000; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        store.append(sized(`m${i}`, 20 + (seed % 4000)));
        assert.ok(store.bytes <= 64 * 1024 || store.size === 1);
      }
      assert.strictEqual(store.bytes, store.toArray().reduce((sum, message) => sum + messageBytes(message), 0));
      assert.strictEqual(store.size + store.evicted, 20_000);
    });
  });
});
