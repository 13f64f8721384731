import * as vscode from 'vscode';
import { notificationText } from '../../core/text/safeText';
import type { Probe } from './testProbe';

export type NotificationLevel = 'information' | 'warning' | 'error';

/**
 * The one way the extension shows a notification. Its text may carry peer or node text (a sender,
 * a preview, a node's error message), so all of it is made safe first: one line, bounded, and no
 * `[label](command:…)` or `[label](https:…)` that VS Code would render as a link.
 */
export class Notifier {
  constructor(private readonly probe: Probe) {}

  show<T extends string>(level: NotificationLevel, text: string, ...actions: T[]): Thenable<T | undefined> {
    const safe = notificationText(text);
    this.probe.notified(safe);
    switch (level) {
      case 'information':
        return vscode.window.showInformationMessage(safe, ...actions);
      case 'warning':
        return vscode.window.showWarningMessage(safe, ...actions);
      case 'error':
        return vscode.window.showErrorMessage(safe, ...actions);
    }
  }

  info<T extends string>(text: string, ...actions: T[]): Thenable<T | undefined> {
    return this.show('information', text, ...actions);
  }

  warn<T extends string>(text: string, ...actions: T[]): Thenable<T | undefined> {
    return this.show('warning', text, ...actions);
  }

  error<T extends string>(text: string, ...actions: T[]): Thenable<T | undefined> {
    return this.show('error', text, ...actions);
  }
}
