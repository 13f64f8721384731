import * as assert from 'assert';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { WatchRegistry, WatchTimeoutError } from '../../../../src/core/watches/watches';
import { FakeClock } from '../../helpers/fakeClock';
import { nodeMessage } from '../../helpers/messages';

describe('WatchRegistry', () => {
  let clock: FakeClock;
  let store: MessageStore;
  let registry: WatchRegistry;

  beforeEach(() => {
    clock = new FakeClock();
    store = new MessageStore(100);
    registry = new WatchRegistry((id) => store.repliesTo(id)[0], clock);
  });

  function arrive(message: NodeMessage): void {
    store.append(message);
    registry.handle(message);
  }

  it('answers at once with a reply that already arrived', async () => {
    arrive(nodeMessage({ id: 'reply', replyToId: 'sent' }));
    const watch = registry.watch('sent');
    assert.strictEqual(watch.state, 'answered');
    assert.strictEqual((await watch.promise).id, 'reply');
  });

  it('answers with the next message whose replyToId is the ID', async () => {
    const watch = registry.watch('sent');
    arrive(nodeMessage({ id: 'other' }));
    assert.strictEqual(watch.state, 'waiting');
    arrive(nodeMessage({ id: 'reply', replyToId: 'sent' }));
    assert.strictEqual((await watch.promise).id, 'reply');
    assert.strictEqual(registry.waitingCount, 0);
  });

  it('answers watches whose IDs differ only where the quick filter does not look, and none once they are gone', async () => {
    // Same length, same first, middle and last characters: the same filter place for all of them.
    const ids = Array.from({ length: 50 }, (_, i) => `a${i.toString(16).padStart(4, '0')}${'x'.repeat(20)}m${'y'.repeat(20)}${i.toString(16).padStart(4, '0')}zz`.slice(0, 52) + 'z');
    const watches = ids.map((id) => registry.watch(id));
    const cancelled = watches.slice(25);
    for (const watch of cancelled) {
      registry.cancel(watch);
    }
    for (const [i, id] of ids.entries()) {
      arrive(nodeMessage({ id: `reply-${i}`, replyToId: id }));
    }
    assert.deepStrictEqual(
      watches.map((watch) => watch.state),
      ids.map((_, i) => (i < 25 ? 'answered' : 'cancelled')),
    );
    assert.strictEqual(registry.waitingCount, 0);
    // With nothing waiting, a message with a colliding ID answers nothing.
    const again = registry.watch('other');
    arrive(nodeMessage({ id: 'n', replyToId: ids[0] as string }));
    assert.strictEqual(again.state, 'waiting');
  });

  it('answers with the next message whose own id is the ID', async () => {
    const watch = registry.watch('echoed');
    arrive(nodeMessage({ id: 'echoed' }));
    assert.strictEqual((await watch.promise).id, 'echoed');
  });

  it('does not take an earlier message with that id as the answer', () => {
    arrive(nodeMessage({ id: 'sent' }));
    assert.strictEqual(registry.watch('sent').state, 'waiting');
  });

  it('times out with a clear error', async () => {
    const watch = registry.watch('sent', { timeoutMs: 5000 });
    clock.advance(4999);
    assert.strictEqual(watch.state, 'waiting');
    clock.advance(1);
    assert.strictEqual(watch.state, 'timedOut');
    await assert.rejects(watch.promise, (error: Error) => error instanceof WatchTimeoutError && /No reply to sent within 5 s/.test(error.message));
    arrive(nodeMessage({ id: 'late', replyToId: 'sent' }));
    assert.strictEqual(watch.state, 'timedOut');
  });

  it('cancels and removes', async () => {
    const watch = registry.watch('sent', { timeoutMs: 1000 });
    registry.cancel(watch);
    await assert.rejects(watch.promise, /Stopped waiting/);
    assert.deepStrictEqual(clock.pending(), []);
    registry.remove(watch);
    assert.deepStrictEqual(registry.list(), []);
  });

  it('answers every watch on the same ID, and only from the named node', async () => {
    const api = registry.watch('sent', { visible: false });
    const ui = registry.watch('sent', { node: 'b' });
    arrive(nodeMessage({ id: 'r1', replyToId: 'sent', node: 'a' }));
    assert.strictEqual((await api.promise).node, 'a');
    assert.strictEqual(ui.state, 'waiting');
    arrive(nodeMessage({ id: 'r2', replyToId: 'sent', node: 'b' }));
    assert.strictEqual((await ui.promise).node, 'b');
    assert.deepStrictEqual(registry.list(), [ui], 'API waits are not listed');
  });

  it('fires a change for each added and answered watch', () => {
    const changes: string[] = [];
    registry.onDidChange((watch) => changes.push(`${watch.messageId}:${watch.state}`));
    registry.watch('x');
    arrive(nodeMessage({ id: 'y', replyToId: 'x' }));
    assert.deepStrictEqual(changes, ['x:waiting', 'x:answered']);
  });

  it('round-trips through records: waiting ones wait again with what is left of their timeout', async () => {
    registry.watch('waits', { timeoutMs: 10_000 });
    registry.watch('expires', { timeoutMs: 1000 });
    arrive(nodeMessage({ id: 'r', replyToId: 'answered' }));
    registry.watch('answered');
    clock.advance(500);
    const records = JSON.parse(JSON.stringify(registry.toRecords()));

    const restoredClock = new FakeClock(clock.now() + 1000);
    const restored = new WatchRegistry(() => undefined, restoredClock);
    restored.restore(records, (_node, id) => store.get(id));
    const byId = new Map(restored.list().map((watch) => [watch.messageId, watch]));
    assert.strictEqual(byId.get('expires')?.state, 'timedOut');
    assert.strictEqual(byId.get('answered')?.state, 'answered');
    assert.strictEqual(byId.get('answered')?.reply?.id, 'r');
    const waits = byId.get('waits')!;
    assert.strictEqual(waits.state, 'waiting');
    assert.deepStrictEqual(restoredClock.pending(), [8500]);
    restored.handle(nodeMessage({ id: 'late', replyToId: 'waits' }));
    assert.strictEqual((await waits.promise).id, 'late');
  });

  it('ignores malformed records', () => {
    registry.restore([null, { messageId: 5 }, { messageId: 'ok', createdAt: 1, state: 'waiting' }] as never, () => undefined);
    assert.deepStrictEqual(registry.list().map((watch) => watch.messageId), ['ok']);
  });

  it('keeps when the send returned across a reload, and times the reply from there', () => {
    clock.advance(1000);
    const sentAt = clock.now();
    clock.advance(50);
    registry.watch('sent', { sentAt });
    registry.watch('typed');
    const records = JSON.parse(JSON.stringify(registry.toRecords()));
    assert.deepStrictEqual(records.map((record: { sentAt?: number }) => record.sentAt), [sentAt, undefined]);
    const restoredClock = new FakeClock(clock.now() + 200);
    const restored = new WatchRegistry(() => undefined, restoredClock);
    restored.restore([...records, { ...records[1], messageId: 'bad', sentAt: 'soon' }], () => undefined);
    const byId = new Map(restored.list().map((watch) => [watch.messageId, watch]));
    assert.strictEqual(byId.get('sent')?.sentAt, sentAt);
    assert.strictEqual(byId.get('bad')?.sentAt, undefined, 'a sentAt that is not a number is dropped');
    restored.handle(nodeMessage({ id: 'r', replyToId: 'sent' }));
    assert.strictEqual(byId.get('sent')?.settledAt, sentAt + 250);
  });
});
