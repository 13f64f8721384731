import * as vscode from 'vscode';
import { hoverAt, referenceAt } from '../../core/requests/hover';
import { ContextKey } from '../contributionIds';
import { walkthroughEvent } from '../base/walkthroughEvents';
import { toRange } from './requestDiagnostics';
import type { RequestSession } from './requestSession';

/** Hovering a `{{…}}` shows its value now (a block's ID, its reply's fields), or why it has none yet. */
export class RequestHover implements vscode.HoverProvider {
  constructor(private readonly session: RequestSession) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const file = this.session.file(document);
    const hover = hoverAt(file, position, { variables: file.variables, outcomes: this.session.results.outcomes(document.uri.toString()) });
    if (!hover) {
      return undefined;
    }
    const target = referenceAt(file, position)?.target;
    const isId = target?.kind === 'id' || (target?.kind === 'reply' && target.field === 'id');
    if (isId && hover.hasValue) {
      // The walkthrough's "hover an ID" step: done once an ID was seen, not on any hover.
      walkthroughEvent(ContextKey.RequestValueHovered);
    }
    // appendText escapes: a value from a reply never becomes Markdown, a link or a command.
    return new vscode.Hover(new vscode.MarkdownString().appendText(hover.text), toRange(hover.range));
  }
}
