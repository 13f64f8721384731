import * as vscode from 'vscode';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import { completeAt, MAX_PUBKEY_CANDIDATES, type CompletionKind } from '../../core/requests/completion';
import { knownSenders } from './requestCommands';
import type { RequestSession } from './requestSession';

const KINDS: Record<CompletionKind, vscode.CompletionItemKind> = {
  pubkey: vscode.CompletionItemKind.Value,
  variable: vscode.CompletionItemKind.Variable,
  block: vscode.CompletionItemKind.Module,
  field: vscode.CompletionItemKind.Field,
  format: vscode.CompletionItemKind.Function,
  node: vscode.CompletionItemKind.Reference,
  header: vscode.CompletionItemKind.Property,
  assertion: vscode.CompletionItemKind.Keyword,
};

/** Pubkeys of known senders, file variables, block names and fields, node names, headers and assertions. */
export class RequestCompletion implements vscode.CompletionItemProvider {
  constructor(
    private readonly session: RequestSession,
    private readonly subscriptions: NodeSubscriptions,
  ) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const line = document.lineAt(position.line).text;
    const candidates = completeAt(this.session.file(document), line, position, {
      knownSenders: knownSenders(this.subscriptions, MAX_PUBKEY_CANDIDATES),
      nodeNames: this.subscriptions.nodeNames(),
    });
    return candidates.map((candidate) => {
      const item = new vscode.CompletionItem(candidate.label, KINDS[candidate.kind]);
      item.insertText = candidate.insertText;
      item.range = new vscode.Range(position.line, Math.min(candidate.replaceFrom, position.character), position.line, position.character);
      if (candidate.detail !== undefined) {
        // A detail is plain text; a variable's value and a block's title are the file's own.
        item.detail = candidate.detail;
      }
      return item;
    });
  }
}
