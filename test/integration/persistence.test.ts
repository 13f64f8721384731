import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, connectToSimulator, outputChannelLog, setNodes, text, waitUntil } from './harness';

/**
 * A node of its own: later suites shrink maxMessages and fill other nodes, and what this node
 * holds (three messages) must still be there after the restart.
 */
const NODE = 'Persisted node';

/** What the first launch leaves for the second to check, in the shared workspace folder. */
function probeFile(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return path.join(folder.uri.fsPath, '.persistence-probe.json');
}

interface Probe {
  readonly messageIds: string[];
  readonly waitingId: string;
  readonly answeredId: string;
  readonly replyId: string;
  /** A query watch left waiting, and one answered before the restart. */
  readonly waitingQuery: string;
  readonly answeredQuery: string;
}

describe('persistence @before-restart', () => {
  it('holds messages and watches, and writes them to storage', async () => {
    const api = await activateExtension();
    const simulator = await connectToSimulator(api, {}, NODE);
    try {
      const sent = [simulator.emit({ data: 'kept across a restart' }), simulator.emit({ data: 'me too' })];
      const answeredId = 'persist-answered-0001';
      const waitingId = 'persist-waiting-0001';
      await vscode.commands.executeCommand('impervious.watchReply', answeredId);
      await vscode.commands.executeCommand('impervious.watchReply', waitingId);
      const waitingQuery = 'type:persist-later';
      const answeredQuery = '"the awaited reply" is:reply';
      await vscode.commands.executeCommand('impervious.watchQuery', waitingQuery);
      await vscode.commands.executeCommand('impervious.watchQuery', answeredQuery);
      const reply = simulator.emit({ data: 'the awaited reply', replyToId: answeredId });
      await waitUntil(() => api.messages(NODE).some((m) => m.id === reply.id), 'the messages to arrive');
      const probe: Probe = { messageIds: sent.map((m) => m.id), waitingId, answeredId, replyId: reply.id, waitingQuery, answeredQuery };
      fs.writeFileSync(probeFile(), JSON.stringify(probe));
      // The journal is appended at most a second after a message; wait for it rather than force it.
      const journal = path.join(api.internals.storage.globalStorageUri.fsPath, 'messages.ndjson');
      await waitUntil(() => fs.existsSync(journal) && fs.readFileSync(journal, 'utf8').includes(reply.id), 'the journal to hold the reply', 5000);
    } finally {
      await simulator.close();
    }
  });
});

describe('persistence on damaged storage', () => {
  it('a damaged journal and watches file, there before VS Code started, are set aside and never block activation', async function () {
    const planted = process.env.IMPERVIOUS_TEST_DAMAGED;
    if (planted === undefined) {
      // Only the code-server harness plants them (desktop VS Code runs have no hook before start).
      assert.strictEqual(process.env.IMPERVIOUS_TEST_PHASE, undefined, 'the code-server harness plants damaged files before the first launch');
      this.skip();
    }
    const { journal, watches } = JSON.parse(planted) as { journal: string; watches: string };
    const api = await activateExtension();
    assert.strictEqual(journal, path.join(api.internals.storage.globalStorageUri.fsPath, 'messages.ndjson'), 'planted where the extension keeps its journal');
    for (const [file, start] of [
      [journal, '{"node":"Damaged","id":"torn-0001"'],
      [watches, '[{"messageId": "damaged-0001"'],
    ] as const) {
      const setAside = fs.readdirSync(path.dirname(file)).filter((name) => name.startsWith(`${path.basename(file)}.damaged-`));
      assert.strictEqual(setAside.length, 1, `${file} set aside once: ${fs.readdirSync(path.dirname(file)).join(', ')}`);
      assert.ok(fs.readFileSync(path.join(path.dirname(file), setAside[0]!), 'utf8').startsWith(start), 'the damaged file is kept whole beside');
      assert.ok(!fs.existsSync(file) || !fs.readFileSync(file, 'utf8').includes(start), `${file} no longer holds the damage`);
    }
    assert.ok(!api.messages().some((message) => message.node === 'Damaged'), 'nothing from the damaged journal is held');
    assert.ok(!api.internals.subscriptions.watches.list().some((watch) => watch.messageId === 'damaged-0001'), 'nothing from the damaged watches file is watched');
    // The output channel says what happened, with where each file went.
    const logText = () => outputChannelLog(api);
    await waitUntil(() => logText().includes(`The held-messages file was damaged; it was moved to ${journal}.damaged-`), 'the log line about the journal');
    assert.ok(logText().includes(`The watches file was damaged; it was moved to ${watches}.damaged-`), 'the log line about the watches file');
    // And the extension works: it connects, holds and persists what arrives.
    const simulator = await connectToSimulator(api, {}, 'After damage');
    try {
      const message = simulator.emit({ data: 'after the damage' });
      await waitUntil(() => api.messages('After damage').some((m) => m.id === message.id), 'a message after the damage');
      await waitUntil(() => fs.existsSync(journal) && fs.readFileSync(journal, 'utf8').includes(message.id), 'the new journal to hold it', 5000);
    } finally {
      await setNodes([]);
      await simulator.close();
    }
  });
});

describe('persistence @after-restart', () => {
  it('restores held messages and watches after VS Code restarts', async () => {
    const probe = JSON.parse(fs.readFileSync(probeFile(), 'utf8')) as Probe;
    const api = await activateExtension();
    try {
      const held = api.messages(NODE);
      for (const id of [...probe.messageIds, probe.replyId]) {
        assert.ok(held.some((message) => message.id === id), `message ${id} survived the restart`);
      }
      assert.strictEqual(text(held.find((message) => message.id === probe.messageIds[0])!.data), 'kept across a restart');
      const watches = api.internals.subscriptions.watches.list();
      const waiting = watches.find((watch) => watch.messageId === probe.waitingId);
      const answered = watches.find((watch) => watch.messageId === probe.answeredId);
      assert.strictEqual(waiting?.state, 'waiting');
      assert.strictEqual(answered?.state, 'answered');
      assert.strictEqual(answered?.reply?.id, probe.replyId);
      const waitingQuery = watches.find((watch) => watch.query?.text === probe.waitingQuery);
      const answeredQuery = watches.find((watch) => watch.query?.text === probe.answeredQuery);
      assert.strictEqual(waitingQuery?.state, 'waiting', 'a query watch waits again after the restart');
      assert.strictEqual(answeredQuery?.state, 'answered');
      assert.strictEqual(answeredQuery?.reply?.id, probe.replyId);
      // The restored message is a real one: the tree and the document show it.
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>('impervious.openMessage', probe.messageIds[0]);
      assert.strictEqual(JSON.parse(editor!.document.getText()).dataText, 'kept across a restart');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await setNodes([]);
      fs.rmSync(probeFile(), { force: true });
    }
  });
});
