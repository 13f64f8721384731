// The scale part of `npm run bench`'s VS Code section, in a launch of its own (scripts/bench-vscode.mjs
// picks this suite by its title): the extension set up with ten simulated nodes, which the harness
// runs on loopback, each on its own port. The harness sends paced traffic (a 10 ms timer per node),
// phase by phase: a short warm-up from the first node, the first node alone at the whole rate, then
// all ten at a tenth of it each: the same total work, spread over ten connections, ten stores and
// ten node items in the Messages view. Each phase is measured as a burst of the other suite is,
// from its first message to its last.
//
//   IMPERVIOUS_BENCH_DIR    where this writes `ready-<phase>.json` (the harness then sends that
//                           phase's traffic) and, at the end, `figures-scale.json` (ScaleFigures)
//   IMPERVIOUS_BENCH_SCALE  the plan, as JSON (ScalePlan)
//   IMPERVIOUS_BENCH_PROFILE        optional: a .cpuprofile of the extension host during one phase
//   IMPERVIOUS_BENCH_PROFILE_PHASE  optional: that phase's name (ten-nodes unless told)
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, waitUntil } from '../harness';
import { measureBurst, requiredEnv, waitUntilQuiet, writeAtomically, type BurstFigures } from './measure';

export interface ScalePhasePlan {
  readonly name: string;
  /** The nodes that send in this phase, each at `ratePerNode` for `seconds`. */
  readonly nodes: readonly string[];
  readonly ratePerNode: number;
  readonly seconds: number;
  readonly messagesPerNode: number;
}

export interface ScalePlan {
  /** Every node of `impervious.nodes`, in order. */
  readonly nodes: readonly string[];
  readonly phases: readonly ScalePhasePlan[];
}

export interface ScalePhase extends ScalePhasePlan {
  /** How long the extension host took to be quiet before the phase (see waitUntilQuiet). */
  readonly quietAfterMs: number;
  readonly burst: BurstFigures;
  /** Held by every node at the end of the phase. */
  readonly heldByAllNodes: number;
}

export interface ScaleFigures {
  readonly vscodeVersion: string;
  readonly node: string;
  readonly maxMessages: number;
  /** activate() in this launch (ten nodes configured), for information. */
  readonly activationMs: number;
  readonly phases: readonly ScalePhase[];
}

describe('bench: ten nodes against one at the same total rate', () => {
  it('measures event-loop delay and redraws while one node, then ten, send paced traffic', async function () {
    const dir = requiredEnv('IMPERVIOUS_BENCH_DIR');
    const plan = JSON.parse(requiredEnv('IMPERVIOUS_BENCH_SCALE')) as ScalePlan;
    this.timeout(60_000 + plan.phases.reduce((sum, { seconds }) => sum + 4 * seconds * 1000 + 60_000, 0));

    const api = await activateExtension();
    const { subscriptions, messagesView } = api.internals;
    await waitUntil(() => plan.nodes.every((node) => api.connectionState(node) === 'connected'), `the extension to connect to the harness's ${plan.nodes.length} simulated nodes`, 60_000);
    await waitUntil(() => messagesView.treeView.visible, 'the harness to open the Messages view in the workbench', 60_000);

    const phases: ScalePhase[] = [];
    for (const phase of plan.phases) {
      const quietAfterMs = await waitUntilQuiet();
      const ready = path.join(dir, `ready-${phase.name}.json`);
      const profile = phase.name === (process.env.IMPERVIOUS_BENCH_PROFILE_PHASE ?? 'ten-nodes') ? process.env.IMPERVIOUS_BENCH_PROFILE : undefined;
      const burst = await measureBurst(api, phase.nodes, phase.messagesPerNode, () => writeAtomically(ready, JSON.stringify({ phase: phase.name })), profile || undefined);
      const heldByAllNodes = plan.nodes.reduce((sum, node) => sum + api.messages(node).length, 0);
      phases.push({ ...phase, quietAfterMs, burst, heldByAllNodes });
    }

    const maxMessages = subscriptions.store(plan.nodes[0] as string).capacity;
    const figures: ScaleFigures = { vscodeVersion: vscode.version, node: process.version, maxMessages, activationMs: api.internals.activationMs, phases };
    writeAtomically(path.join(dir, 'figures-scale.json'), JSON.stringify(figures, null, 2));

    // What the figures rest on: every node of a phase sent all of its messages, each one taken.
    for (const { name, nodes, messagesPerNode, burst } of phases) {
      for (const node of nodes) {
        assert.strictEqual(burst.receivedByNode[node], messagesPerNode, `${node} delivered all its messages in phase ${name}`);
      }
      assert.strictEqual(burst.accepted, nodes.length * messagesPerNode, `every message of phase ${name} is accepted`);
      assert.strictEqual(burst.rejected, 0);
      assert.ok(burst.viewVisible, `the Messages view stayed visible during phase ${name}`);
      assert.ok(burst.rootFetches > 0, `the workbench fetched the tree during phase ${name}`);
    }
  });
});
