import * as vscode from 'vscode';
import { idAtCursor, MAX_ID_LENGTH } from '../../core/ids/messageIdTokens';
import { DisposableStore } from '../base/disposableStore';
import { ContextKey } from '../contributionIds';
import type { KnownIds } from './knownIds';

/**
 * The ID under the active editor's cursor, which a command may act on without asking: the
 * selection when there is one, else the token at the cursor when it is an ID by `isIdInText` (a
 * node's ID shape, or a letter and a digit), so "constructor" is not one, whatever a peer named its
 * messages. A selection of several lines or longer than an ID is no ID; it is not even read, so
 * selecting all of a large file costs nothing here.
 */
export function idAtEditorCursor(editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor): string | undefined {
  if (!editor) {
    return undefined;
  }
  const { selection, document } = editor;
  const active = selection.active;
  let selected = '';
  if (!selection.isEmpty) {
    if (selection.start.line !== selection.end.line || selection.end.character - selection.start.character > MAX_ID_LENGTH + 8) {
      return undefined;
    }
    selected = document.getText(selection);
  }
  return idAtCursor(document.lineAt(active.line).text, active.character, selected);
}

/** The cursor's ID when it is a held message's; `KnownIds` refuses a selection that is no ID. */
export function heldIdAtCursor(ids: KnownIds, editor?: vscode.TextEditor): string | undefined {
  const id = idAtEditorCursor(editor);
  return id !== undefined && ids.resolve(id)?.message ? id : undefined;
}

/**
 * Keeps two context keys for the editor context menu's when clauses: "Watch for Reply" shows on
 * an ID the command would watch without asking, "Open Message" only on a held one.
 */
export class EditorIdContext extends DisposableStore {
  private watchable = false;
  private held = false;

  constructor(private readonly ids: KnownIds) {
    super();
    this.register(vscode.window.onDidChangeTextEditorSelection(({ textEditor }) => this.update(textEditor)));
    this.register(vscode.window.onDidChangeActiveTextEditor((editor) => this.update(editor)));
    this.set(ContextKey.EditorIdWatchable, false);
    this.set(ContextKey.EditorIdHeld, false);
    this.update(vscode.window.activeTextEditor);
  }

  private update(editor: vscode.TextEditor | undefined): void {
    const watchable = editor !== undefined && idAtEditorCursor(editor) !== undefined;
    const held = editor !== undefined && heldIdAtCursor(this.ids, editor) !== undefined;
    if (watchable !== this.watchable) {
      this.watchable = watchable;
      this.set(ContextKey.EditorIdWatchable, watchable);
    }
    if (held !== this.held) {
      this.held = held;
      this.set(ContextKey.EditorIdHeld, held);
    }
  }

  private set(key: ContextKey, value: boolean): void {
    void vscode.commands.executeCommand('setContext', key, value);
  }
}
