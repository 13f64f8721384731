import * as vscode from 'vscode';
import { systemClock, type Clock } from '../../core/base/clock';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { ConnectionStatus } from '../../core/connection/nodeConnection';
import { labelText, promptText } from '../../core/text/safeText';
import { downtimeLine } from '../../core/backfill/recoveryText';
import { Throttle } from '../../core/base/throttle';
import { nodeLatencyLine } from '../awaited/awaitedStatus';
import { DisposableStore } from '../base/disposableStore';
import { InternalCommandId, statusBarItemId } from '../contributionIds';
import { Ticker } from '../base/ticker';

/** One status bar item per node: its state and message count; a click offers the actions. */
export class StatusBar extends DisposableStore {
  private readonly items = new Map<string, vscode.StatusBarItem>();
  private readonly throttle: Throttle;
  // A countdown to the next attempt ticks once a second, only while one is pending.
  private readonly ticker = this.register(new Ticker(() => this.update()));

  constructor(
    private readonly subscriptions: NodeSubscriptions,
    private readonly clock: Clock = systemClock,
  ) {
    super();
    this.throttle = new Throttle(() => this.update(), 250);
    this.register(this.throttle);
    this.register(subscriptions.onDidChangeNodes(() => this.update()));
    this.register(subscriptions.onDidChangeStatus(() => this.update()));
    this.register(subscriptions.onDidClear(() => this.update()));
    this.register(subscriptions.onDidReceiveMessage(() => this.throttle.schedule()));
    // An answered watch brings a new reply latency for the tooltip.
    this.register(subscriptions.watches.onDidChange(() => this.throttle.schedule()));
    this.register({ dispose: () => this.items.forEach((item) => item.dispose()) });
    this.update();
  }

  /**
   * The text shown for a node, e.g. "$(sync~spin) Local node: reconnecting in 4 s". A node whose
   * address refuses connections is "not running", without a spinner or a countdown: nothing is
   * wrong with the extension, and attempts go on quietly until the node is up. The name cannot add icons.
   */
  private static describe(node: string, status: ConnectionStatus, count: number, now: number): string {
    const name = promptText(node, 40);
    switch (status.state) {
      case 'connected':
        return `$(pass-filled) ${name} · ${count}`;
      case 'connecting':
        return `$(loading~spin) ${vscode.l10n.t('{0}: connecting', name)}`;
      case 'reconnecting': {
        if (status.notRunning) {
          return `$(circle-outline) ${vscode.l10n.t('{0}: not running', name)}`;
        }
        const seconds = status.retryAt !== undefined ? Math.ceil((status.retryAt - now) / 1000) : 0;
        const text =
          seconds > 0 ? vscode.l10n.t('{0}: reconnecting in {1} s · {2}', name, seconds, count) : vscode.l10n.t('{0}: reconnecting · {1}', name, count);
        return `$(sync~spin) ${text}`;
      }
      case 'disconnected':
        if (status.authFailed) {
          return `$(lock) ${vscode.l10n.t('{0}: auth failed', name)}`;
        }
        return `$(circle-slash) ${
          status.configError ? vscode.l10n.t('{0}: settings error · {1}', name, count) : vscode.l10n.t('{0}: disconnected · {1}', name, count)
        }`;
    }
  }

  private static tooltip(name: string, url: string, status: ConnectionStatus, held: number, evicted: number, rejected: number): string {
    const counts = [vscode.l10n.t('{0} messages held', held)];
    if (evicted) {
      counts.push(vscode.l10n.t('{0} evicted', evicted));
    }
    if (rejected) {
      counts.push(vscode.l10n.t('{0} frames rejected', rejected));
    }
    return `${labelText(name)} (${labelText(url, 200)})\n${labelText(status.detail, 300)}\n${counts.join(', ')}`;
  }

  private update(): void {
    const names = this.subscriptions.nodeNames();
    for (const [name, item] of this.items) {
      if (!names.includes(name)) {
        item.dispose();
        this.items.delete(name);
      }
    }
    const now = this.clock.now();
    let counting = false;
    names.forEach((name, index) => {
      const connection = this.subscriptions.connection(name);
      if (!connection) {
        return;
      }
      let item = this.items.get(name);
      if (!item) {
        item = vscode.window.createStatusBarItem(statusBarItemId(name), vscode.StatusBarAlignment.Left, 50 - index);
        item.name = vscode.l10n.t('Impervious: {0}', labelText(name));
        item.command = { command: InternalCommandId.StatusBarActions, title: vscode.l10n.t('Node actions'), arguments: [name] };
        this.items.set(name, item);
        item.show();
      }
      const status = connection.status;
      const store = this.subscriptions.store(name);
      item.text = StatusBar.describe(name, status, store.size, now);
      item.tooltip =
        StatusBar.tooltip(name, connection.node.url, status, store.size, store.evicted, connection.counters.rejected) +
        latencySuffix(this.subscriptions, name) +
        downtimeSuffix(this.subscriptions, name, connection.apiVersion);
      item.backgroundColor =
        status.authFailed || status.configError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      counting ||= status.state === 'reconnecting' && status.retryAt !== undefined && !status.notRunning;
    });
    this.ticker.set(counting);
  }
}

/** A node that keeps nothing (not v1) loses what its peers sent while the stream was down: say how long that was. */
function downtimeSuffix(subscriptions: NodeSubscriptions, node: string, apiVersion: string | undefined): string {
  const line = apiVersion === 'v1' ? undefined : downtimeLine(subscriptions.streamDowntimeMs(node));
  return line ? `\n${line}` : '';
}

function latencySuffix(subscriptions: NodeSubscriptions, node: string): string {
  const line = nodeLatencyLine(subscriptions, node);
  return line ? `\n${line}` : '';
}
