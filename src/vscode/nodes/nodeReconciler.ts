import * as vscode from 'vscode';
import { keyTravelsInClear } from '../../core/connection/nodeConfig';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { ApiKeys } from './apiKeys';
import type { Log } from '../services/log';
import type { Settings } from '../services/settings';
import type { SimulatorControl } from './simulatorControl';

/**
 * Brings the pipeline's node set in line with the settings, plus the simulated node while it runs, each
 * with its key from SecretStorage. One update at a time, in order, so that a slow read of the keys
 * never applies an older list of nodes last; none before the last session's held messages are back.
 */
export class NodeReconciler implements vscode.Disposable {
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;
  /** Nodes already warned about, so a setting change does not warn again. */
  private readonly warnedInsecure = new Set<string>();
  /** Nodes already warned about a key sent in the clear (by name and URL: a new URL warns again). */
  private readonly warnedCleartextKey = new Set<string>();

  constructor(
    private readonly subscriptions: NodeSubscriptions,
    private readonly apiKeys: ApiKeys,
    private readonly simulator: SimulatorControl,
    private readonly settings: () => Settings,
    private readonly log: Log,
    private readonly warn: (text: string) => void,
    /** Updates wait for it (after reading the keys): the held messages restored, so those that arrive come after them. */
    private readonly restored: Promise<void>,
  ) {}

  /** Queues an update; resolves once it (and every update before it) has run. */
  apply(): Promise<void> {
    const update = (): Promise<void> => this.update();
    return (this.queue = this.queue.then(update, update));
  }

  dispose(): void {
    this.disposed = true;
  }

  private async update(): Promise<void> {
    const settings = this.settings();
    for (const problem of settings.nodeProblems) {
      this.log.error(problem.message);
    }
    const simulated = this.simulator.node;
    const nodes = [...settings.nodes, ...(simulated ? [simulated] : [])];
    const keys = await this.apiKeys.getAll(nodes.map((node) => node.name));
    await this.restored;
    if (this.disposed) {
      return;
    }
    const created = this.subscriptions.setNodes(nodes, keys);
    for (const node of nodes) {
      if (node.rejectUnauthorized === false && !this.warnedInsecure.has(node.name)) {
        this.warnedInsecure.add(node.name);
        this.warn(vscode.l10n.t('Impervious: TLS verification is off for {0} (rejectUnauthorized: false); its certificate is not checked.', node.name));
      }
    }
    for (const node of nodes) {
      const warning = `${node.name}\u0000${node.url}`;
      if (keys.get(node.name) && keyTravelsInClear(node.url) && !this.warnedCleartextKey.has(warning)) {
        this.warnedCleartextKey.add(warning);
        const host = new URL(node.url).host;
        this.log.warn(vscode.l10n.t('[{0}] The API key travels unencrypted (ws:// and http://) to {1}, which is not this machine: use wss:// for a remote node.', node.name, host));
        this.warn(
          vscode.l10n.t(
            'Impervious: the API key of {0} travels unencrypted (ws:// and http://) to {1}, which is not this machine; anyone on the network path can read it. Use wss:// for a remote node.',
            node.name,
            host,
          ),
        );
      }
    }
    // The simulated node is connected by the command that starts it.
    if (settings.autoConnect) {
      created.filter((name) => name !== this.simulator.node?.name).forEach((name) => this.subscriptions.connect(name));
    }
  }
}
