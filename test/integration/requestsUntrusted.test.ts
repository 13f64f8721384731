import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, waitUntil } from './harness';

const PEER = '02' + '5c'.repeat(32);

// In restricted mode a request file is shown and checked, but nothing in it runs.
describe('request files in an untrusted workspace @untrusted', () => {
  // An untitled file with text is dirty: closing all editors would ask to save it.
  after(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  it('shows and checks a request file, and refuses to run it', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const api = await activateExtension();
    const document = await vscode.workspace.openTextDocument({
      language: 'impervious',
      content: [`@peer = ${PEER}`, '### ping', '# @name ping', 'SEND {{peer}}', '', 'ping', '', '> expect reply within 1s', '> expect nonsense', ''].join('\n'),
    });
    await vscode.window.showTextDocument(document);
    await waitUntil(() => vscode.languages.getDiagnostics(document.uri).some((d) => /nonsense/.test(d.message)), 'the file to be checked');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.ok(lenses.some((lens) => lens.command?.title === '$(beaker) Send and Check'), 'the lenses are shown');

    assert.strictEqual(await vscode.commands.executeCommand('impervious.runRequest', document.uri, 0), undefined);
    assert.strictEqual(await vscode.commands.executeCommand('impervious.runAllRequests', document.uri), undefined);
    assert.strictEqual(await vscode.commands.executeCommand('impervious.sendRequestBlock', document.uri, 0, true), undefined);
    const { session } = await api.internals.requests.loaded();
    assert.strictEqual(session.state(document.uri, 'ping'), undefined, 'no block started');
    assert.strictEqual(session.results.outcomes(document.uri.toString()).size, 0);
  });
});
