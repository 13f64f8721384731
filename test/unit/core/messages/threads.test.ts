import * as assert from 'assert';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import { parentOf, rootOf } from '../../../../src/core/messages/threads';
import { nodeMessage } from '../../helpers/messages';

const ids = (messages: readonly { id: string }[]) => messages.map((m) => m.id);

describe('threads', () => {
  it('indexes threads: replies, parent and root at any depth', () => {
    const store = new MessageStore(10);
    store.append(nodeMessage({ id: 'root' }));
    store.append(nodeMessage({ id: 'r1', replyToId: 'root' }));
    store.append(nodeMessage({ id: 'r2', replyToId: 'root' }));
    const deep = nodeMessage({ id: 'r1a', replyToId: 'r1' });
    store.append(deep);
    assert.deepStrictEqual(ids(store.repliesTo('root')), ['r1', 'r2']);
    assert.strictEqual(parentOf(store, deep)?.id, 'r1');
    assert.strictEqual(rootOf(store, deep).id, 'root');
  });

  it('drops evicted messages from the thread index', () => {
    const store = new MessageStore(2);
    store.append(nodeMessage({ id: 'root' }));
    store.append(nodeMessage({ id: 'r1', replyToId: 'root' }));
    store.append(nodeMessage({ id: 'r2', replyToId: 'root' }));
    store.append(nodeMessage({ id: 'x' }));
    assert.deepStrictEqual(ids(store.repliesTo('root')), ['r2']);
    const orphan = store.get('r2')!;
    assert.strictEqual(rootOf(store, orphan).id, 'r2', 'a reply whose parent is gone is its own root');
  });

  it('stops a root walk at a reply cycle', () => {
    const store = new MessageStore(10);
    store.append(nodeMessage({ id: 'a', replyToId: 'b' }));
    const b = nodeMessage({ id: 'b', replyToId: 'a' });
    store.append(b);
    assert.ok(['a', 'b'].includes(rootOf(store, b).id));
  });
});
