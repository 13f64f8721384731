import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/**
 * Gives `src/core` the bundle VS Code loaded for the display language. Core cannot import
 * `vscode`, so its sentences go through `@vscode/l10n`, whose `l10n.t` reads the same bundle
 * (`l10n/bundle.l10n.<language>.json`) and formats `{0}` the same way. In English there is no
 * bundle and every message is its own text.
 */
export function localizeCore(): void {
  if (vscode.l10n.bundle) {
    l10n.config({ contents: vscode.l10n.bundle });
  }
}
