// The nodes a command talks to: the same subscriptions (`NodeSubscriptions`) the extension runs, built from
// `--node`/`--api-key-env`/`--ca-file`, or a simulated node started in this process (`--simulate`).
import type { Disposable } from '../core/base/emitter';
import { statusLogLine } from '../core/connection/connectionProblems';
import type { ConnectionStatus } from '../core/connection/nodeConnection';
import { NodeSubscriptions } from '../core/nodeSubscriptions';
import { startSimulatedNode, type SimulatedNode } from '../core/simulator/simulatedNode';
import type { NodeArguments } from './arguments';
import { CommandError, ExitCode } from './exitCodes';
import { terminalText, type Terminal } from './terminal';

/** The name `--simulate`'s node goes by in `Node:` headers and messages. */
export const SIMULATED_NODE_NAME = 'simulator';

/** How long a command waits for its nodes' first connection before it gives up (exit 3). */
const CONNECT_TIMEOUT_MS = 20_000;

/** Held messages: a command line keeps few; replies are found by watches as they arrive. */
const MAX_MESSAGES = 1000;

export interface NodeSessionOptions {
  /** Sample-peer messages a second of the simulated node (`--simulate`): `tail` shows some traffic, `run` wants none. */
  readonly simulatorRate?: number;
}

/** The pipeline over the command's nodes, and the simulated node when `--simulate` started one. */
export class NodeSession {
  private statusListener: Disposable | undefined;

  private constructor(
    readonly subscriptions: NodeSubscriptions,
    readonly simulator: SimulatedNode | undefined,
  ) {}

  static async open(args: NodeArguments, options: NodeSessionOptions = {}): Promise<NodeSession> {
    let simulator: SimulatedNode | undefined;
    let nodes = args.nodes;
    if (args.simulate) {
      simulator = await startSimulatedNode({ host: '127.0.0.1', port: 0, rate: options.simulatorRate ?? 0, ...(args.apiKey !== undefined ? { apiKey: args.apiKey } : {}) });
      nodes = [{ name: SIMULATED_NODE_NAME, url: simulator.subscribeUrl }];
    }
    const subscriptions = new NodeSubscriptions({ maxMessages: MAX_MESSAGES });
    subscriptions.setNodes(nodes, new Map(nodes.map((node) => [node.name, args.apiKey])));
    return new NodeSession(subscriptions, simulator);
  }

  nodeNames(): string[] {
    return this.subscriptions.nodeNames();
  }

  /**
   * Connects every node and resolves once all are connected. A node that refuses the first
   * attempt, the key or its configuration, or that is not connected within 20 s, ends the command
   * with exit code 3 and what to do next.
   */
  connect(timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
    const names = this.subscriptions.nodeNames();
    return new Promise<void>((resolve, reject) => {
      const connected = new Set<string>();
      const finish = (error?: CommandError) => {
        listener.dispose();
        clearTimeout(timer);
        if (error) {
          reject(error);
        } else {
          resolve();
        }
      };
      const listener = this.subscriptions.onDidChangeStatus(({ node, status }) => {
        if (status.state === 'connected') {
          connected.add(node);
          if (connected.size === names.length) {
            finish();
          }
        } else if (status.authFailed === true || status.configError === true || status.retryAt !== undefined) {
          finish(new CommandError(unreachable(node, status), ExitCode.Unreachable));
        }
      });
      const timer = setTimeout(() => {
        const missing = names.filter((name) => !connected.has(name));
        finish(new CommandError(`${missing.map((name) => `"${terminalText(name, 100)}"`).join(', ')}: not connected after ${timeoutMs / 1000} s. Check --node and that the node runs.`, ExitCode.Unreachable));
      }, timeoutMs);
      // The sockets keep the process alive while they try; this timer alone must not.
      timer.unref();
      this.subscriptions.connect();
    });
  }

  /**
   * Says connection changes after the first connection on stderr (a drop, the reconnect with the
   * extension's backoff), and calls `onFatal` when a node stops retrying (a refused key).
   */
  reportStatus(terminal: Terminal, onFatal: (message: string) => void): void {
    this.statusListener?.dispose();
    this.statusListener = this.subscriptions.onDidChangeStatus(({ node, status }) => {
      terminal.error(terminalText(statusLogLine(node, status), 1000));
      if (status.authFailed === true || status.configError === true) {
        onFatal(unreachable(node, status));
      }
    });
  }

  async close(): Promise<void> {
    this.statusListener?.dispose();
    this.subscriptions.dispose();
    await this.simulator?.close();
  }
}

function unreachable(node: string, status: ConnectionStatus): string {
  const hint = status.authFailed
    ? 'Pass the node\'s API key with --api-key-env VAR (the name of an environment variable that holds it).'
    : status.configError
      ? 'Check --node (ws://host:port/v1/subscribe) and --ca-file.'
      : 'Check that the node runs and that --node names its websocket (usually ws://127.0.0.1:8882/v1/subscribe), or use --simulate.';
  // The command ends here: the connection's own "Retrying in 1 s" does not apply.
  return `${terminalText(statusLogLine(node, status), 1000).replace(/\s*Retrying in .*$/, '')}\n${hint}`;
}
