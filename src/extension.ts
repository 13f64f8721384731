import * as vscode from 'vscode';
import { NodeSubscriptions, TOTAL_BUDGET_IN_NODES } from './core/nodeSubscriptions';
import { createApi, type ImperviousEventsApi } from './vscode/api';
import { ApiKeys } from './vscode/apiKeys';
import { AwaitedStatus } from './vscode/awaitedStatus';
import { copyToClipboard, dataAsText } from './vscode/clipboard';
import { registerCommands } from './vscode/commands';
import { reportConnectionChanges } from './vscode/connectionErrors';
import { DeepLinkHandler } from './vscode/deepLinkHandler';
import { EditorIdContext } from './vscode/editorIds';
import { IdHoverProvider } from './vscode/idHover';
import { IdTerminalLinkProvider } from './vscode/idTerminalLinks';
import { KnownIds } from './vscode/knownIds';
import { localizeCore } from './vscode/localization';
import { Log } from './vscode/log';
import { MESSAGE_SCHEME, MessageDocumentProvider } from './vscode/messageDocuments';
import { MessagePersistence } from './vscode/messagePersistence';
import { MessagesView } from './vscode/messagesView';
import { NodeReconciler } from './vscode/nodeReconciler';
import { RequestFiles } from './vscode/requests/requestFiles';
import { Notifications } from './vscode/notifications';
import { Notifier } from './vscode/notifier';
import { SendConfirmation } from './vscode/sendConfirmation';
import { affectsSetting, byteBudget, onDidChangeSettings, readSettings, Setting, type Settings } from './vscode/settings';
import { SimulatorControl } from './vscode/simulatorControl';
import { StatusBar } from './vscode/statusBar';
import { TestProbe } from './vscode/testProbe';
import { registerTimeline } from './vscode/timeline';
import { WatchesView } from './vscode/watchesView';

let shutdown: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ImperviousEventsApi & { readonly internals: Internals }> {
  const started = performance.now();
  localizeCore();
  // Settings and services
  let settings: Settings = readSettings();
  const log = new Log();
  const apiKeys = new ApiKeys(context.secrets);
  const hub = new NodeSubscriptions({
    maxMessages: settings.maxMessages,
    maxBytes: byteBudget(settings),
    onListenerError: (error, event) => log.listenerError(error, event),
  });
  const simulator = new SimulatorControl((line) => log.info(line));
  const persistence = new MessagePersistence(
    context,
    hub,
    () => ({ maxMessages: settings.maxMessages, maxBytes: byteBudget(settings), maxTotalBytes: byteBudget(settings) * TOTAL_BUDGET_IN_NODES }),
    log,
  );
  const testProbe = new TestProbe();
  const notifier = new Notifier(testProbe);
  const sendConfirmation = new SendConfirmation();
  context.subscriptions.push(log, { dispose: () => hub.dispose() }, persistence);
  persistence.restore();

  // Views, documents, status, notifications and the log
  const messagesView = new MessagesView(hub, settings.groupBy, testProbe, undefined, (line) => log.warn(line));
  const watchesView = new WatchesView(hub.watches);
  const notifications = new Notifications(
    hub,
    () => settings.notifications,
    { show: (message) => messagesView.reveal(message), copyData: (message) => copyToClipboard(dataAsText(message), 'data') },
    notifier,
  );
  context.subscriptions.push(
    messagesView,
    watchesView,
    new StatusBar(hub),
    notifications,
    vscode.workspace.registerTextDocumentContentProvider(MESSAGE_SCHEME, new MessageDocumentProvider(hub)),
    ...log.follow(hub),
    reportConnectionChanges(hub, log, notifier),
  );

  // Message IDs where the developer works: hovers in every editor, links in the terminal, links
  // into VS Code, and the editor context menu
  const ids = new KnownIds(hub);
  const terminalLinks = new IdTerminalLinkProvider(ids, testProbe);
  const deepLinks = new DeepLinkHandler(hub, messagesView, () => settings.watchTimeoutSeconds * 1000, notifier);
  const awaitedStatus = new AwaitedStatus(hub);
  context.subscriptions.push(
    ids,
    vscode.languages.registerHoverProvider('*', new IdHoverProvider(hub, ids)),
    vscode.window.registerTerminalLinkProvider(terminalLinks),
    vscode.window.registerUriHandler(deepLinks),
    new EditorIdContext(ids),
    awaitedStatus,
  );

  // The Timeline in the panel (its chart is a bundle of its own, loaded by the webview) and thread diagrams
  context.subscriptions.push(...registerTimeline({ hub, messagesView, extensionUri: context.extensionUri, log, notifier }));

  // Request files: checks, CodeLenses, run decorations and the Test Explorer
  const requests = new RequestFiles(hub, () => settings, () => simulator.peers);
  context.subscriptions.push(requests);

  // Nodes, then commands
  const nodes = new NodeReconciler(hub, apiKeys, simulator, () => settings, log, (text) => notifications.warn(text));
  const applyNodes = (): Promise<void> => nodes.apply();
  context.subscriptions.push(
    nodes,
    ...registerCommands({ hub, messagesView, ids, log, apiKeys, simulator, notifier, sendConfirmation, settings: () => settings, applyNodes }, requests.commands),
    onDidChangeSettings(async (event) => {
      const previous = settings;
      settings = readSettings();
      if (settings.maxMessages !== previous.maxMessages || settings.maxMegabytes !== previous.maxMegabytes) {
        hub.setBounds(settings.maxMessages, byteBudget(settings));
      }
      if (settings.groupBy !== previous.groupBy) {
        messagesView.setGroupBy(settings.groupBy);
      }
      if (affectsSetting(event, Setting.Nodes, Setting.AutoConnect)) {
        await applyNodes();
      }
      messagesView.refresh();
    }),
    apiKeys.onDidChange(() => void applyNodes()),
  );
  // The keys come from SecretStorage, a round trip to the workbench that can take a few hundred ms
  // while VS Code starts: connecting waits for them, activation does not.
  const nodesReady = applyNodes().catch((error: unknown) =>
    log.error(vscode.l10n.t('Could not apply the node settings: {0}', error instanceof Error ? error.message : String(error))),
  );

  // The API, and the shutdown: VS Code does not wait for asynchronous disposers, so deactivate()
  // returns this promise instead.
  const { api, disposable } = createApi(hub, nodesReady, () => settings.spendLimitSats);
  context.subscriptions.push(disposable);
  shutdown = async () => {
    await persistence.flushAll();
    await simulator.stop();
  };
  const storage = { logUri: context.logUri, globalStorageUri: context.globalStorageUri };
  const internals: Internals = {
    hub,
    messagesView,
    watchesView,
    log,
    apiKeys,
    testProbe,
    sendConfirmation,
    simulator,
    requests,
    storage,
    editorIds: { ids, terminalLinks, deepLinks, awaitedStatus },
    activationMs: performance.now() - started,
  };
  return Object.assign(api, { internals });
}

/** For the integration tests: the services behind the API. Not part of the public API. */
export interface Internals {
  readonly hub: NodeSubscriptions;
  readonly messagesView: MessagesView;
  readonly watchesView: WatchesView;
  readonly log: Log;
  readonly apiKeys: ApiKeys;
  /** The notifications shown and the Messages view's redraws. */
  readonly testProbe: TestProbe;
  /** Sends started with arguments ask here first; tests answer through it. */
  readonly sendConfirmation: SendConfirmation;
  /** The simulated node run inside the extension host (Start Simulator, its fault menu). */
  readonly simulator: SimulatorControl;
  /** Request files: the session (its `confirmSpend` is replaceable), decorations and tests. */
  readonly requests: RequestFiles;
  readonly storage: { readonly logUri: vscode.Uri; readonly globalStorageUri: vscode.Uri };
  /** What resolves message IDs in editors and terminals, and the links into VS Code. */
  readonly editorIds: {
    readonly ids: KnownIds;
    readonly terminalLinks: IdTerminalLinkProvider;
    readonly deepLinks: DeepLinkHandler;
    readonly awaitedStatus: AwaitedStatus;
  };
  /** From the start of activate() to its return (the benchmark reads it). */
  readonly activationMs: number;
}

export async function deactivate(): Promise<void> {
  await shutdown?.();
  shutdown = undefined;
}
