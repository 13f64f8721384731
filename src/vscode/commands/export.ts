import * as fs from 'fs';
import * as vscode from 'vscode';
import { exportText } from '../../core/journal/messageJson';
import type { NodeMessage } from '../../core/nodeMessage';
import { CommandId } from '../contributionIds';
import type { Dialogs } from '../services/dialogs';
import type { CommandServices, CommandTable } from './services';

/** Exporting held messages to a JSON or NDJSON file. */
export function exportCommands(services: CommandServices): CommandTable {
  return [[CommandId.ExportMessages, (target?: vscode.Uri) => exportMessages(services, target)]];
}

/** A `.ndjson` or `.jsonl` path gets one message per line; any other path, one JSON array. */
function serializeMessages(messages: readonly NodeMessage[], path: string): string {
  return exportText(messages, /\.(ndjson|jsonl)$/i.test(path) ? 'ndjson' : 'json');
}

async function exportMessages({ dialogs, subscriptions }: CommandServices, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const messages = subscriptions.messages();
  const uri = target ?? (await askForExportFile(dialogs, messages.length));
  if (!uri) {
    return undefined;
  }
  const body = serializeMessages(messages, uri.path);
  if (uri.scheme === 'file') {
    await fs.promises.writeFile(uri.fsPath, body);
  } else {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(body));
  }
  vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('Exported {0} messages', messages.length)}`, 3000);
  return uri;
}

function askForExportFile(dialogs: Dialogs, count: number): Thenable<vscode.Uri | undefined> {
  return dialogs.showSaveDialog({
    title: vscode.l10n.t('Export {0} Messages', count),
    saveLabel: vscode.l10n.t('Export'),
    defaultUri: vscode.Uri.file(`impervious-messages.json`),
    filters: { JSON: ['json'], [vscode.l10n.t('NDJSON (one message per line)')]: ['ndjson', 'jsonl'] },
  });
}
