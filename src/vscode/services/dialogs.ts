import * as vscode from 'vscode';
import type { SpendQuestion } from '../../core/requests/spendGuard';

/** What a send started with arguments is about to do, as its question shows it. */
export interface PendingSend {
  readonly node: string;
  readonly pubkey: string;
  readonly text: string;
  readonly amount: number;
  /** The node's minimum for this text. */
  readonly minimum: bigint;
  readonly replyToId?: string;
}

/** What a modal question is about: a send started with arguments, or a run's spending. */
export type QuestionSubject = { readonly kind: 'send'; readonly send: PendingSend } | { readonly kind: 'spend'; readonly spend: SpendQuestion };

/** A modal question with one button that says yes; its text already made safe by the asker. */
export interface ModalQuestion {
  readonly about: QuestionSubject;
  readonly message: string;
  readonly detail: string;
  readonly button: string;
}

/**
 * Where the extension asks the user something and waits: modal questions, quick picks, input boxes
 * and the save dialog. Beside `Notifier`, which only tells. The window's own, unless a test
 * replaced some of them through `Internals.dialogs`.
 */
export interface Dialogs {
  /** Resolves `true` when the user chose the question's button. */
  confirm(question: ModalQuestion): Thenable<boolean>;
  readonly showQuickPick: typeof vscode.window.showQuickPick;
  readonly createQuickPick: typeof vscode.window.createQuickPick;
  readonly showInputBox: typeof vscode.window.showInputBox;
  readonly showSaveDialog: typeof vscode.window.showSaveDialog;
}

/**
 * VS Code's dialogs. The integration tests replace any of them in one place (`replaceWith`): a modal
 * cannot be answered from the extension host, so the test answers it, and sees what was asked.
 */
export class WindowDialogs implements Dialogs {
  private replacement: Partial<Dialogs> | undefined;

  /** Answers with `replacement` where it has a method, with the window elsewhere; `undefined` restores the window. */
  replaceWith(replacement: Partial<Dialogs> | undefined): void {
    this.replacement = replacement;
  }

  async confirm(question: ModalQuestion): Promise<boolean> {
    if (this.replacement?.confirm) {
      return (await this.replacement.confirm(question)) === true;
    }
    const choice = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, question.button);
    return choice === question.button;
  }

  // Overloaded in VS Code's typings: the arguments pass through as they came.
  readonly showQuickPick = ((...args: unknown[]) =>
    (this.replacement?.showQuickPick ?? vscode.window.showQuickPick)(...(args as [never]))) as typeof vscode.window.showQuickPick;

  readonly createQuickPick: typeof vscode.window.createQuickPick = () => (this.replacement?.createQuickPick ?? vscode.window.createQuickPick)();

  readonly showInputBox: typeof vscode.window.showInputBox = (...args) => (this.replacement?.showInputBox ?? vscode.window.showInputBox)(...args);

  readonly showSaveDialog: typeof vscode.window.showSaveDialog = (...args) => (this.replacement?.showSaveDialog ?? vscode.window.showSaveDialog)(...args);
}
