import * as vscode from 'vscode';
import { viewData } from '../../core/text/messageText';
import type { NodeMessage } from '../../core/nodeMessage';

/** A message's data as the clipboard gets it: text as text, binary as base64. */
export function dataAsText(message: NodeMessage): string {
  const view = viewData(message.data);
  return view.kind === 'text' ? view.text : Buffer.from(message.data).toString('base64');
}

/** Copies `text`, confirmed in the status bar (never a notification): `what` names it there. */
export async function copyToClipboard(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('Copied {0}', what)}`, 2000);
}
