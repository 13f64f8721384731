import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID, waitUntil, type ExtensionExports } from './harness';

// Runs only in the harness's launch with workspace trust on, on a folder VS Code has never trusted
// (restricted mode), whose .vscode/settings.json the harness wrote before the launch
// (untrustedWorkspaceSettings in test/harness/integration.mjs): a node named Evil in
// impervious.nodes (machine scope, and restricted), and impervious.groupBy "sender" (window scope).
describe('untrusted workspace @untrusted', () => {
  const settingsFile = () => path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.vscode', 'settings.json');

  it('opens the workspace in restricted mode, with the hostile settings in it', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    assert.match(fs.readFileSync(settingsFile(), 'utf8'), /"Evil"/);
  });

  it('activates in restricted mode and exports the API', async () => {
    const extension = vscode.extensions.getExtension<ExtensionExports>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed and enabled in restricted mode`);
    await activateExtension();
    assert.strictEqual(extension.isActive, true);
    assert.strictEqual(extension.exports.apiVersion, 1);
  });

  it("ignores the workspace's impervious.nodes and applies its impervious.groupBy", async () => {
    const api = await activateExtension();
    const config = vscode.workspace.getConfiguration('impervious');
    // Read: the window-scoped setting from the same file is in effect.
    assert.strictEqual(config.get('groupBy'), 'sender');
    await waitUntil(() => api.internals.messagesView.model.groupBy === 'sender', 'the view to group by sender');
    // Ignored: the nodes are the user's (the default here), never the workspace's.
    const nodes = config.get<{ name: string }[]>('nodes') ?? [];
    assert.ok(!JSON.stringify(nodes).includes('Evil'), JSON.stringify(nodes));
    assert.strictEqual(config.inspect('nodes')?.workspaceValue, undefined);
    const expected = nodes.map((node) => node.name).sort().join(', ');
    // Activation applies the nodes asynchronously (the API keys come from SecretStorage first).
    await waitUntil(() => [...api.internals.subscriptions.nodeNames()].sort().join(', ') === expected, `the nodes ${expected}`);
    assert.ok(!api.internals.subscriptions.nodeNames().includes('Evil'), `nodes: ${api.internals.subscriptions.nodeNames().join(', ')}`);
  });

  it("ignores the workspace's maxMessages, maxMegabytes and notifications", async () => {
    const api = await activateExtension();
    const config = vscode.workspace.getConfiguration('impervious');
    assert.match(fs.readFileSync(settingsFile(), 'utf8'), /"impervious.maxMegabytes": 1/);
    for (const [name, value] of [['maxMessages', 5000], ['maxMegabytes', 32], ['notifications', 'watched']] as const) {
      assert.strictEqual(config.get(name), value, `impervious.${name} is the default`);
    }
    // What the extension applies, not only what VS Code reports: a new node's store has the default bounds.
    const store = api.internals.subscriptions.store('untrusted probe');
    assert.strictEqual(store.capacity, 5000);
    assert.strictEqual(store.byteBudget, 32 * 1024 * 1024);
  });

  it("ignores the workspace's impervious.spendLimitSats: a run's budget is the default 100 sats", async () => {
    const api = await activateExtension();
    assert.match(fs.readFileSync(settingsFile(), 'utf8'), /"impervious.spendLimitSats": 1000000/);
    assert.strictEqual(vscode.workspace.getConfiguration('impervious').get('spendLimitSats'), 100);
    assert.strictEqual((await api.internals.requests.loaded()).session.spendGuard().limit, 100n);
  });
});
