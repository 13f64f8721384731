import * as vscode from 'vscode';
import { isNewSituation, statusLogLine } from '../../core/connection/connectionProblems';
import type { ConnectionStatus } from '../../core/connection/nodeConnection';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import { CommandId, ContextKey } from '../contributionIds';
import type { Log } from '../services/log';
import type { Notifier } from '../services/notifier';
import { Setting, settingId } from '../services/settings';

/**
 * Each connection change goes to the log, once (a node that stays down is not said at every
 * attempt); one the user must fix (a rejected key, a wrong setting) is also an error notification
 * whose button leads to the fix. Keeps the `connected` context key. The detail can quote the
 * node's own error message: the log keeps it to one line, the notifier keeps links out.
 */
export function reportConnectionChanges(subscriptions: Pick<NodeSubscriptions, 'onDidChangeStatus' | 'connectionState'>, log: Log, notifier: Notifier): vscode.Disposable {
  const logged = new Map<string, ConnectionStatus>();
  return subscriptions.onDidChangeStatus(({ node, status }) => {
    void vscode.commands.executeCommand('setContext', ContextKey.Connected, subscriptions.connectionState() === 'connected');
    if (!isNewSituation(logged.get(node), status)) {
      return;
    }
    logged.set(node, status);
    const line = statusLogLine(node, status);
    if (status.authFailed || status.configError) {
      log.error(line);
      void offerFix(notifier, node, status.detail, status.authFailed ? 'apiKey' : 'settings', log);
    } else {
      log.info(line);
    }
  });
}

async function offerFix(notifier: Notifier, node: string, detail: string, fix: 'apiKey' | 'settings', log: Log): Promise<void> {
  const fixLabel = fix === 'apiKey' ? vscode.l10n.t('Set API Key') : vscode.l10n.t('Open Settings');
  const showLog = vscode.l10n.t('Show Log');
  const choice = await notifier.error(vscode.l10n.t('Impervious: {0}: {1}', node, detail), fixLabel, showLog);
  if (choice === undefined) {
    return;
  }
  if (choice === showLog) {
    log.show();
  } else if (fix === 'apiKey') {
    await vscode.commands.executeCommand(CommandId.SetApiKey, node);
  } else {
    await vscode.commands.executeCommand('workbench.action.openSettings', settingId(Setting.Nodes));
  }
}
