import type * as vscode from 'vscode';
import { createApi, type ImperviousEventsApi } from './vscode/api';
import { registerAwaitedReplies } from './vscode/awaited';
import { registerCommands } from './vscode/commands';
import { registerIds } from './vscode/messageIds';
import { registerMessages } from './vscode/messages';
import { registerNodes } from './vscode/nodes';
import { registerRequestFiles } from './vscode/requests';
import { Services, type Internals } from './vscode/services';
import { registerTimeline } from './vscode/timeline';

export type { Internals } from './vscode/services';

let active: Services | undefined;

/** The services first, then each feature, which registers what it owns and follows its settings. */
export async function activate(context: vscode.ExtensionContext): Promise<ImperviousEventsApi & { readonly internals: Internals }> {
  const started = performance.now();
  const services = new Services(context);
  active = services;
  const messagesView = registerMessages(services);
  const { watchesView, awaitedStatus } = registerAwaitedReplies(services);
  const editorIds = registerIds(services, messagesView);
  const requests = registerRequestFiles(services);
  const nodes = registerNodes(services);
  const timeline = registerTimeline(services, messagesView);
  registerCommands(services, { messagesView, ids: editorIds.ids, applyNodes: nodes.apply }, requests.commands, timeline);
  const { api, disposable } = createApi(services.subscriptions, nodes.ready, () => services.settings().spendLimitSats);
  services.register(disposable);
  const features = { messagesView, watchesView, requests, editorIds: { ...editorIds, awaitedStatus } };
  return Object.assign(api, { internals: services.internals(features, performance.now() - started) });
}

/** VS Code does not wait for asynchronous disposers: flushing the journal and stopping the simulator finish here. */
export async function deactivate(): Promise<void> {
  await active?.shutdown();
  active = undefined;
}
