import * as vscode from 'vscode';
import { NodeSubscriptions } from './core/nodeSubscriptions';
import { createApi, type ImperviousEventsApi } from './vscode/api';
import { ApiKeys } from './vscode/apiKeys';
import { ContextKey } from './vscode/commandIds';
import { dataAsText, registerCommands } from './vscode/commands';
import { Log } from './vscode/log';
import { MESSAGE_SCHEME, MessageDocumentProvider } from './vscode/messageDocuments';
import { MessagePersistence } from './vscode/messagePersistence';
import { MessagesView } from './vscode/messagesView';
import { Notifications } from './vscode/notifications';
import { onDidChangeSettings, readSettings, type Settings } from './vscode/settings';
import { SimulatorControl } from './vscode/simulatorControl';
import { StatusBar } from './vscode/statusBar';
import { WatchesView } from './vscode/watchesView';

let shutdown: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ImperviousEventsApi & { readonly internals: Internals }> {
  const started = performance.now();
  // Settings and services
  let settings: Settings = readSettings();
  const log = new Log();
  context.subscriptions.push(log);
  const apiKeys = new ApiKeys(context.secrets);
  const hub = new NodeSubscriptions({ maxMessages: settings.maxMessages });
  context.subscriptions.push({ dispose: () => hub.dispose() });
  const simulator = new SimulatorControl((line) => log.info(line));
  const persistence = new MessagePersistence(context, hub, () => settings.maxMessages, log);
  context.subscriptions.push(persistence);
  persistence.restore();

  // Views, documents, status and notifications
  const messagesView = new MessagesView(hub, settings.groupBy);
  const watchesView = new WatchesView(hub.watches);
  const statusBar = new StatusBar(hub);
  const notifications = new Notifications(hub, () => settings.notifications, {
    show: (message) => messagesView.reveal(message),
    copyData: async (message) => {
      await vscode.env.clipboard.writeText(dataAsText(message));
      vscode.window.setStatusBarMessage('$(check) Copied data', 2000);
    },
  });
  context.subscriptions.push(
    messagesView,
    watchesView,
    statusBar,
    notifications,
    vscode.workspace.registerTextDocumentContentProvider(MESSAGE_SCHEME, new MessageDocumentProvider(hub)),
  );

  // The log: one line per message and per connection change, never a key.
  const warnedInsecure = new Set<string>();
  context.subscriptions.push(
    hub.onDidReceiveMessage((message) => log.message(message)),
    hub.onDidRejectFrame(({ node, event }) => log.rejections.reject(node, event.reason)),
    hub.onDidReceiveError(({ node, event }) => log.warn(`[${node}] Error from the node: ${event.message} (code ${event.code})`)),
    hub.onDidChangeStatus(({ node, status }) => {
      const line = `[${node}] ${status.state}: ${status.detail}`;
      if (status.authFailed || status.configError) {
        log.error(line);
        const fix = status.authFailed ? 'Set API Key' : 'Open Settings';
        void vscode.window.showErrorMessage(`Impervious: ${node}: ${status.detail}`, fix, 'Show Log').then((choice) => {
          if (choice === 'Set API Key') {
            void vscode.commands.executeCommand('impervious.setApiKey', node);
          } else if (choice === 'Open Settings') {
            void vscode.commands.executeCommand('workbench.action.openSettings', 'impervious.nodes');
          } else if (choice === 'Show Log') {
            log.show();
          }
        });
      } else {
        log.info(line);
      }
      void vscode.commands.executeCommand('setContext', ContextKey.Connected, hub.connectionState() === 'connected');
    }),
  );

  // Nodes: the settings, plus the simulated node while it runs, each with its key. One update at a
  // time, in order, so that a slow read of the keys never applies an older list of nodes last.
  let nodesUpdate: Promise<void> = Promise.resolve();
  let disposed = false;
  context.subscriptions.push({ dispose: () => (disposed = true) });
  const updateNodes = async (): Promise<void> => {
    for (const problem of settings.nodeProblems) {
      log.error(problem.message);
    }
    const nodes = [...settings.nodes, ...(simulator.node ? [simulator.node] : [])];
    const keys = await apiKeys.getAll(nodes.map((node) => node.name));
    if (disposed) {
      return;
    }
    const created = hub.setNodes(nodes, keys);
    for (const node of nodes) {
      if (node.rejectUnauthorized === false && !warnedInsecure.has(node.name)) {
        warnedInsecure.add(node.name);
        notifications.warn(`Impervious: TLS verification is off for ${node.name} (rejectUnauthorized: false); its certificate is not checked.`);
      }
    }
    if (settings.autoConnect) {
      created.filter((name) => name !== simulator.node?.name).forEach((name) => hub.connect(name));
    }
  };
  const applyNodes = (): Promise<void> => (nodesUpdate = nodesUpdate.then(updateNodes, updateNodes));

  // Commands
  context.subscriptions.push(
    ...registerCommands({ hub, messagesView, log, apiKeys, simulator, settings: () => settings, applyNodes }),
  );

  context.subscriptions.push(
    onDidChangeSettings(async (event) => {
      const previous = settings;
      settings = readSettings();
      if (settings.maxMessages !== previous.maxMessages) {
        hub.setMaxMessages(settings.maxMessages);
      }
      if (settings.groupBy !== previous.groupBy) {
        messagesView.setGroupBy(settings.groupBy);
      }
      if (event.affectsConfiguration('impervious.nodes') || event.affectsConfiguration('impervious.autoConnect')) {
        await applyNodes();
      }
      messagesView.refresh();
    }),
    apiKeys.onDidChange(() => void applyNodes()),
  );
  // The keys come from SecretStorage, a round trip to the workbench that can take a few hundred ms
  // while VS Code starts: connecting waits for them, activation does not.
  const nodesReady = applyNodes().catch((error: unknown) =>
    log.error(`Could not apply the node settings: ${error instanceof Error ? error.message : String(error)}`),
  );

  const { api, disposable } = createApi(hub, nodesReady);
  context.subscriptions.push(disposable);
  // VS Code does not wait for asynchronous disposers; deactivate() returns this promise instead.
  shutdown = async () => {
    await persistence.flushAll();
    await simulator.stop();
  };
  const internals: Internals = {
    hub,
    messagesView,
    watchesView,
    notifications,
    persistence,
    simulator,
    log,
    apiKeys,
    storage: { logUri: context.logUri, globalStorageUri: context.globalStorageUri },
    activationMs: performance.now() - started,
  };
  return Object.assign(api, { internals });
}

/** For the integration tests: the services behind the API. Not part of the public API. */
export interface Internals {
  readonly hub: NodeSubscriptions;
  readonly messagesView: MessagesView;
  readonly watchesView: WatchesView;
  readonly notifications: Notifications;
  readonly persistence: MessagePersistence;
  readonly simulator: SimulatorControl;
  readonly log: Log;
  readonly apiKeys: ApiKeys;
  readonly storage: { readonly logUri: vscode.Uri; readonly globalStorageUri: vscode.Uri };
  /** From the start of activate() to its return (the benchmark reads it). */
  readonly activationMs: number;
}

export async function deactivate(): Promise<void> {
  await shutdown?.();
  shutdown = undefined;
}
