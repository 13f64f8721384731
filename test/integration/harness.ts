import * as vscode from 'vscode';
import type { Internals } from '../../src/extension';
import { startSimulatedNode, type SimulatedNode } from '../../src/core/simulator/simulatedNode';
import type { ImperviousEventsApi } from '../../src/vscode/api';

export const EXTENSION_ID = 'imp-tools.impervious-events';
export const TEST_NODE = 'Test node';

let nextSeed = Date.now() % 1_000_000;

export type ExtensionExports = ImperviousEventsApi & { readonly internals: Internals };

export async function activateExtension(): Promise<ExtensionExports> {
  const extension = vscode.extensions.getExtension<ExtensionExports>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed`);
  }
  return extension.activate();
}

/**
 * Starts a simulated node on loopback (in the test's own process, beside the extension host's
 * copy of the code) and points `impervious.nodes` at it; resolves once the extension is connected.
 */
export async function connectToSimulator(
  api: ExtensionExports,
  options: Parameters<typeof startSimulatedNode>[0] = {},
  name = TEST_NODE,
): Promise<SimulatedNode> {
  // A fresh seed per simulator: message IDs must not repeat across suites that share the store.
  const simulator = await startSimulatedNode({ port: 0, replyDelayMs: 100, seed: nextSeed++, ...options });
  await setNodes([{ name, url: simulator.subscribeUrl }]);
  await waitUntil(() => api.connectionState(name) === 'connected', `the extension to connect to ${simulator.subscribeUrl}`);
  await simulator.waitForSubscribers(1, 10_000);
  return simulator;
}

export async function setNodes(nodes: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration('impervious').update('nodes', nodes, vscode.ConfigurationTarget.Global);
}

export async function setSetting(name: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('impervious').update(name, value, vscode.ConfigurationTarget.Global);
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function text(data: Uint8Array): string {
  return Buffer.from(data).toString('utf8');
}
