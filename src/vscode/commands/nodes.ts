import * as vscode from 'vscode';
import { promptText } from '../../core/text/safeText';
import { nodeLatencyLine } from '../awaited/awaitedStatus';
import { CommandId, InternalCommandId } from '../contributionIds';
import { Setting, settingId } from '../services/settings';
import { askForApiKey, pickNode } from './prompts';
import type { CommandServices, CommandTable } from './services';

/** Connecting, disconnecting, API keys, the log, and the actions of a node's status bar item. */
export function nodeCommands(services: CommandServices): CommandTable {
  return [
    [CommandId.Connect, (node?: string) => connect(services, node)],
    [CommandId.Disconnect, (node?: string) => disconnect(services, node)],
    [CommandId.SetApiKey, (node?: string) => setApiKey(services, node)],
    [CommandId.ShowLog, () => services.log.show()],
    [InternalCommandId.StatusBarActions, (node: string) => statusActions(services, node)],
  ];
}

function connect({ subscriptions, log }: CommandServices, node?: string): void {
  const names = node ? [node] : subscriptions.nodeNames();
  if (names.length === 0) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('No node is configured: add one to {0}, or start the simulated node.', settingId(Setting.Nodes)),
    );
    return;
  }
  for (const name of names) {
    log.info(vscode.l10n.t('[{0}] Connect requested.', name));
    subscriptions.connect(name);
  }
}

function disconnect({ subscriptions, log }: CommandServices, node?: string): void {
  for (const name of node ? [node] : subscriptions.nodeNames()) {
    log.info(vscode.l10n.t('[{0}] Disconnect requested.', name));
    subscriptions.disconnect(name);
  }
}

async function setApiKey({ dialogs, subscriptions, apiKeys, applyNodes, log }: CommandServices, node?: string): Promise<void> {
  const name = node ?? (await pickNode(dialogs, subscriptions, vscode.l10n.t('Set the API key of which node?')));
  if (!name) {
    return;
  }
  const key = await askForApiKey(dialogs, name);
  if (key === undefined) {
    return;
  }
  await apiKeys.set(name, key.trim() || undefined);
  log.info(key.trim() ? vscode.l10n.t('[{0}] API key set; reconnecting.', name) : vscode.l10n.t('[{0}] API key removed; reconnecting.', name));
  await applyNodes();
  subscriptions.connect(name);
  const saved = key.trim() ? vscode.l10n.t('API key for {0} saved', promptText(name)) : vscode.l10n.t('API key for {0} removed', promptText(name));
  vscode.window.setStatusBarMessage(`$(key) ${saved}`, 3000);
}

async function statusActions(services: CommandServices, node: string): Promise<void> {
  const connection = services.subscriptions.connection(node);
  const live = connection && connection.state !== 'disconnected';
  const picked = await services.dialogs.showQuickPick(
    [
      live
        ? { label: `$(debug-disconnect) ${vscode.l10n.t('Disconnect')}`, run: () => disconnect(services, node) }
        : { label: `$(plug) ${vscode.l10n.t('Connect')}`, run: () => connect(services, node) },
      { label: `$(key) ${vscode.l10n.t('Set API Key…')}`, run: () => setApiKey(services, node) },
      { label: `$(output) ${vscode.l10n.t('Show Log')}`, run: () => services.log.show() },
    ],
    { title: promptText(`${node}: ${connection?.status.detail ?? ''}`, 200), placeHolder: nodeLatencyLine(services.subscriptions, node) },
  );
  await picked?.run();
}
