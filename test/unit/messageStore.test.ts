import * as assert from 'assert';
import { MessageStore } from '../../src/core/messageStore';
import { nodeMessage } from './helpers/messages';

const ids = (messages: readonly { id: string }[]) => messages.map((m) => m.id);

describe('MessageStore', () => {
  it('holds messages oldest first up to the bound and counts what it evicts', () => {
    const store = new MessageStore(3);
    const evicted = ['a', 'b', 'c', 'd', 'e'].map((id) => store.append(nodeMessage({ id }))?.id);
    assert.deepStrictEqual(evicted, [undefined, undefined, undefined, 'a', 'b']);
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
});
