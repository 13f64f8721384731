import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Internals } from '../../src/extension';
import { startSimulatedNode, type SimulatedNode } from '../../src/core/simulator/simulatedNode';
import type { SpendQuestion } from '../../src/core/requests/spendGuard';
import type { ImperviousEventsApi } from '../../src/vscode/api';
import type { PendingSend } from '../../src/vscode/services/dialogs';

export const EXTENSION_ID = 'imp-tools.impervious-events';
export const TEST_NODE = 'Test node';

let nextSeed = Date.now() % 1_000_000;

export type ExtensionExports = ImperviousEventsApi & { readonly internals: Internals };

export async function activateExtension(): Promise<ExtensionExports> {
  const extension = vscode.extensions.getExtension<ExtensionExports>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed`);
  }
  const api = await extension.activate();
  // Activation does not wait for the last session's held messages; the tests start once they are back.
  await api.internals.restored;
  // Notifications and followed links are kept only for tests that ask.
  api.internals.testProbe.record();
  return api;
}

/**
 * Answers the modal question before each send started with arguments (a modal cannot be answered
 * from the extension host); any other question is refused. `undefined` gives the questions back to the window.
 */
export function answerSends(api: ExtensionExports, answer: ((send: PendingSend) => boolean | Thenable<boolean>) | undefined): void {
  api.internals.dialogs.replaceWith(answer && { confirm: async ({ about }) => about.kind === 'send' && (await answer(about.send)) });
}

/** Answers the modal questions of request-file runs about spending, as `answerSends` does sends'. */
export function answerSpends(api: ExtensionExports, answer: ((spend: SpendQuestion) => boolean | Thenable<boolean>) | undefined): void {
  api.internals.dialogs.replaceWith(answer && { confirm: async ({ about }) => about.kind === 'spend' && (await answer(about.spend)) });
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

/** What the extension's output channel has written to its log file so far (flushed first). */
export function outputChannelLog(api: ExtensionExports): string {
  api.internals.log.flush();
  const logsRoot = path.resolve(api.internals.storage.logUri.fsPath, '..', '..');
  return filesUnder(logsRoot)
    .filter((file) => /Impervious\.log$/.test(file))
    .map((file) => fs.readFileSync(file, 'utf8'))
    .join('\n');
}

/** Files under `dir`, at any depth. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
}

export function text(data: Uint8Array): string {
  return Buffer.from(data).toString('utf8');
}
