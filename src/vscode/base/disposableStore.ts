import * as vscode from 'vscode';

/**
 * A base for services that own disposables (as in vscode-pull-request-github). Not `Disposable`:
 * that is the interface of `core/emitter.ts`.
 */
export abstract class DisposableStore implements vscode.Disposable {
  private disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected register<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposed) {
      disposable.dispose();
    } else {
      this.disposables.push(disposable);
    }
    return disposable;
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    for (const disposable of this.disposables.reverse()) {
      disposable.dispose();
    }
    this.disposables = [];
  }
}
