import * as vscode from 'vscode';
import { formatDuration } from '../../core/text/duration';
import { previewData, shortId } from '../../core/text/messageText';
import { singleLine, truncate } from '../../core/text/safeText';
import { displayName } from '../../core/requests/requestFile';
import { DisposableStore } from '../base/disposableStore';
import { Ticker } from '../base/ticker';
import { REQUEST_LANGUAGE } from './requestLanguage';
import type { BlockRunState, RequestSession } from './requestSession';

/** Failure texts quote peer data; past this the line is cut (the Test Explorer has it all). */
const MAX_SHOWN_CHARS = 120;

export type RunLook = 'running' | 'passed' | 'failed';

/** The text after a SEND line, and how it looks: pure, so the integration tests read the same words. */
export function runStateText(state: BlockRunState, now: number): { readonly text: string; readonly look: RunLook } {
  const { progress, result, reply } = state;
  const id = progress.id || result?.id || '';
  if (!result) {
    switch (progress.kind) {
      case 'sent':
        return { text: vscode.l10n.t('sent {0}', shortId(id)), look: 'running' };
      case 'waiting':
        return { text: vscode.l10n.t('sent {0}, waiting {1} s', shortId(id), Math.floor(Math.max(0, now - state.startedAt) / 1000)), look: 'running' };
      case 'replied':
        return { text: repliedText(state), look: 'running' };
      case 'timedOut':
        return { text: vscode.l10n.t('timed out after {0}', formatDuration(progress.elapsedMs)), look: 'running' };
      case 'failed':
        return { text: shownLine(progress.detail ?? vscode.l10n.t('failed')), look: 'failed' };
    }
  }
  if (!result.passed) {
    // Without a reply every expectation fails alike: the timeout says it once.
    const text =
      !reply && progress.kind === 'timedOut' ? vscode.l10n.t('timed out after {0}', formatDuration(progress.elapsedMs)) : (result.failures[0] ?? vscode.l10n.t('failed'));
    return { text: `✗ ${shownLine(text)}`, look: 'failed' };
  }
  if (reply) {
    return { text: `✓ ${repliedText(state)}`, look: 'passed' };
  }
  if (progress.kind === 'timedOut') {
    return { text: `✓ ${vscode.l10n.t('no reply within {0}', formatDuration(progress.elapsedMs))}`, look: 'passed' };
  }
  return { text: `✓ ${vscode.l10n.t('sent {0}', shortId(id))}`, look: 'passed' };
}

function repliedText(state: BlockRunState): string {
  const latency = state.result?.latencyMs ?? state.progress.elapsedMs;
  const ms = Math.round(latency);
  return state.reply ? vscode.l10n.t('replied in {0} ms · {1}', ms, previewData(state.reply, 40)) : vscode.l10n.t('replied in {0} ms', ms);
}

function shownLine(text: string): string {
  return truncate(singleLine(text), MAX_SHOWN_CHARS);
}

const COLORS: Record<RunLook, vscode.ThemeColor> = {
  running: new vscode.ThemeColor('editorCodeLens.foreground'),
  passed: new vscode.ThemeColor('testing.iconPassed'),
  failed: new vscode.ThemeColor('testing.iconFailed'),
};

/** The live state of each block, after its SEND line, in every visible request file. */
export class RunDecorations extends DisposableStore {
  private readonly type = this.register(vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 2em', fontStyle: 'italic' } }));
  private readonly ticker = this.register(new Ticker(() => this.refresh()));

  constructor(private readonly session: RequestSession) {
    super();
    this.register(session.onDidChange(() => this.refresh()));
    this.register(vscode.window.onDidChangeVisibleTextEditors(() => this.refresh()));
    this.register(vscode.workspace.onDidChangeTextDocument((event) => event.document.languageId === REQUEST_LANGUAGE && this.refresh()));
  }

  /** The decoration texts of an editor now, by line (for the tests). */
  texts(editor: vscode.TextEditor): Map<number, string> {
    return new Map(this.decorations(editor).map((option) => [option.range.start.line, option.renderOptions?.after?.contentText ?? '']));
  }

  refresh(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.languageId === REQUEST_LANGUAGE) {
        editor.setDecorations(this.type, this.decorations(editor));
      }
    }
    this.ticker.set(this.session.hasWaitingBlocks());
  }

  private decorations(editor: vscode.TextEditor): vscode.DecorationOptions[] {
    const file = this.session.file(editor.document);
    const now = this.session.clock.now();
    const options: vscode.DecorationOptions[] = [];
    for (const block of file.blocks) {
      const state = block.sendRange ? this.session.state(editor.document.uri, displayName(block)) : undefined;
      if (!state || !block.sendRange) {
        continue;
      }
      const { text, look } = runStateText(state, now);
      const line = block.sendRange.start.line;
      const hover = new vscode.MarkdownString();
      // Plain text only: IDs and reply data come from peers.
      hover.appendText(hoverText(state));
      options.push({
        range: new vscode.Range(line, block.sendRange.end.character, line, block.sendRange.end.character),
        hoverMessage: hover,
        renderOptions: { after: { contentText: text, color: COLORS[look] } },
      });
    }
    return options;
  }
}

function hoverText(state: BlockRunState): string {
  const lines = [];
  const id = state.result?.id || state.progress.id;
  if (id) {
    lines.push(vscode.l10n.t('Sent: {0}', singleLine(id)));
  }
  const replyId = state.result?.replyId ?? state.reply?.id;
  if (replyId) {
    lines.push(vscode.l10n.t('Reply: {0}', singleLine(replyId)));
  }
  for (const failure of state.result?.failures ?? []) {
    lines.push(shownLine(failure));
  }
  return lines.join('\n');
}
