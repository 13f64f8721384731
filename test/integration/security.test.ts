import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { startSimulatedNode } from '../../src/core/simulator/simulatedNode';
import { canSeeWorkbench, clearNotifications, notificationOnScreen, shownNotifications } from './workbench';
import { activateExtension, connectToSimulator, filesUnder, setNodes, TEST_NODE, waitUntil, type ExtensionExports } from './harness';

const API_KEY = 'imp-SECRET-key-5f3a9c1e77';
const PEER = '03' + '11'.repeat(32);

describe('security', () => {
  let api: ExtensionExports;

  before(async () => {
    api = await activateExtension();
  });

  afterEach(async () => {
    await setNodes([]);
  });

  it('keeps the API key out of every log, setting, error, stored and exported file, even after an auth failure', async () => {
    const simulator = await startSimulatedNode({ port: 0, apiKey: 'the-node-wants-another-key', authFailure: 'errorFrame' });
    const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-sec-'));
    try {
      await api.internals.apiKeys.set(TEST_NODE, API_KEY);
      await setNodes([{ name: TEST_NODE, url: simulator.subscribeUrl }]);
      const connection = () => api.internals.subscriptions.connection(TEST_NODE);
      await waitUntil(() => connection()?.status.authFailed === true, 'the auth failure');
      assert.match(connection()!.status.detail, /Authentication failed/);
      const error = await api.sendMessage({ node: TEST_NODE, pubkey: PEER, data: 'x' }).then(
        () => undefined,
        (failure: Error) => failure,
      );
      assert.ok(error, 'the node refused the key');
      api.internals.log.flush();
      const exported = path.join(exportDir, 'export.json');
      await vscode.commands.executeCommand('impervious.exportMessages', vscode.Uri.file(exported));

      // Everything the extension could have written: the session's logs (the output channel
      // included), the user data (settings, global and workspace storage), the export.
      const logsRoot = path.resolve(api.internals.storage.logUri.fsPath, '..', '..');
      const userData = path.resolve(api.internals.storage.globalStorageUri.fsPath, '..', '..', '..');
      const files = [...filesUnder(logsRoot), ...filesUnder(userData), exported];
      assert.ok(files.some((file) => /Impervious\.log$/.test(file)), `the output channel's log file is among the ${files.length} searched`);
      const leaks = files.filter((file) => {
        try {
          return fs.readFileSync(file).includes(API_KEY);
        } catch {
          return false;
        }
      });
      assert.deepStrictEqual(leaks, [], 'files holding the key');
      assert.doesNotMatch(String(error), new RegExp(API_KEY));
      assert.doesNotMatch(connection()!.status.detail, new RegExp(API_KEY));
      assert.strictEqual(JSON.stringify(vscode.workspace.getConfiguration('impervious')).includes(API_KEY), false);
      assert.strictEqual(await api.internals.apiKeys.get(TEST_NODE), API_KEY, 'the key itself is kept in SecretStorage');
    } finally {
      await api.internals.apiKeys.set(TEST_NODE, undefined);
      fs.rmSync(exportDir, { recursive: true, force: true });
      await simulator.close();
    }
  });

  it('connects with the key when the node wants it', async () => {
    const simulator = await startSimulatedNode({ port: 0, apiKey: API_KEY });
    try {
      await api.internals.apiKeys.set(TEST_NODE, API_KEY);
      await setNodes([{ name: TEST_NODE, url: simulator.subscribeUrl }]);
      await waitUntil(() => api.connectionState(TEST_NODE) === 'connected', 'the connection with the key');
      assert.match(await api.sendMessage({ node: TEST_NODE, pubkey: PEER, data: 'with a key' }), /^[0-9a-f]{64}$/);
    } finally {
      await api.internals.apiKeys.set(TEST_NODE, undefined);
      await simulator.close();
    }
  });

  it('ignores impervious.nodes from workspace settings (machine scope): a cloned repo cannot redirect the extension', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    // groupBy (window scope) is honoured from the workspace: it shows when VS Code has read the file.
    fs.writeFileSync(settingsFile, JSON.stringify({
      'impervious.nodes': [{ name: 'Evil', url: 'ws://127.0.0.1:9/v1/subscribe' }],
      'impervious.groupBy': 'serviceType',
    }));
    try {
      await waitUntil(() => api.internals.messagesView.model.groupBy === 'serviceType', 'VS Code to read the workspace settings');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(!api.internals.subscriptions.nodeNames().includes('Evil'), `nodes: ${api.internals.subscriptions.nodeNames().join(', ')}`);
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('impervious').get('nodes')).includes('Evil'));
    } finally {
      fs.rmSync(path.dirname(settingsFile), { recursive: true, force: true });
      await waitUntil(() => api.internals.messagesView.model.groupBy === 'thread', 'the workspace settings to go');
    }
  });

  it('warns once per node when TLS verification is off', async () => {
    await clearNotifications();
    const before = api.internals.testProbe.notifications.length;
    const node = { name: 'Insecure node', url: 'wss://127.0.0.1:9/v1/subscribe', rejectUnauthorized: false };
    await setNodes([node]);
    await waitUntil(() => api.internals.subscriptions.nodeNames().includes('Insecure node'), 'the node to be added');
    await setNodes([node, { name: TEST_NODE, url: 'ws://127.0.0.1:9/v1/subscribe' }]);
    await waitUntil(() => api.internals.subscriptions.nodeNames().includes(TEST_NODE), 'the second node');
    const warnings = api.internals.testProbe.notifications.slice(before).filter((line) => /TLS verification is off for Insecure node/.test(line));
    assert.strictEqual(warnings.length, 1);
    const warning = /^Impervious: TLS verification is off for Insecure node \(rejectUnauthorized: false\); its certificate is not checked\.$/;
    if (canSeeWorkbench) {
      await notificationOnScreen((line) => warning.test(line), 'the TLS warning');
      assert.strictEqual((await shownNotifications()).filter((notification) => warning.test(notification.text)).length, 1, 'one warning on screen');
    }
  });

  it('shows hostile peer text escaped: no link or command in labels, tooltips or documents', async () => {
    const simulator = await connectToSimulator(api);
    try {
      // 40,000 characters: the node's stream drops any line over 64 KiB (unit tests cover 100,000).
      const hostile = '[run](command:workbench.action.terminal.new) <b>bold</b> \u202Etxt.exe' + 'x'.repeat(40_000);
      const message = simulator.emit({ data: hostile });
      await waitUntil(() => api.messages(TEST_NODE).some((m) => m.id === message.id), 'the hostile message');
      const held = api.internals.subscriptions.find(message.id, TEST_NODE)!;
      const view = api.internals.messagesView;
      const element = view.model.element(held)!;
      const item = view.getTreeItem(element);
      assert.ok(String(item.label).length <= 80);
      assert.doesNotMatch(String(item.label), /\u202E/);
      const tooltip = view.resolveTreeItem(item, element).tooltip as vscode.MarkdownString;
      assert.strictEqual(tooltip.isTrusted, false);
      assert.doesNotMatch(tooltip.value, /\]\(command:/);
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>('impervious.openMessage', held);
      const document = JSON.parse(editor!.document.getText());
      assert.doesNotMatch(document.dataText, /\u202E/);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      await simulator.close();
    }
  });
});
