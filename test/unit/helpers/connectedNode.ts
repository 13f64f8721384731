import { NodeSubscriptions } from '../../../src/core/nodeSubscriptions';
import { startSimulatedNode, type SimulatedNode } from '../../../src/core/simulator/simulatedNode';
import { nextEvent } from './waitFor';

/** A simulated node on loopback and a hub subscribed to it (as node "sim"), connected. */
export async function connectedSimulator(seed: number): Promise<{ simulator: SimulatedNode; hub: NodeSubscriptions }> {
  const simulator = await startSimulatedNode({ port: 0, seed, replyDelayMs: 20 });
  const hub = new NodeSubscriptions({ maxMessages: 50 });
  hub.setNodes([{ name: 'sim', url: simulator.subscribeUrl }], new Map());
  hub.connect();
  await nextEvent(hub.onDidChangeStatus, (event) => event.status.state === 'connected');
  await simulator.waitForSubscribers(1);
  return { simulator, hub };
}
