import * as vscode from 'vscode';
import type { NodeSubscriptions } from '../core/nodeSubscriptions';
import type { ConnectionStatus } from '../core/nodeConnection';
import { Throttle } from '../core/throttle';
import { nodeLatencyLine } from './awaitedStatus';
import { DisposableStore } from './disposableStore';
import { InternalCommandId, statusBarItemId } from './ids';
import { Ticker } from './ticker';

/** One status bar item per node: its state and message count; a click offers the actions. */
export class StatusBar extends DisposableStore {
  private readonly items = new Map<string, vscode.StatusBarItem>();
  private readonly throttle: Throttle;
  // A countdown to the next attempt ticks once a second, only while one is pending.
  private readonly ticker = this.register(new Ticker(() => this.update()));

  constructor(private readonly hub: NodeSubscriptions) {
    super();
    this.throttle = new Throttle(() => this.update(), 250);
    this.register({ dispose: () => this.throttle.dispose() });
    this.register(hub.onDidChangeNodes(() => this.update()));
    this.register(hub.onDidChangeStatus(() => this.update()));
    this.register(hub.onDidClear(() => this.update()));
    this.register(hub.onDidReceiveMessage(() => this.throttle.schedule()));
    // An answered watch brings a new reply latency for the tooltip.
    this.register(hub.watches.onDidChange(() => this.throttle.schedule()));
    this.register({ dispose: () => this.items.forEach((item) => item.dispose()) });
    this.update();
  }

  /** The text shown for a node, e.g. "$(sync~spin) Local node: reconnecting in 4 s". */
  private static describe(name: string, status: ConnectionStatus, count: number, now: number): string {
    switch (status.state) {
      case 'connected':
        return `$(pass-filled) ${name} · ${count}`;
      case 'connecting':
        return `$(loading~spin) ${name}: connecting`;
      case 'reconnecting': {
        const seconds = status.retryAt !== undefined ? Math.ceil((status.retryAt - now) / 1000) : 0;
        return `$(sync~spin) ${name}: ${seconds > 0 ? `reconnecting in ${seconds} s` : 'reconnecting'} · ${count}`;
      }
      case 'disconnected':
        if (status.authFailed) {
          return `$(lock) ${name}: auth failed`;
        }
        return `$(circle-slash) ${name}: ${status.configError ? 'settings error' : 'disconnected'} · ${count}`;
    }
  }

  private update(): void {
    const names = this.hub.nodeNames();
    for (const [name, item] of this.items) {
      if (!names.includes(name)) {
        item.dispose();
        this.items.delete(name);
      }
    }
    const now = Date.now();
    let counting = false;
    names.forEach((name, index) => {
      const connection = this.hub.connection(name);
      if (!connection) {
        return;
      }
      let item = this.items.get(name);
      if (!item) {
        item = vscode.window.createStatusBarItem(statusBarItemId(name), vscode.StatusBarAlignment.Left, 50 - index);
        item.name = `Impervious: ${name}`;
        item.command = { command: InternalCommandId.StatusBarActions, title: 'Node actions', arguments: [name] };
        this.items.set(name, item);
        item.show();
      }
      const status = connection.status;
      const store = this.hub.store(name);
      item.text = StatusBar.describe(name, status, store.size, now);
      item.tooltip = `${name} (${connection.node.url})\n${status.detail}\n${store.size} messages held${store.evicted ? `, ${store.evicted} evicted` : ''}${connection.counters.rejected ? `, ${connection.counters.rejected} frames rejected` : ''}${latencySuffix(this.hub, name)}`;
      item.backgroundColor =
        status.authFailed || status.configError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      counting ||= status.state === 'reconnecting' && status.retryAt !== undefined;
    });
    this.ticker.set(counting);
  }
}

function latencySuffix(hub: NodeSubscriptions, node: string): string {
  const line = nodeLatencyLine(hub, node);
  return line ? `\n${line}` : '';
}
