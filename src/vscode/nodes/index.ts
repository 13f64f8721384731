import * as vscode from 'vscode';
import type { Services } from '../services';
import { affectsSetting, Setting } from '../services/settings';
import { reportConnectionChanges } from './connectionReports';
import { NodeReconciler } from './nodeReconciler';
import { StatusBar } from './statusBar';

export interface Nodes {
  /** Re-reads settings, keys and the simulator into the pipeline's node set. */
  apply(): Promise<void>;
  /** The first application, which activation does not wait for. */
  readonly ready: Promise<void>;
}

/**
 * Nodes: the node set kept in line with `impervious.nodes`, `impervious.autoConnect`, the API keys
 * and the simulated node; a status bar item per node; connection changes in the log and, when the
 * user must act, in a notification.
 */
export function registerNodes(services: Services): Nodes {
  const { subscriptions, apiKeys, simulator, log, notifier } = services;
  const reconciler = new NodeReconciler(subscriptions, apiKeys, simulator, services.settings, log, (text) => void notifier.warn(text), services.restored);
  const apply = (): Promise<void> => reconciler.apply();
  services.register(
    reconciler,
    new StatusBar(subscriptions, services.clock),
    reportConnectionChanges(subscriptions, log, notifier),
    services.onDidChangeSettings(({ event }) => {
      if (affectsSetting(event, Setting.Nodes, Setting.AutoConnect)) {
        void apply();
      }
    }),
    apiKeys.onDidChange(() => void apply()),
  );
  // The keys come from SecretStorage, a round trip to the workbench while VS Code starts:
  // connecting waits for them, activation does not.
  const ready = apply().catch((error: unknown) =>
    log.error(vscode.l10n.t('Could not apply the node settings: {0}', error instanceof Error ? error.message : String(error))),
  );
  return { apply, ready };
}
