import * as vscode from 'vscode';
import { minimumAmount } from '../../core/sending/amount';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import { requestDiagnostics } from '../../core/requests/diagnostics';
import type { ProblemSeverity, Range } from '../../core/requests/requestFile';
import { DisposableStore } from '../base/disposableStore';
import { REQUEST_LANGUAGE } from './requestLanguage';
import type { RequestSession } from './requestSession';

const SEVERITY: Record<ProblemSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

/** The Problems of every open request file, checked on each edit and when the configured nodes change. */
export class RequestDiagnostics extends DisposableStore {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection(REQUEST_LANGUAGE));

  constructor(
    private readonly session: RequestSession,
    private readonly subscriptions: NodeSubscriptions,
  ) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.check(document)));
    this.register(vscode.workspace.onDidChangeTextDocument((event) => this.check(event.document)));
    this.register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.collection.delete(document.uri);
        session.forget(document);
      }),
    );
    // A `Node:` header is judged against the configured nodes, which settings can change.
    this.register(subscriptions.onDidChangeStatus(() => this.checkAll()));
    this.checkAll();
  }

  private checkAll(): void {
    vscode.workspace.textDocuments.forEach((document) => this.check(document));
  }

  private check(document: vscode.TextDocument): void {
    if (document.languageId !== REQUEST_LANGUAGE) {
      return;
    }
    const problems = requestDiagnostics(this.session.file(document), { nodeNames: this.subscriptions.nodeNames(), minimumAmount });
    this.collection.set(
      document.uri,
      problems.map((problem) => {
        const diagnostic = new vscode.Diagnostic(toRange(problem.range), problem.message, SEVERITY[problem.severity]);
        diagnostic.source = 'impervious';
        return diagnostic;
      }),
    );
  }
}

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
