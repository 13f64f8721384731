import * as vscode from 'vscode';
import type { NodeSubscriptions } from '../core/nodeSubscriptions';
import { logText } from '../core/safeText';
import { CommandId, ContextKey } from './ids';
import type { Log } from './log';
import type { Notifier } from './notifier';
import { Setting, settingId } from './settings';

/**
 * Each connection change goes to the log; one the user must fix (a rejected key, a wrong setting)
 * is also an error notification whose button leads to the fix. Keeps the `connected` context key.
 * The detail can quote the node's own error message: one log line, and no link in the notification.
 */
export function reportConnectionChanges(hub: NodeSubscriptions, log: Log, notifier: Notifier): vscode.Disposable {
  return hub.onDidChangeStatus(({ node, status }) => {
    const line = `[${node}] ${status.state}: ${logText(status.detail)}`;
    if (status.authFailed || status.configError) {
      log.error(line);
      void offerFix(notifier, node, status.detail, status.authFailed ? 'Set API Key' : 'Open Settings', log);
    } else {
      log.info(line);
    }
    void vscode.commands.executeCommand('setContext', ContextKey.Connected, hub.connectionState() === 'connected');
  });
}

async function offerFix(notifier: Notifier, node: string, detail: string, fix: 'Set API Key' | 'Open Settings', log: Log): Promise<void> {
  const choice = await notifier.error(`Impervious: ${node}: ${detail}`, fix, 'Show Log');
  if (choice === 'Set API Key') {
    await vscode.commands.executeCommand(CommandId.SetApiKey, node);
  } else if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', settingId(Setting.Nodes));
  } else if (choice === 'Show Log') {
    log.show();
  }
}
