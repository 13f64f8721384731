import * as assert from 'assert';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import { isMessage, MessageTreeModel, type MessageElement, type MessageSource, type MessageTreeElement } from '../../../../src/core/messages/messageTree';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { MAX_THREAD_DEPTH, ThreadShape } from '../../../../src/core/messages/threadShape';
import { nodeMessage } from '../../helpers/messages';
import { checkTree } from '../../helpers/treeWalk';

const ids = (messages: readonly NodeMessage[]) => messages.map((m) => m.id);

function storeOf(capacity: number, ...messages: NodeMessage[]): MessageStore {
  const store = new MessageStore(capacity);
  messages.forEach((message) => store.append(message));
  return store;
}

function modelOf(store: MessageStore): MessageTreeModel {
  const source: MessageSource = { nodeNames: () => ['n'], storeNames: () => ['n'], store: () => store };
  return new MessageTreeModel(source, Number.POSITIVE_INFINITY);
}

/** A shape with the store it was built from: messages in, messages out (the shape itself reads arrival numbers). */
function shapeOf(...messages: NodeMessage[]) {
  const store = storeOf(1000, ...messages);
  const shape = new ThreadShape(store);
  const at = (sequence: number | undefined) => (sequence === undefined ? undefined : store.at(sequence));
  const seq = (message: NodeMessage) => store.sequenceOf(message);
  return {
    roots: () => shape.roots.map((sequence) => store.at(sequence) as NodeMessage),
    parentOf: (message: NodeMessage) => at(shape.parentOf(seq(message))),
    childrenOf: (message: NodeMessage) => shape.childrenOf(seq(message)).map((sequence) => store.at(sequence) as NodeMessage),
    rootOf: (message: NodeMessage) => at(shape.rootOf(seq(message))),
    isLoop: (message: NodeMessage) => shape.isLoop(seq(message)),
    isOrphan: (message: NodeMessage) => shape.isOrphan(seq(message)),
    isFlattened: (message: NodeMessage) => shape.isFlattened(seq(message)),
    depthOf: (message: NodeMessage) => shape.depthOf(seq(message)),
  };
}

describe('ThreadShape', () => {
  it('shows a self-reply as a root marked as a loop', () => {
    const self = nodeMessage({ id: 'a', replyToId: 'a' });
    const shape = shapeOf(self);
    assert.deepStrictEqual(ids(shape.roots()), ['a']);
    assert.strictEqual(shape.parentOf(self), undefined);
    assert.ok(shape.isLoop(self));
    assert.ok(!shape.isOrphan(self));
    assert.deepStrictEqual(shape.childrenOf(self), []);
  });

  it('breaks a loop at its oldest message; the rest of the loop and its branches hang under it', () => {
    const a = nodeMessage({ id: 'a', replyToId: 'c' });
    const b = nodeMessage({ id: 'b', replyToId: 'a' });
    const c = nodeMessage({ id: 'c', replyToId: 'b' });
    const branch = nodeMessage({ id: 'x', replyToId: 'b' });
    const shape = shapeOf(a, b, c, branch);
    assert.deepStrictEqual(ids(shape.roots()), ['a']);
    assert.ok(shape.isLoop(a) && !shape.isLoop(b) && !shape.isLoop(c));
    assert.deepStrictEqual(ids(shape.childrenOf(a)), ['b']);
    assert.deepStrictEqual(ids(shape.childrenOf(b)), ['c', 'x']);
    assert.deepStrictEqual(shape.rootOf(c), a);
  });

  it('breaks a two-message loop the same way whichever member is asked about', () => {
    const a = nodeMessage({ id: 'a', replyToId: 'b' });
    const b = nodeMessage({ id: 'b', replyToId: 'a' });
    const shape = shapeOf(a, b);
    assert.deepStrictEqual(shape.rootOf(a), a);
    assert.deepStrictEqual(shape.rootOf(b), a);
    assert.deepStrictEqual(shape.parentOf(b), a);
  });

  it('nests a chain up to MAX_THREAD_DEPTH, then shows the rest flat under the ancestor at that depth', () => {
    const chain = Array.from({ length: MAX_THREAD_DEPTH + 5 }, (_, i) => nodeMessage({ id: `c${i}`, replyToId: i ? `c${i - 1}` : '' }));
    const shape = shapeOf(...chain);
    const anchor = chain[MAX_THREAD_DEPTH]!;
    assert.deepStrictEqual(shape.parentOf(chain[MAX_THREAD_DEPTH + 1]!), anchor);
    assert.deepStrictEqual(shape.parentOf(chain[MAX_THREAD_DEPTH + 4]!), anchor);
    assert.deepStrictEqual(ids(shape.childrenOf(anchor)), ids(chain.slice(MAX_THREAD_DEPTH + 1)));
    assert.strictEqual(shape.depthOf(chain[MAX_THREAD_DEPTH + 4]!), MAX_THREAD_DEPTH + 4);
    assert.ok(shape.isFlattened(chain[MAX_THREAD_DEPTH + 1]!) && !shape.isFlattened(anchor));
  });

  it('handles a 100,000-deep chain without recursion: the last message is a few steps from its root', () => {
    const count = 100_000;
    const store = new MessageStore(count);
    for (let i = 0; i < count; i++) {
      store.append(nodeMessage({ id: `c${i}`, replyToId: i ? `c${i - 1}` : '' }));
    }
    const model = modelOf(store);
    const last = model.element(store.get(`c${count - 1}`)!)!;
    let steps = 0;
    for (let element: MessageTreeElement | undefined = model.parent(last); element; element = model.parent(element)) {
      steps++;
    }
    assert.strictEqual(steps, MAX_THREAD_DEPTH + 1);
    assert.strictEqual(model.message(model.threadRoot(last))?.id, 'c0');
    assert.strictEqual(model.marks(last).flatDepth, count - 1);
    assert.strictEqual(checkTree(model, MAX_THREAD_DEPTH + 2).length, count);
  });

  it('shows a reply to an ID never seen as a marked root, and a copy of a repeated ID next to the other', () => {
    const orphan = nodeMessage({ id: 'o', replyToId: 'never' });
    const first = nodeMessage({ id: 'd', data: Buffer.from('first') });
    const second = nodeMessage({ id: 'd', data: Buffer.from('second') });
    const reply = nodeMessage({ id: 'r', replyToId: 'd' });
    const store = storeOf(10, orphan, first, second, reply);
    const model = modelOf(store);
    const item = (message: NodeMessage) => model.element(message) as MessageElement;
    assert.ok(model.isOrphan(item(orphan)));
    assert.ok(model.marks(item(first)).duplicate && model.marks(item(second)).duplicate && !model.marks(item(reply)).duplicate);
    assert.deepStrictEqual(messagesOf(model, model.children(item(second))), ['r'], 'replies go to the newest copy, which lookups find');
    assert.notStrictEqual(model.id(item(first)), model.id(item(second)));
    assert.match(model.id(item(first)), /^m\/n\/d\/1\/leaf$/, 'the older copy adds its arrival number');
    assert.strictEqual(model.id(item(second)), 'm/n/d', 'the copy lookups find does not');
    assert.strictEqual(checkTree(model, 10).length, 4);
  });

  it('rebuilds when the store changes: an evicted parent makes its replies orphans', () => {
    const store = storeOf(3, nodeMessage({ id: 'p' }), nodeMessage({ id: 'r1', replyToId: 'p' }));
    const model = modelOf(store);
    assert.strictEqual(model.roots().length, 1);
    store.append(nodeMessage({ id: 'x' }));
    store.append(nodeMessage({ id: 'y' }));
    assert.deepStrictEqual(messagesOf(model, model.roots()), ['y', 'x', 'r1']);
    assert.ok(model.isOrphan(model.element(store.get('r1')!)!));
    store.clear();
    assert.deepStrictEqual(model.roots(), []);
  });

  it('keeps item IDs unique and unambiguous for any ID string', () => {
    const hostile = ['', '', '/', 'a/b', 'a', 'a/leaf', '%2F', '?#% ', '\ud800', '\udc00x', '😀', 'm/n/a'];
    const store = storeOf(100, ...hostile.map((id, i) => nodeMessage({ id, replyToId: i % 3 === 0 ? 'a' : '' })));
    const model = modelOf(store);
    const shown = checkTree(model, 10);
    assert.strictEqual(shown.length, hostile.length);
    for (const message of shown) {
      assert.match(model.id(model.element(message)!), /^m\/n\/[A-Za-z0-9_%-]*(\/\d+)?(\/leaf)?$/);
    }
  });
});

/** The IDs of the messages of a list of items. */
function messagesOf(model: MessageTreeModel, elements: readonly MessageTreeElement[]): string[] {
  return elements.filter(isMessage).map((element) => model.message(element)?.id ?? '(gone)');
}
