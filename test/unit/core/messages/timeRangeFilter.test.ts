import * as assert from 'assert';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import { MessageTreeModel, type MessageElement, type MessageSource } from '../../../../src/core/messages/messageTree';
import { nodeMessage } from '../../helpers/messages';

describe("the Messages view's time range (a range brushed on the Timeline)", () => {
  const store = new MessageStore(100);
  const messages = [
    nodeMessage({ id: 'a', receivedAt: 1000, data: Buffer.from('alpha') }),
    nodeMessage({ id: 'b', receivedAt: 2000, replyToId: 'a', data: Buffer.from('beta') }),
    nodeMessage({ id: 'c', receivedAt: 3000, replyToId: 'b', data: Buffer.from('gamma') }),
    nodeMessage({ id: 'd', receivedAt: 4000, data: Buffer.from('alpha again') }),
  ];
  messages.forEach((message) => store.append(message));
  const source: MessageSource = { nodeNames: () => ['n'], storeNames: () => ['n'], store: () => store };
  const ids = (elements: readonly unknown[]) => elements.map((element) => store.at((element as MessageElement).sequence)?.id);

  it('lists only the messages received in [from, to), flat and newest first, and with a text filter too', () => {
    const model = new MessageTreeModel(source);
    assert.deepStrictEqual(ids(model.children()), ['d', 'a'], 'threads without a range');
    model.timeRange = { from: 2000, to: 4000 };
    assert.ok(model.filtering);
    assert.deepStrictEqual(ids(model.children()), ['c', 'b']);
    assert.strictEqual(model.hasChildren(model.element(messages[1]!)!), false, 'a flat list, as with a text filter');
    assert.deepStrictEqual(model.countMatches(), { matching: 2, total: 4 });
    model.setFilter('gamma');
    assert.deepStrictEqual(ids(model.children()), ['c']);
    model.setFilter('alpha');
    assert.deepStrictEqual(ids(model.children()), [], 'both must hold');
    model.timeRange = undefined;
    assert.deepStrictEqual(ids(model.children()), ['d', 'a']);
    model.setFilter('');
    assert.ok(!model.filtering);
  });
});
