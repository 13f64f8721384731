import * as assert from 'assert';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import { isMessage, MessageTreeModel, type MessageElement, type MessageSource, type MessageTreeElement } from '../../../../src/core/messages/messageTree';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { nodeMessage } from '../../helpers/messages';

class Source implements MessageSource {
  readonly stores = new Map<string, MessageStore>();
  constructor(public configured: string[]) {}
  nodeNames(): string[] {
    return [...this.configured];
  }
  storeNames(): string[] {
    return [...this.stores.keys()];
  }
  store(name: string): MessageStore {
    let store = this.stores.get(name);
    if (!store) {
      store = new MessageStore(100);
      this.stores.set(name, store);
    }
    return store;
  }
  add(...messages: NodeMessage[]): void {
    messages.forEach((message) => this.store(message.node).append(message));
  }
}

function labels(elements: MessageTreeElement[]): string[] {
  return elements.map((element) =>
    isMessage(element) ? (model.message(element)?.id ?? '(gone)') : element.kind === 'more' ? `more:${element.hidden}` : element.kind === 'group' ? `group:${element.key}:${element.count}` : `node:${element.node}`,
  );
}

let source: Source;
let model: MessageTreeModel;
/** The item of the held message with `id` on node `n` (or `node`). */
const item = (id: string, node = 'n'): MessageElement => model.element(source.store(node).get(id)!)!;

describe('MessageTreeModel', () => {
  beforeEach(() => {
    source = new Source(['n']);
    model = new MessageTreeModel(source, 3);
    source.add(
      nodeMessage({ id: 'root1', fromPubkey: 'alice', serviceType: 'message' }),
      nodeMessage({ id: 'r1', replyToId: 'root1', fromPubkey: 'bob', serviceType: 'message' }),
      nodeMessage({ id: 'root2', fromPubkey: 'bob', serviceType: 'vpn', data: Buffer.from('needle here') }),
      nodeMessage({ id: 'r1a', replyToId: 'r1', fromPubkey: 'alice', serviceType: 'message' }),
      nodeMessage({ id: 'orphan', replyToId: 'gone', fromPubkey: 'carol', serviceType: 'sign' }),
    );
  });

  it('shows thread roots newest first with replies nested at any depth', () => {
    assert.deepStrictEqual(labels(model.roots()), ['orphan', 'root2', 'root1']);
    const root1 = item('root1');
    assert.deepStrictEqual(labels(model.children(root1)), ['r1']);
    assert.deepStrictEqual(labels(model.children(item('r1'))), ['r1a']);
    assert.ok(model.hasChildren(root1));
    assert.ok(!model.hasChildren(item('r1a')));
  });

  it('marks a reply whose parent is not held, and shows it as a root', () => {
    assert.ok(model.isOrphan(item('orphan')));
    assert.ok(!model.isOrphan(item('r1')));
  });

  it('gives parents so reveal can walk up, and stable IDs', () => {
    const deep = item('r1a');
    assert.deepStrictEqual(model.parent(deep), item('r1'));
    assert.strictEqual(model.parent(item('root1')), undefined);
    assert.strictEqual(model.id(deep), 'm/n/r1a/leaf');
    assert.strictEqual(model.id(item('r1')), 'm/n/r1', 'a message with replies drops the leaf suffix, so it opens expanded');
  });

  it('groups by sender and by service type, newest group first', () => {
    model.groupBy = 'sender';
    assert.deepStrictEqual(labels(model.roots()), ['group:carol:1', 'group:alice:2', 'group:bob:2']);
    const alice = model.roots()[1]!;
    assert.deepStrictEqual(labels(model.children(alice)), ['r1a', 'root1']);
    assert.strictEqual(model.parent(item('r1a')), alice, 'the same group object, so reveal works');
    model.groupBy = 'serviceType';
    assert.deepStrictEqual(labels(model.roots()), ['group:sign:1', 'group:message:3', 'group:vpn:1']);
  });

  it('filters to a flat list of matches and counts them', () => {
    model.setFilter('NEEDLE');
    assert.deepStrictEqual(labels(model.roots()), ['root2']);
    assert.deepStrictEqual(model.countMatches(), { matching: 1, total: 5 });
    model.setFilter('alice');
    assert.deepStrictEqual(labels(model.roots()), ['r1a', 'root1']);
    model.setFilter('');
    assert.strictEqual(model.roots().length, 3);
  });

  it('caps the roots and sums up the rest in one item', () => {
    source.add(nodeMessage({ id: 'x1' }), nodeMessage({ id: 'x2' }));
    assert.deepStrictEqual(labels(model.roots()), ['x2', 'x1', 'orphan', 'more:2']);
  });

  it('shows the newest 200 roots of a node by default, the rest in one item', () => {
    const many = new Source(['n']);
    const store = new MessageStore(1000);
    many.stores.set('n', store);
    for (let i = 0; i < 300; i++) {
      store.append(nodeMessage({ id: `t${i}`, receivedAt: i }));
    }
    const roots = new MessageTreeModel(many).roots();
    assert.strictEqual(roots.length, 201);
    const last = roots[200];
    assert.ok(last && last.kind === 'more' && last.hidden === 100, JSON.stringify(last));
  });

  it('shares the 200 roots among the nodes shown, at least 20 each', () => {
    const nodes = Array.from({ length: 20 }, (_, i) => `node${i}`);
    const many = new Source(nodes.slice(0, 4));
    for (const node of nodes.slice(0, 4)) {
      const store = new MessageStore(1000);
      many.stores.set(node, store);
      for (let i = 0; i < 300; i++) {
        store.append(nodeMessage({ id: `${node}-${i}`, node, receivedAt: i }));
      }
    }
    const fewModel = new MessageTreeModel(many);
    assert.deepStrictEqual(fewModel.roots().map((root) => fewModel.children(root).length), [51, 51, 51, 51], '50 each and an "older" item');
    many.configured = nodes;
    const manyModel = new MessageTreeModel(many);
    assert.strictEqual(manyModel.children(manyModel.roots()[0] as MessageTreeElement).length, 21, '20 and an "older" item');
  });

  it('puts each node at the root when there are several', () => {
    source.configured = ['n', 'other'];
    source.add(nodeMessage({ id: 'o1', node: 'other' }));
    const roots = model.roots();
    assert.deepStrictEqual(labels(roots), ['node:n', 'node:other']);
    assert.deepStrictEqual(labels(model.children(roots[1])), ['o1']);
    assert.strictEqual(model.parent(item('o1', 'other')), roots[1]);
    assert.strictEqual(model.roots()[0], roots[0], 'node elements are stable objects');
  });

  it('keeps showing a node that is no longer configured while it holds messages', () => {
    source.add(nodeMessage({ id: 's1', node: 'Simulator' }));
    assert.deepStrictEqual(model.nodes(), ['n', 'Simulator']);
  });
});
