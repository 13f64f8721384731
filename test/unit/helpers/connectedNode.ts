import { NodeSubscriptions } from '../../../src/core/nodeSubscriptions';
import { startSimulatedNode, type SimulatedNode } from '../../../src/core/simulator/simulatedNode';
import { nextEvent } from './waitFor';

/** A simulated node on loopback and a pipeline subscribed to it (as node "sim"), connected. */
export async function connectedSimulator(seed: number): Promise<{ simulator: SimulatedNode; subscriptions: NodeSubscriptions }> {
  const simulator = await startSimulatedNode({ port: 0, seed, replyDelayMs: 20 });
  const subscriptions = new NodeSubscriptions({ maxMessages: 50 });
  subscriptions.setNodes([{ name: 'sim', url: simulator.subscribeUrl }], new Map());
  subscriptions.connect();
  await nextEvent(subscriptions.onDidChangeStatus, (event) => event.status.state === 'connected');
  await simulator.waitForSubscribers(1);
  return { simulator, subscriptions };
}
