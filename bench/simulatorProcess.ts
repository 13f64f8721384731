// A bench child process: the simulated node, driven by the bench over IPC. It runs on its own so
// that what it costs to send is not counted against the receiver being measured.
import { startSimulatedNode } from '../src/core/simulator/simulatedNode';
import { serveParent, tell, wallNow, type ControlMessage } from './child';
import { benchMessage, messageId } from './frameMix';

async function main(): Promise<void> {
  const sim = await startSimulatedNode({ port: 0, seed: 1 });

  serveParent(async (message: ControlMessage) => {
    switch (message.type) {
      case 'subscribers': {
        // Exactly this many: a receiver of the previous round must be gone before the next burst.
        const count = message.count as number;
        const end = Date.now() + 10_000;
        while (sim.stats.subscribers !== count) {
          if (Date.now() > end) {
            throw new Error(`${sim.stats.subscribers} subscribers, expected ${count}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        tell({ type: 'subscribers' });
        return;
      }
      case 'burst': {
        const salt = message.salt as string;
        const count = message.count as number;
        const result = message.mix === 'sample' ? await sim.burst(count) : await sim.burst(count, { message: (index) => benchMessage(index, salt) });
        tell({ type: 'burst', ...result });
        return;
      }
      case 'latency': {
        // Background traffic from the sample peers, with a watched reply every `intervalMs`.
        const replies = message.replies as number;
        const intervalMs = message.intervalMs as number;
        const salt = message.salt as string;
        const sentBefore = sim.stats.messagesSent;
        sim.setRate(message.rate as number);
        await sleep(message.warmupMs as number);
        const started = wallNow();
        for (let i = 0; i < replies; i++) {
          // Paced against the start, so a late timer does not stretch the run.
          await sleep(started + i * intervalMs - wallNow());
          sim.emit({ replyToId: messageId(i, salt), data: JSON.stringify({ i, sentAt: wallNow() }), serviceType: 'message' });
        }
        const elapsedMs = wallNow() - started;
        await sleep(message.cooldownMs as number);
        sim.setRate(0);
        tell({ type: 'latency', messagesSent: sim.stats.messagesSent - sentBefore, elapsedMs });
        return;
      }
      case 'clock':
        tell({ type: 'clock', now: wallNow() });
        return;
      default:
        throw new Error(`unknown command ${message.type}`);
    }
  });
  tell({ type: 'listening', url: sim.subscribeUrl });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
