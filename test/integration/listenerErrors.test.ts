import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, type ExtensionExports } from './harness';

// Root hooks: every integration test fails if a listener of the extension's core events threw
// while it ran (the extension logs and counts them; a test must not pass over a swallowed one).
let before = 0;

function listenerErrors(): number {
  const extension = vscode.extensions.getExtension<ExtensionExports>(EXTENSION_ID);
  return extension?.isActive ? extension.exports.internals.subscriptions.listenerErrors : 0;
}

beforeEach(() => {
  before = listenerErrors();
});

afterEach(() => {
  assert.strictEqual(listenerErrors() - before, 0, 'listeners of the extension threw during the test (see the Impervious output channel)');
});
