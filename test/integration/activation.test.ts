import * as assert from 'assert';
import * as vscode from 'vscode';

const extensionId = 'imp-tools.impervious-events';

describe('activation', () => {
  it('runs inside a real VS Code', () => {
    assert.strictEqual(typeof vscode.version, 'string');
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('activates the installed extension and exports API version 1', async () => {
    const extension = vscode.extensions.getExtension<{ apiVersion: number }>(extensionId);
    assert.ok(extension, `${extensionId} is not installed in this VS Code`);
    const api = await extension.activate();
    assert.strictEqual(extension.isActive, true);
    assert.strictEqual(api.apiVersion, 1);
  });
});
