import * as assert from 'assert';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import { MessageTreeModel, type MessageSource } from '../../../../src/core/messages/messageTree';
import { WatchLimitError, WatchRegistry } from '../../../../src/core/watches/watches';
import { FakeClock } from '../../helpers/fakeClock';
import { nodeMessage } from '../../helpers/messages';

/** Every map and list that peers can grow stays bounded by what is held. */
describe('bounds on what peers can grow', () => {
  it('keeps the sender and service-type groups to those of held messages', () => {
    const store = new MessageStore(50);
    const source: MessageSource = { nodeNames: () => ['n'], storeNames: () => ['n'], store: () => store };
    const model = new MessageTreeModel(source, 100);
    for (const groupBy of ['sender', 'serviceType'] as const) {
      model.groupBy = groupBy;
      for (let i = 0; i < 5000; i++) {
        // Every message from a new sender with a new service type, as a hostile peer could send.
        store.append(nodeMessage({ id: `m${i}`, fromPubkey: `peer${i}`, serviceType: `type${i}` }));
        if (i % 100 === 0) {
          model.roots();
        }
      }
      assert.strictEqual(model.roots().length, 50);
      const cached = (model as unknown as { groupElements: Map<string, unknown> }).groupElements;
      assert.ok(cached.size <= 50, `${cached.size} groups cached for 50 held messages`);
    }
  });

  it('lists at most the visible limit of watches, the oldest settled going first', () => {
    const registry = new WatchRegistry(() => undefined, new FakeClock(), { waiting: 100, visible: 5 });
    const watches = ['a', 'b', 'c', 'd', 'e'].map((id) => registry.watch(id));
    registry.cancel(watches[1]!);
    registry.cancel(watches[3]!);
    registry.watch('f');
    assert.deepStrictEqual(registry.list().map((watch) => watch.messageId), ['a', 'c', 'd', 'e', 'f']);
    registry.watch('g');
    assert.deepStrictEqual(registry.list().map((watch) => watch.messageId), ['a', 'c', 'e', 'f', 'g']);
    // Five waiting: nothing settled to make room, so the new one is refused and nothing is dropped.
    assert.throws(() => registry.watch('h'), (error: Error) => error instanceof WatchLimitError && /lists 5 waiting watches/.test(error.message));
    assert.strictEqual(registry.list().length, 5);
    assert.strictEqual(registry.waitingCount, 5);
  });

  it('refuses a wait over the waiting limit, API waits included, and takes one again once some settle', () => {
    const registry = new WatchRegistry(() => undefined, new FakeClock(), { waiting: 3, visible: 10 });
    const waits = [registry.watch('a', { visible: false }), registry.watch('b', { visible: false }), registry.watch('c')];
    assert.throws(() => registry.watch('d', { visible: false }), /Already waiting for 3 replies/);
    registry.handle(nodeMessage({ id: 'reply', replyToId: 'a' }));
    assert.strictEqual(waits[0]!.state, 'answered');
    assert.strictEqual(registry.watch('d', { visible: false }).state, 'waiting');
    assert.strictEqual(registry.waitingCount, 3);
  });

  it('restores only the newest records that fit', () => {
    const registry = new WatchRegistry(() => undefined, new FakeClock(), { waiting: 2, visible: 3 });
    const records = Array.from({ length: 10 }, (_, i) => ({ messageId: `m${i}`, createdAt: i, state: 'waiting' as const }));
    registry.restore(records, () => undefined);
    assert.deepStrictEqual(registry.list().map((watch) => watch.messageId), ['m7', 'm8']);
    assert.strictEqual(registry.waitingCount, 2);
  });
});
