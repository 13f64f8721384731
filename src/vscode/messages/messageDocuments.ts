import * as vscode from 'vscode';
import { findAddressed, formatMessageAddress, parseMessageAddress } from '../../core/ids/messageAddress';
import { renderMessageDocument } from '../../core/text/messageDocument';
import { jsonString } from '../../core/text/jsonLayout';
import { shortId } from '../../core/text/messageText';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { NodeMessage } from '../../core/nodeMessage';

export const MESSAGE_SCHEME = 'impervious-message';

/** What message documents read of the pipeline: each node's store. */
type HeldStores = Pick<NodeSubscriptions, 'store' | 'storeNames'>;

/** `impervious-message:/<node>/<id>.json?seq=…&at=…` (see `MessageAddress`): a read-only JSON view of one held message. */
export function messageUri(subscriptions: HeldStores, message: NodeMessage): vscode.Uri {
  const sequence = subscriptions.store(message.node).sequenceOf(message);
  const { path, query } = formatMessageAddress({ node: message.node, id: message.id, sequence, receivedAt: message.receivedAt });
  return vscode.Uri.from({ scheme: MESSAGE_SCHEME, path, query });
}

/** The held message a document URI names, if it is still held. */
export function messageOfUri(subscriptions: HeldStores, uri: vscode.Uri): NodeMessage | undefined {
  const address = parseMessageAddress(uri.path, uri.query);
  if (!address || !subscriptions.storeNames().includes(address.node)) {
    return undefined;
  }
  const store = subscriptions.store(address.node);
  return findAddressed(address, store);
}

/** Serves message documents from the pipeline; a document of an evicted message says so. */
export class MessageDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly subscriptions: HeldStores) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    try {
      const message = messageOfUri(this.subscriptions, uri);
      if (message) {
        return renderMessageDocument(message);
      }
      const id = parseMessageAddress(uri.path, uri.query)?.id ?? '';
      return `{\n  "error": ${jsonString(vscode.l10n.t('Message {0} is no longer held (cleared or evicted).', shortId(id)))}\n}\n`;
    } catch (error) {
      // Never a blank editor: say what went wrong instead.
      return `{\n  "error": ${jsonString(error instanceof Error ? error.message : String(error))}\n}\n`;
    }
  }
}

export async function openMessageDocument(subscriptions: HeldStores, message: NodeMessage): Promise<vscode.TextEditor> {
  let document = await vscode.workspace.openTextDocument(messageUri(subscriptions, message));
  if (document.languageId !== 'json') {
    document = await vscode.languages.setTextDocumentLanguage(document, 'json');
  }
  return vscode.window.showTextDocument(document, { preview: true });
}
