import * as vscode from 'vscode';
import { systemClock, type Clock } from '../../core/base/clock';
import { NodeSubscriptions, TOTAL_BUDGET_IN_NODES } from '../../core/nodeSubscriptions';
import type { AwaitedStatus } from '../awaited/awaitedStatus';
import type { WatchesView } from '../awaited/watchesView';
import type { DeepLinkHandler } from '../messageIds/deepLinkHandler';
import type { IdTerminalLinkProvider } from '../messageIds/idTerminalLinks';
import type { KnownIds } from '../messageIds/knownIds';
import { MessagePersistence } from '../messages/messagePersistence';
import type { MessagesView } from '../messages/messagesView';
import { ApiKeys } from '../nodes/apiKeys';
import { SimulatorControl } from '../nodes/simulatorControl';
import type { LazyRequestFiles } from '../requests/lazyRequestFiles';
import { localizeCore } from './localization';
import { Log } from './log';
import { Notifier } from './notifier';
import { WindowDialogs } from './dialogs';
import { byteBudget, onDidChangeSettings, readSettings, type Settings } from './settings';
import { TestProbe } from './testProbe';

/** A change of `impervious.*`: the settings before it, and VS Code's event (`affectsSetting`). */
export interface SettingsChange {
  readonly previous: Settings;
  readonly event: vscode.ConfigurationChangeEvent;
}

/** What the features expose to the integration tests, gathered into `Internals`. */
export interface FeatureInternals {
  readonly messagesView: MessagesView;
  readonly watchesView: WatchesView;
  readonly requests: LazyRequestFiles;
  readonly editorIds: Internals['editorIds'];
}

/**
 * What every feature is built from, one per window: the settings with their change event, the log,
 * the pipeline (`NodeSubscriptions`), persistence, notifications, the simulated node and the API
 * keys. `activate()` makes it first; each feature's `register…(services)` takes what it needs.
 */
export class Services {
  /** The one clock of the window's views and notifications. */
  readonly clock: Clock = systemClock;
  readonly log = new Log();
  readonly testProbe = new TestProbe();
  readonly notifier = new Notifier(this.testProbe);
  /** Modal questions, quick picks and input boxes; tests answer them through `Internals.dialogs`. */
  readonly dialogs = new WindowDialogs();
  readonly apiKeys: ApiKeys;
  readonly subscriptions: NodeSubscriptions;
  readonly simulator: SimulatorControl;
  readonly persistence: MessagePersistence;
  /** Resolves once the held messages and watches of the last session are back (`MessagePersistence.restore`); connecting waits for it. */
  readonly restored: Promise<void>;
  readonly storage: { readonly logUri: vscode.Uri; readonly globalStorageUri: vscode.Uri };
  /** Where the extension's files are: webviews load their bundles from here. */
  readonly extensionUri: vscode.Uri;
  private current: Settings;
  private readonly settingsChanged = new vscode.EventEmitter<SettingsChange>();
  /** Fires after `settings()` has the new values and the pipeline's bounds follow them. */
  readonly onDidChangeSettings = this.settingsChanged.event;
  /** `impervious.*` as last read. */
  readonly settings = (): Settings => this.current;

  constructor(private readonly context: vscode.ExtensionContext) {
    localizeCore();
    this.current = readSettings();
    this.apiKeys = new ApiKeys(context.secrets);
    this.subscriptions = new NodeSubscriptions({
      maxMessages: this.current.maxMessages,
      maxBytes: byteBudget(this.current),
      onListenerError: (error, event) => this.log.listenerError(error, event),
    });
    this.simulator = new SimulatorControl((line) => this.log.info(line));
    this.persistence = new MessagePersistence(context, this.subscriptions, () => this.journalBounds(), this.log);
    this.storage = { logUri: context.logUri, globalStorageUri: context.globalStorageUri };
    this.extensionUri = context.extensionUri;
    this.register(this.log, this.subscriptions, this.persistence, this.settingsChanged, ...this.log.follow(this.subscriptions));
    this.register(onDidChangeSettings((event) => this.settingsDidChange(event)));
    this.restored = this.persistence.restore().catch((error: unknown) =>
      this.log.error(vscode.l10n.t('Could not restore the held messages: {0}', error instanceof Error ? error.message : String(error))),
    );
  }

  /** Disposed with the extension. */
  register(...disposables: vscode.Disposable[]): void {
    this.context.subscriptions.push(...disposables);
  }

  /** The services behind the API, with what the features expose, for the integration tests. */
  internals(features: FeatureInternals, activationMs: number): Internals {
    const { log, apiKeys, testProbe, dialogs, simulator, storage, subscriptions, restored } = this;
    return { subscriptions, log, apiKeys, testProbe, dialogs, simulator, storage, restored, ...features, activationMs };
  }

  /** VS Code does not wait for asynchronous disposers: `deactivate()` awaits this instead. */
  async shutdown(): Promise<void> {
    await this.persistence.flushAll();
    await this.simulator.stop();
  }

  private journalBounds(): { maxMessages: number; maxBytes: number; maxTotalBytes: number } {
    const maxBytes = byteBudget(this.current);
    return { maxMessages: this.current.maxMessages, maxBytes, maxTotalBytes: maxBytes * TOTAL_BUDGET_IN_NODES };
  }

  private settingsDidChange(event: vscode.ConfigurationChangeEvent): void {
    const previous = this.current;
    this.current = readSettings();
    if (this.current.maxMessages !== previous.maxMessages || this.current.maxMegabytes !== previous.maxMegabytes) {
      this.subscriptions.setBounds(this.current.maxMessages, byteBudget(this.current));
    }
    this.settingsChanged.fire({ previous, event });
  }
}

/** For the integration tests: the services behind the API. Not part of the public API. */
export interface Internals {
  readonly subscriptions: NodeSubscriptions;
  readonly messagesView: MessagesView;
  readonly watchesView: WatchesView;
  readonly log: Log;
  readonly apiKeys: ApiKeys;
  /** The Messages view's redraws; once a test calls `record()`, the notifications shown and the links followed. */
  readonly testProbe: TestProbe;
  /** Every modal question, quick pick and input box: a test replaces them with `replaceWith`. */
  readonly dialogs: WindowDialogs;
  /** The simulated node run inside the extension host (Start Simulator, its fault menu). */
  readonly simulator: SimulatorControl;
  /** Request files: the session, decorations and tests. */
  readonly requests: LazyRequestFiles;
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
  /** Resolves once the last session's held messages and watches are back (activation does not wait for it). */
  readonly restored: Promise<void>;
}
