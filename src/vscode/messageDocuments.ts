import * as vscode from 'vscode';
import { renderMessageDocument } from '../core/messageDocument';
import { shortId } from '../core/messageText';
import type { NodeSubscriptions } from '../core/nodeSubscriptions';
import type { NodeMessage } from '../core/nodeMessage';

export const MESSAGE_SCHEME = 'impervious-message';

/** `impervious-message:/<node>/<id>.json`: a read-only JSON view of one held message. */
function messageUri(message: NodeMessage): vscode.Uri {
  return vscode.Uri.from({
    scheme: MESSAGE_SCHEME,
    path: `/${encodeURIComponent(message.node)}/${encodeURIComponent(message.id || 'message')}.json`,
    query: message.id ? '' : `t=${message.receivedAt}`,
  });
}

/** Serves message documents from the hub; a document of an evicted message says so. */
export class MessageDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly hub: NodeSubscriptions) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [, node = '', file = ''] = uri.path.split('/');
    const id = decodeURIComponent(file.replace(/\.json$/, ''));
    const message = this.hub.find(id, decodeURIComponent(node));
    if (!message) {
      return `${JSON.stringify({ error: `Message ${shortId(id)} is no longer held (cleared or evicted).` }, null, 2)}\n`;
    }
    return renderMessageDocument(message);
  }
}

export async function openMessageDocument(message: NodeMessage): Promise<vscode.TextEditor> {
  let document = await vscode.workspace.openTextDocument(messageUri(message));
  if (document.languageId !== 'json') {
    document = await vscode.languages.setTextDocumentLanguage(document, 'json');
  }
  return vscode.window.showTextDocument(document, { preview: true });
}
