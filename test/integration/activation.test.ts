import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, waitUntil } from './harness';

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

  // The first suite of the launch (mocha runs the files in name order): nothing has opened a
  // request file, run a request command or shown the Testing view yet.
  it('loads request files (dist/requests.js) when one first opens, not at activation; it then has its problems and CodeLenses', async () => {
    const api = await activateExtension();
    const requestsBundle = () => Object.keys(require.cache).filter((file) => /[\\/]dist[\\/]requests\.js$/.test(file));
    assert.strictEqual(api.internals.requests.files, undefined, 'activation loaded the request files');
    assert.deepStrictEqual(requestsBundle(), []);
    const peer = '02' + '5c'.repeat(32);
    const document = await vscode.workspace.openTextDocument({
      language: 'impervious',
      content: [`@peer = ${peer}`, '### ping', '# @name ping', 'SEND {{peer}}', '', 'ping', '', '> expect reply within 1s', '> expect nonsense', ''].join('\n'),
    });
    await vscode.window.showTextDocument(document);
    try {
      await waitUntil(() => vscode.languages.getDiagnostics(document.uri).some((diagnostic) => /nonsense/.test(diagnostic.message)), 'the opened file to be checked');
      assert.ok(api.internals.requests.files, 'opening a request file loaded them');
      assert.strictEqual(requestsBundle().length, 1, 'from dist/requests.js');
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      assert.deepStrictEqual(
        lenses.map((lens) => `${lens.range.start.line}:${lens.command?.title}`),
        ['1:$(play) Send', '1:$(beaker) Send and Check'],
      );
    } finally {
      // An untitled file with text is dirty: closing all editors would ask to save it.
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
