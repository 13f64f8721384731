import * as assert from 'assert';
import { Emitter, type Event } from '../../../../src/core/base/emitter';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { nextMessage } from '../../../../src/core/requests/subscriptionsPort';
import { FakeClock } from '../../helpers/fakeClock';
import { nodeMessage } from '../../helpers/messages';

/** An emitter whose event counts the listeners still registered. */
function countedEvent(): { emitter: Emitter<NodeMessage>; event: Event<NodeMessage>; live: () => number } {
  const emitter = new Emitter<NodeMessage>();
  let live = 0;
  const event: Event<NodeMessage> = (listener) => {
    live++;
    const registration = emitter.event(listener);
    return {
      dispose: () => {
        live--;
        registration.dispose();
      },
    };
  };
  return { emitter, event, live: () => live };
}

describe('the next message matching a predicate', () => {
  it('resolves with the first match, then holds no listener and no timer', async () => {
    const { emitter, event, live } = countedEvent();
    const clock = new FakeClock();
    const found = nextMessage(event, (message) => message.serviceType === 'invoice', 5000, new AbortController().signal, clock);
    emitter.fire(nodeMessage({ id: 'a', serviceType: 'chat' }));
    emitter.fire(nodeMessage({ id: 'b', serviceType: 'invoice' }));
    emitter.fire(nodeMessage({ id: 'c', serviceType: 'invoice' }));
    assert.strictEqual((await found)?.id, 'b');
    assert.strictEqual(live(), 0);
    assert.deepStrictEqual(clock.pending(), []);
  });

  it('resolves with nothing at its timeout, and lets go', async () => {
    const { event, live } = countedEvent();
    const clock = new FakeClock();
    const found = nextMessage(event, () => true, 5000, new AbortController().signal, clock);
    clock.advance(4999);
    assert.strictEqual(live(), 1);
    clock.advance(1);
    assert.strictEqual(await found, undefined);
    assert.strictEqual(live(), 0);
  });

  it('resolves with nothing when aborted, before or while waiting', async () => {
    const { emitter, event, live } = countedEvent();
    const clock = new FakeClock();
    const controller = new AbortController();
    const found = nextMessage(event, () => true, 5000, controller.signal, clock);
    controller.abort();
    emitter.fire(nodeMessage({ id: 'late' }));
    assert.strictEqual(await found, undefined);
    assert.strictEqual(await nextMessage(event, () => true, 5000, controller.signal, clock), undefined);
    assert.strictEqual(live(), 0);
    assert.deepStrictEqual(clock.pending(), []);
  });
});
