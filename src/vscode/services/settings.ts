import * as vscode from 'vscode';
import { DEFAULT_NODE, parseNodeConfigs, type NodeConfig, type NodeConfigProblem } from '../../core/connection/nodeConfig';
import type { GroupBy } from '../../core/messages/messageTree';

export type NotificationMode = 'watched' | 'all' | 'none';

export interface Settings {
  readonly nodes: readonly NodeConfig[];
  readonly nodeProblems: readonly NodeConfigProblem[];
  readonly autoConnect: boolean;
  readonly maxMessages: number;
  /** `impervious.maxMegabytes`: the byte budget of one node's held messages, in MiB. */
  readonly maxMegabytes: number;
  readonly notifications: NotificationMode;
  readonly groupBy: GroupBy;
  readonly watchTimeoutSeconds: number;
  /** `impervious.spendLimitSats`: what one run may spend without a question. */
  readonly spendLimitSats: number;
}

const SECTION = 'impervious';

/** The keys under `impervious.`, as `package.json` contributes them. */
export const enum Setting {
  Nodes = 'nodes',
  AutoConnect = 'autoConnect',
  MaxMessages = 'maxMessages',
  MaxMegabytes = 'maxMegabytes',
  Notifications = 'notifications',
  GroupBy = 'groupBy',
  WatchTimeoutSeconds = 'watchTimeoutSeconds',
  SpendLimitSats = 'spendLimitSats',
}

/** The full ID, e.g. `impervious.nodes`, for the Settings editor and for messages. */
export function settingId(setting: Setting): string {
  return `${SECTION}.${setting}`;
}

export function affectsSetting(event: vscode.ConfigurationChangeEvent, ...settings: Setting[]): boolean {
  return settings.some((setting) => event.affectsConfiguration(settingId(setting)));
}

/**
 * Reads `impervious.*`. `nodes` is machine-scoped and restricted in untrusted workspaces, so VS
 * Code itself ignores a cloned repository's value there; `maxMessages` and `maxMegabytes` act on
 * the profile-wide journal, so they are machine-scoped too; `notifications` is restricted in
 * untrusted workspaces, and so is `spendLimitSats` (machine scope too: a cloned repository cannot
 * raise what a run spends without a question). A wrong value is reported, never thrown.
 */
export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const { nodes, problems } = parseNodeConfigs(config.get<unknown>(Setting.Nodes, [DEFAULT_NODE]));
  return {
    nodes,
    nodeProblems: problems,
    autoConnect: config.get<boolean>(Setting.AutoConnect, true) !== false,
    maxMessages: clampInteger(config.get<number>(Setting.MaxMessages, 5000), 10, 1_000_000, 5000),
    maxMegabytes: clampInteger(config.get<number>(Setting.MaxMegabytes, 32), 1, 1024, 32),
    notifications: oneOf(config.get<string>(Setting.Notifications), ['watched', 'all', 'none'] as const, 'watched'),
    groupBy: oneOf(config.get<string>(Setting.GroupBy), ['thread', 'sender', 'serviceType'] as const, 'thread'),
    watchTimeoutSeconds: clampInteger(config.get<number>(Setting.WatchTimeoutSeconds, 0), 0, 7 * 24 * 3600, 0),
    // Up to 21 million BTC in sats fits a safe integer; a wrong value falls back to the default, never to "no limit".
    spendLimitSats: clampInteger(config.get<number>(Setting.SpendLimitSats, 100), 0, 2_100_000_000_000_000, 100),
  };
}

export function onDidChangeSettings(listener: (event: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SECTION)) {
      listener(event);
    }
  });
}

export function updateGroupBy(groupBy: GroupBy): Thenable<void> {
  return vscode.workspace.getConfiguration(SECTION).update(Setting.GroupBy, groupBy, vscode.ConfigurationTarget.Global);
}

function clampInteger(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** `maxMegabytes` in bytes (MiB). */
export function byteBudget(settings: Pick<Settings, 'maxMegabytes'>): number {
  return settings.maxMegabytes * 1024 * 1024;
}
