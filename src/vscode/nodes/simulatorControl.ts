import * as l10n from '@vscode/l10n';
import type { NodeConfig } from '../../core/connection/nodeConfig';
import type { SimulatorFaults } from '../../core/simulator/faults';
import type { SamplePeer } from '../../core/simulator/samplePeers';
import type { SimulatedNode } from '../../core/simulator/simulatedNode';

const SIMULATOR_NODE_NAME = 'Simulator';

/**
 * The simulated node, run inside the extension host so a new user sees messages without a node.
 * Plain-Node tests import it, so it localizes through `@vscode/l10n` rather than `vscode`.
 */
export class SimulatorControl {
  private simulator: SimulatedNode | undefined;
  private starting: Promise<SimulatedNode> | undefined;

  constructor(private readonly log: (line: string) => void) {}

  /** The node entry to subscribe to while the simulator runs. */
  get node(): NodeConfig | undefined {
    return this.simulator ? { name: SIMULATOR_NODE_NAME, url: this.simulator.subscribeUrl, apiVersion: 'v0' } : undefined;
  }

  /** The simulated node's sample peers while it runs (request files are addressed to them). */
  get peers(): readonly SamplePeer[] {
    return this.simulator?.peers ?? [];
  }

  async start(): Promise<SimulatedNode> {
    if (this.simulator) {
      return this.simulator;
    }
    // The simulated node is a bundle of its own (dist/simulator.js): activation does not load it.
    this.starting ??= import('../../core/simulator/simulatedNode').then(({ startSimulatedNode }) =>
      startSimulatedNode({
        host: '127.0.0.1',
        port: 0,
        rate: 0.5,
        seed: Date.now() % 1_000_000,
        replyDelayMs: 800,
        log: (line) => this.log(`[Simulator] ${line}`),
      }),
    );
    try {
      this.simulator = await this.starting;
      return this.simulator;
    } finally {
      this.starting = undefined;
    }
  }

  /**
   * Sends a few of the sample peers' messages once the extension subscribes, so the view opens
   * on a conversation rather than empty: the peers take turns, so it is never one peer alone.
   */
  async greet(count = 6): Promise<void> {
    const simulator = this.simulator;
    if (!simulator) {
      return;
    }
    await simulator.waitForSubscribers(1, 10_000);
    for (let i = 0; i < count; i++) {
      simulator.emitSample(simulator.peers[i % simulator.peers.length]);
    }
  }

  /** The running simulator's faults; `undefined` while it is stopped. */
  get faults(): SimulatorFaults | undefined {
    return this.simulator?.faults;
  }

  /** Switches faults of the running simulator (the fault menu); throws while it is stopped. */
  setFaults(changes: Partial<SimulatorFaults>): SimulatorFaults {
    return this.running().setFaults(changes);
  }

  /** Ends every open stream with an error frame, as a failing node does. */
  sendError(code: number, message: string): void {
    this.running().sendError(code, message);
  }

  dropAll(): void {
    this.running().dropAll();
  }

  private running(): SimulatedNode {
    if (!this.simulator) {
      throw new Error(l10n.t('The simulated node is not running: start it first.'));
    }
    return this.simulator;
  }

  async stop(): Promise<void> {
    const simulator = this.simulator;
    this.simulator = undefined;
    await simulator?.close();
  }
}
