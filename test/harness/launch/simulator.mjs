// The simulated Impervious node for the scripts: in this process (from the tsc output, for the
// end-to-end steps, which emit chosen messages) or as the CLI in a process group of its own (for
// `npm start`, which keeps it running next to VS Code).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { endTree, killTreeNow, spawnGroup } from './process-tree.mjs';
import { onCleanup } from './script-lifecycle.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const compiledNode = path.join(root, 'out', 'src', 'core', 'simulator', 'simulatedNode.js');
const cliBundle = path.join(root, 'dist', 'sim.js');

/**
 * Starts a simulated node in this process; it closes with the script.
 * @returns {Promise<import('../../../src/core/simulator/simulatedNode').SimulatedNode>}
 */
export async function startSimulator(options) {
  if (!existsSync(compiledNode)) {
    throw new Error(`${path.relative(root, compiledNode)} is missing: compile first with \`tsc -p .\`.`);
  }
  const { startSimulatedNode } = createRequire(import.meta.url)(compiledNode);
  const simulator = await startSimulatedNode({ host: '127.0.0.1', ...options });
  onCleanup(() => simulator.close());
  return simulator;
}

/**
 * Runs the simulator CLI (dist/sim.js, built by `node scripts/build.mjs --sim-only`) with its
 * output on this terminal. Its own process group: Ctrl+C reaches this script only, which ends it.
 */
export function spawnSimulatorCli(args) {
  if (!existsSync(cliBundle)) {
    throw new Error(`${path.relative(root, cliBundle)} is missing: build it with \`node scripts/build.mjs --sim-only\`.`);
  }
  const child = spawnGroup(process.execPath, [cliBundle, ...args], { cwd: root, env: process.env, logFd: process.stdout.fd });
  onCleanup(() => endTree(child.pid), () => killTreeNow(child.pid));
  return child;
}

/**
 * Sends `messages` of `simulator`'s sample traffic at `rate` a second: every `tickMs`, what is due
 * since the start (at 10,000 a second, 100 a tick), so a late timer catches up instead of lowering
 * the rate. Resolves with the time it took, the rate that makes, and the longest gap between two
 * ticks.
 */
export function sendPaced(simulator, rate, messages, tickMs = 10) {
  return new Promise((resolve) => {
    const started = performance.now();
    let sent = 0;
    let lastTick = started;
    let longestTickGapMs = 0;
    const tick = () => {
      const now = performance.now();
      longestTickGapMs = Math.max(longestTickGapMs, now - lastTick);
      lastTick = now;
      const due = Math.min(messages, Math.floor(((now - started) * rate) / 1000));
      for (; sent < due; sent++) simulator.emitSample();
      if (sent < messages) {
        setTimeout(tick, tickMs);
        return;
      }
      const elapsedMs = now - started;
      resolve({ messages: sent, elapsedMs, messagesPerSecond: (sent * 1000) / elapsedMs, longestTickGapMs });
    };
    setTimeout(tick, tickMs);
  });
}
