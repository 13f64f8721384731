import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';

const extensionId = 'imp-tools.impervious-events';

// The extension declares extensionKind ["workspace"]: in a remote window (code-server here;
// Remote-SSH, dev containers and WSL elsewhere) it runs in the extension host on the workspace's
// machine, where the node usually is, not in the browser or on the user's laptop.
describe('where the extension runs', () => {
  it('runs as a workspace extension, in the Node extension host of the workspace side', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not installed in this VS Code`);
    await extension.activate();
    assert.strictEqual(extension.extensionKind, vscode.ExtensionKind.Workspace);
    // A Node.js extension host (not the browser's web worker one), on the machine that holds the
    // workspace: its files are plain files here.
    assert.strictEqual(typeof process.versions.node, 'string');
    assert.strictEqual(extension.extensionUri.scheme, 'file');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    assert.strictEqual(folder.uri.scheme, 'file');
    assert.ok(fs.statSync(folder.uri.fsPath).isDirectory(), `${folder.uri.fsPath} is a folder of this machine`);
    if (vscode.env.uiKind === vscode.UIKind.Web) {
      // code-server: the workbench is a remote window and this host is its remote side.
      assert.ok(vscode.env.remoteName, `remoteName: ${String(vscode.env.remoteName)}`);
    }
  });
});
