import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): { apiVersion: 1 } {
  context.subscriptions.push(vscode.commands.registerCommand('impervious.showLog', () => undefined));
  return { apiVersion: 1 };
}

export function deactivate(): void {}
