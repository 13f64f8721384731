import * as assert from 'assert';
import * as v8 from 'v8';
import * as vm from 'vm';
import { MessageStore, RECENT_OBJECTS } from '../../../../src/core/messages/messageStore';
import { isMessage, MessageTreeModel, type MessageSource, type MessageTreeElement } from '../../../../src/core/messages/messageTree';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { nodeMessage } from '../../helpers/messages';
import { checkTree } from '../../helpers/treeWalk';

const HELD = 5000;

/** `HELD` messages, a third of them replies to an earlier one. */
function heldStore(): MessageStore {
  const store = new MessageStore(HELD);
  for (let i = 0; i < HELD; i++) {
    store.append(nodeMessage({ id: `m${i}`, replyToId: i % 3 === 2 ? `m${i - 2}` : '', data: Buffer.from(`{"text":"message ${i}"}`), receivedAt: 1_000 + i }));
  }
  return store;
}

function modelOf(store: MessageStore): MessageTreeModel {
  const source: MessageSource = { nodeNames: () => ['n'], storeNames: () => ['n'], store: () => store };
  return new MessageTreeModel(source, Number.POSITIVE_INFINITY);
}

/** Draws every item as the view does: its ID, preview and marks, from a message built for it. */
function drawAll(model: MessageTreeModel): Map<string, string> {
  const drawn = new Map<string, string>();
  const pending: (MessageTreeElement | undefined)[] = [undefined];
  while (pending.length > 0) {
    for (const element of model.children(pending.pop())) {
      if (isMessage(element)) {
        const message = model.message(element) as NodeMessage;
        model.preview(element, message);
        model.marks(element, message);
        drawn.set(`${element.node}/${element.sequence}`, model.id(element, message));
      }
      pending.push(element);
    }
  }
  return drawn;
}

/** V8's `gc()`, made available at run time (mocha runs without `--expose-gc`). */
function collectGarbage(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe('Held messages and their objects', () => {
  it(`keeps objects for the ${RECENT_OBJECTS} newest only, after the view listed and drew all ${HELD.toLocaleString('en')}`, () => {
    const store = heldStore();
    const model = modelOf(store);
    assert.strictEqual(checkTree(model, 40).length, HELD);
    assert.strictEqual(drawAll(model).size, HELD);
    store.toArray();
    store.get('m10');
    store.repliesTo('m0');
    assert.strictEqual(store.objectsHeld, RECENT_OBJECTS, 'the store keeps the newest as they arrived, and nothing it built');
  });

  it('lets the garbage collector take every message object the view and the API were handed, once dropped', async () => {
    const store = heldStore();
    const model = modelOf(store);
    const refs = ((): WeakRef<NodeMessage>[] => {
      // Objects the tree walk and the API built: nothing else holds them once this function returns.
      const handed = [...checkTree(model, 40), ...store.toArray()];
      drawAll(model);
      return handed.map((message) => new WeakRef(message));
    })();
    // A WeakRef's target lives to the end of the job that made it.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage()();
    const alive = refs.filter((ref) => ref.deref() !== undefined).length;
    assert.strictEqual(refs.length, 2 * HELD);
    // The newest keep their objects (each appears once in the walk and once in toArray).
    assert.ok(alive <= 2 * RECENT_OBJECTS, `${alive} of ${refs.length} objects still alive`);
    // The model still draws the same tree from the store alone.
    assert.strictEqual(checkTree(model, 40).length, HELD);
  });

  it('gives each message the same item ID at every redraw, whatever object it is drawn from', () => {
    const store = new MessageStore(1000);
    for (let i = 0; i < 100; i++) {
      store.append(nodeMessage({ id: `root${i}`, receivedAt: i }));
      store.append(nodeMessage({ id: `reply${i}`, replyToId: `root${i}`, receivedAt: i }));
    }
    const model = modelOf(store);
    const before = drawAll(model);
    // Past the newest, each query builds a new object: the IDs cannot come from the objects.
    assert.notStrictEqual(store.get('root0'), store.get('root0'));
    assert.deepStrictEqual(store.get('root0'), store.get('root0'));
    for (let i = 0; i < 2 * RECENT_OBJECTS; i++) {
      store.append(nodeMessage({ id: `later${i}`, receivedAt: 1000 + i }));
    }
    const after = drawAll(model);
    for (const [key, id] of before) {
      assert.strictEqual(after.get(key), id, `item ${key} keeps its ID across redraws`);
    }
    // A root with a reply keeps its ID without the leaf suffix, so VS Code keeps it expanded as it was.
    const root = model.element(store.get('root0') as NodeMessage);
    assert.ok(root);
    assert.strictEqual(model.id(root), 'm/n/root0');
    assert.deepStrictEqual(model.parent(model.element(store.get('reply0') as NodeMessage) as MessageTreeElement), root);
    // A fresh object of the same message finds the same item.
    assert.strictEqual(model.id(model.element({ ...(store.get('reply5') as NodeMessage) }) as MessageTreeElement), before.get(`n/${store.sequenceOfId('reply5')}`));
  });

  it('under a filter, builds and reads only the messages that arrived since the last redraw', () => {
    const store = heldStore();
    const model = modelOf(store);
    const at = store.at.bind(store);
    let built = 0;
    store.at = (sequence) => {
      built++;
      return at(sequence);
    };
    assert.strictEqual(model.setFilter('"message 1"'), undefined);
    const first = model.countMatches();
    assert.strictEqual(first.total, HELD);
    assert.ok(first.matching > 1000, `${first.matching} match`);
    assert.strictEqual(built, HELD, 'the first redraw reads every message once');
    built = 0;
    model.children();
    assert.strictEqual(built, 0, 'listing reads none again');
    store.append(nodeMessage({ id: 'new', data: Buffer.from('message 1 again'), receivedAt: 99_999 }));
    assert.strictEqual(model.countMatches().matching, first.matching + 1, 'the new one matches; the oldest, which went, did not');
    assert.strictEqual(built, 1, 'only the new one is read');
    // A query that counts back from now is checked again at each redraw.
    model.setFilter('after:-1h');
    built = 0;
    model.countMatches();
    model.countMatches();
    assert.strictEqual(built, 2 * HELD);
  });
});
