import * as assert from 'assert';
import type { NodeSubscriptions } from '../../../../src/core/nodeSubscriptions';
import type { SimulatedNode } from '../../../../src/core/simulator/simulatedNode';
import { KnownIds } from '../../../../src/vscode/messageIds/knownIds';
import { connectedSimulator } from '../../helpers/connectedNode';
import { until } from '../../helpers/waitFor';

/** IDs a peer may give its messages to claim words that stand in every file and terminal. */
const HOSTILE_IDS = ['undefined', 'localhost', 'constructor', '__proto__', 'null', 'true', 'toString', 'hasOwnProperty', '127.0.0.1', '2026-12-02'];

describe('KnownIds', () => {
  let simulator: SimulatedNode;
  let subscriptions: NodeSubscriptions;
  let ids: KnownIds;
  const realistic = 'a3f19c0e'.repeat(8);

  before(async () => {
    ({ simulator, subscriptions } = await connectedSimulator(18));
    ids = new KnownIds(subscriptions);
    for (const id of [...HOSTILE_IDS, realistic, 'order-7731:ack']) {
      simulator.emit({ id, data: `claims ${id}` });
    }
    await until(() => subscriptions.find('order-7731:ack') !== undefined, 'the messages to arrive');
  });

  after(async () => {
    ids.dispose();
    subscriptions.dispose();
    await simulator.close();
  });

  it('resolves nothing for a held or watched plain word, number or address, however it is asked', () => {
    for (const id of HOSTILE_IDS) {
      assert.ok(subscriptions.find(id), `${id} is held`);
      subscriptions.watches.watch(id);
    }
    for (const id of HOSTILE_IDS) {
      assert.strictEqual(ids.resolve(id), undefined, id);
      assert.strictEqual(ids.isKnown(id), false, id);
    }
  });

  it('still resolves realistic IDs, held or watched', () => {
    assert.strictEqual(ids.resolve(realistic)?.message?.id, realistic);
    assert.strictEqual(ids.resolve('order-7731:ack')?.message?.id, 'order-7731:ack');
    subscriptions.watches.watch('client-order-9:x');
    assert.strictEqual(ids.resolve('client-order-9:x')?.watch?.messageId, 'client-order-9:x');
    assert.ok(ids.isKnown(realistic));
  });
});
