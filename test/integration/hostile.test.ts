// Hostile peers and nodes against the installed extension: what each surface shows of their text,
// sends that arrive with arguments, and the simulated node's hostile mode, run in a process of its
// own (npm run sim -- --hostile) so that its cost is not counted in this extension host's figures.
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as vscode from 'vscode';
import type { MessageTreeElement } from '../../src/core/messages/messageTree';
import { FORGED_LOG_LINE, HOSTILE_COMMAND_LINK } from '../../src/core/simulator/hostileText';
import { HOSTILE_CHAIN_LENGTH, hostileRoundEnd } from '../../src/core/simulator/hostileTraffic';
import type { SimulatorFaults } from '../../src/core/simulator/faults';
import type { PendingSend } from '../../src/vscode/services/dialogs';
import { activateExtension, answerSends, connectToSimulator, setNodes, setSetting, TEST_NODE, waitUntil, type ExtensionExports } from './harness';

const PEER = '03' + '22'.repeat(32);
const HOSTILE_NODE = 'Hostile node';
/** The links VS Code's notification parser turns into anchors (its own regular expression). */
const VS_CODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
/** What the first launch leaves for the restart to check. */
const HOSTILE_PROBE = '.hostile-probe.json';

function probeFile(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return path.join(folder.uri.fsPath, HOSTILE_PROBE);
}

function notificationsSince(api: ExtensionExports, index: number): string[] {
  return api.internals.testProbe.notifications.slice(index);
}

function assertNoLink(texts: readonly string[]): void {
  for (const text of texts) {
    assert.doesNotMatch(text, VS_CODE_LINK, `a link in the notification "${text}"`);
  }
}

/** The output channel's log file of this session, once it holds `expected`. */
async function logFileWith(api: ExtensionExports, expected: string): Promise<string> {
  const logsRoot = path.resolve(api.internals.storage.logUri.fsPath, '..', '..');
  let text = '';
  await waitUntil(() => {
    api.internals.log.flush();
    const file = (fs.readdirSync(logsRoot, { recursive: true, encoding: 'utf8' }) as string[]).find((name) => /Impervious\.log$/.test(name));
    text = file ? fs.readFileSync(path.join(logsRoot, file), 'utf8') : '';
    return text.includes(expected);
  }, `the log file to show "${expected}"`);
  return text;
}

/** Every element of the Messages view, drawn as VS Code draws it (items and their tooltips). */
function drawAll(api: ExtensionExports, limit = 5000): number {
  const view = api.internals.messagesView;
  view.flush();
  const pending: (MessageTreeElement | undefined)[] = [undefined];
  let drawn = 0;
  while (pending.length > 0 && drawn < limit) {
    for (const child of view.getChildren(pending.pop())) {
      const item = view.resolveTreeItem(view.getTreeItem(child), child);
      assert.doesNotMatch(String(typeof item.label === 'object' ? item.label.label : item.label), /[\r\n\u2028\u2029\u202e]/);
      assert.doesNotMatch(String(item.description ?? ''), /[\r\n\u2028\u2029\u202e]/);
      if (item.tooltip instanceof vscode.MarkdownString) {
        assert.strictEqual(item.tooltip.isTrusted, false);
        assert.strictEqual(item.tooltip.supportHtml, false);
        assert.doesNotMatch(item.tooltip.value, /(?<!\\)\]\(/);
      }
      drawn++;
      pending.push(child);
    }
  }
  return drawn;
}

describe('hostile input', () => {
  let api: ExtensionExports;

  before(async () => {
    api = await activateExtension();
  });

  afterEach(async () => {
    answerSends(api, undefined);
    await setSetting('notifications', undefined);
    await setNodes([]);
  });

  it('shows a hostile sender, a hostile REST error and a hostile code-16 stream error without a link, and logs each on one line', async () => {
    const simulator = await connectToSimulator(api);
    try {
      const before = api.internals.testProbe.notifications.length;
      const watched = 'hostile-watched-0001';
      await vscode.commands.executeCommand('impervious.watchReply', watched);
      simulator.emit({ replyToId: watched, fromPubkey: `did:${HOSTILE_COMMAND_LINK}`, data: `pay now ${HOSTILE_COMMAND_LINK}\n${FORGED_LOG_LINE}` });
      await waitUntil(() => notificationsSince(api, before).some((text) => text.startsWith('Reply to')), 'the reply notification');

      const restError = `route failed: [Open Fix](command:impervious.sendMessage?%7B%7D)\n${FORGED_LOG_LINE}`;
      simulator.setFaults({ sendError: restError });
      answerSends(api, () => true);
      const sent = await vscode.commands.executeCommand<string | undefined>('impervious.sendMessage', { node: TEST_NODE, pubkey: PEER, text: 'x', amount: 1 });
      assert.strictEqual(sent, undefined, 'the node refused the send');
      await waitUntil(() => notificationsSince(api, before).some((text) => text.includes('route failed')), 'the REST error notification');

      simulator.sendError(16, `key expired: [Re-authenticate](command:workbench.action.terminal.new)\n${FORGED_LOG_LINE}`);
      await waitUntil(() => notificationsSince(api, before).some((text) => text.includes('key expired')), 'the auth error notification');

      const shown = notificationsSince(api, before);
      assert.ok(shown.some((text) => text.includes('[Fix Now]')), `the sender shows as text: ${shown.join(' | ')}`);
      assertNoLink(shown);
      for (const text of shown) {
        assert.doesNotMatch(text, /[\r\n]/);
      }
      const log = await logFileWith(api, 'key expired');
      assert.ok(log.includes('route failed'), 'the REST error is in the log');
      const forged = log.split('\n').filter((line) => line.startsWith(FORGED_LOG_LINE.slice(0, 26)));
      assert.deepStrictEqual(forged, [], 'no line of the log was forged by a newline in peer or node text');
      assert.match(log, /\\n\[2026-12-01 07:00:00\.000\]/, 'the newline shows as \\n');
    } finally {
      await vscode.commands.executeCommand('impervious.unwatch', 'hostile-watched-0001');
      await simulator.close();
    }
  });

  it('does not send on command arguments until the confirmation says Send, and shows pubkey, amount and text', async () => {
    const simulator = await connectToSimulator(api);
    try {
      const asked: PendingSend[] = [];
      let answer: (send: boolean) => void = () => undefined;
      answerSends(api, (send) => {
        asked.push(send);
        return new Promise<boolean>((resolve) => (answer = resolve));
      });
      const requests = simulator.stats.restRequests;
      const refused = vscode.commands.executeCommand<string | undefined>('impervious.sendMessage', { node: TEST_NODE, pubkey: PEER, text: 'spend it all', amount: 100_000 });
      await waitUntil(() => asked.length === 1, 'the confirmation');
      assert.deepStrictEqual({ pubkey: asked[0]?.pubkey, amount: asked[0]?.amount, text: asked[0]?.text, minimum: asked[0]?.minimum }, { pubkey: PEER, amount: 100_000, text: 'spend it all', minimum: 1n });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.strictEqual(simulator.stats.restRequests, requests, 'nothing was sent while the question was open');
      answer(false);
      assert.strictEqual(await refused, undefined);
      assert.strictEqual(simulator.stats.restRequests, requests, 'nothing was sent on "no"');

      const original = simulator.emit({ data: 'reply to me', fromPubkey: PEER });
      await waitUntil(() => api.internals.subscriptions.find(original.id, TEST_NODE) !== undefined, 'the message to reply to');
      const reply = vscode.commands.executeCommand<string | undefined>('impervious.reply', original.id, { text: 'ok', amount: 1 });
      await waitUntil(() => asked.length === 2, 'the confirmation of the reply');
      assert.deepStrictEqual([asked[1]?.pubkey, asked[1]?.replyToId], [PEER, original.id]);
      answer(true);
      assert.match((await reply) ?? '', /^[0-9a-f]{64}$/, 'sent once confirmed');
      assert.strictEqual(simulator.stats.restRequests, requests + 1);

      // The exported API stays prompt-free.
      assert.match(await api.sendMessage({ node: TEST_NODE, pubkey: PEER, data: 'from an extension' }), /^[0-9a-f]{64}$/);
      assert.strictEqual(asked.length, 2);
      const wrongType = await vscode.commands.executeCommand('impervious.sendMessage', { node: TEST_NODE, pubkey: PEER, text: 'x', amount: 'lots' });
      assert.strictEqual(wrongType, undefined, 'an amount of the wrong type sends nothing');
      assert.strictEqual(asked.length, 2, 'and asks nothing');
      assert.strictEqual(simulator.stats.restRequests, requests + 2, 'the reply and the API call only');
    } finally {
      await simulator.close();
    }
  });

  it('switches the in-editor simulated node into hostile mode from its fault menu', async () => {
    await vscode.commands.executeCommand('impervious.startSimulator');
    try {
      const faults = await vscode.commands.executeCommand<SimulatorFaults>('impervious.simulatorFaults', 'hostile');
      assert.strictEqual(faults?.hostile, true);
      await waitUntil(() => api.messages('Simulator').some((message) => message.id.startsWith('self-r1-')), 'the first hostile message', 15_000);
      const none = await vscode.commands.executeCommand<SimulatorFaults>('impervious.simulatorFaults', 'none');
      assert.strictEqual(none?.hostile, false);
    } finally {
      await vscode.commands.executeCommand('impervious.stopSimulator');
    }
  });

  it('stays responsive under the hostile mode of `npm run sim`, draws every view item, and keeps the log one line per event', async function () {
    this.timeout(120_000);
    await setSetting('notifications', 'all');
    const before = api.internals.testProbe.notifications.length;
    const sim = await startHostileSimulator();
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    try {
      await setNodes([{ name: HOSTILE_NODE, url: sim.url }]);
      await waitUntil(() => api.connectionState(HOSTILE_NODE) === 'connected', 'the connection to the hostile node', 20_000);
      histogram.enable();
      const started = Date.now();
      const errors: string[] = [];
      const subscription = api.internals.subscriptions.onDidReceiveError(({ node, event }) => node === HOSTILE_NODE && errors.push(event.message));
      const roundDone = (round: number) => api.messages(HOSTILE_NODE).some((message) => Buffer.from(message.data).toString() === hostileRoundEnd(round));
      try {
        await waitUntil(() => roundDone(2) && errors.length >= 2, 'two hostile rounds with their stream errors', 90_000);
      } finally {
        subscription.dispose();
        histogram.disable();
      }
      const durationMs = Date.now() - started;
      const held = api.messages(HOSTILE_NODE);
      const figures = {
        rounds: 2,
        durationMs,
        messagesHeld: held.length,
        eventLoopDelay: {
          p50Ms: histogram.percentile(50) / 1e6,
          p99Ms: histogram.percentile(99) / 1e6,
          maxMs: histogram.max / 1e6,
          meanMs: histogram.mean / 1e6,
          samples: histogram.count,
        },
      };
      writeFigures(figures);
      assert.ok(figures.eventLoopDelay.samples > 0, 'the event loop was measured');

      assert.ok(held.filter((message) => Buffer.from(message.data).toString().startsWith('chain link')).length >= HOSTILE_CHAIN_LENGTH, 'a round\'s chain is held');
      assert.match(errors[0] ?? '', /^route failed: \[Open Fix\]\(command:/, 'the hostile stream error arrived as the node sent it');
      assert.ok(drawAll(api) > 50, 'the Messages view draws the hostile messages');
      const shown = notificationsSince(api, before);
      assert.ok(shown.length > 0, 'the "all" mode notified');
      assertNoLink(shown);
      const log = await logFileWith(api, 'route failed');
      assert.deepStrictEqual(log.split('\n').filter((line) => line.startsWith(FORGED_LOG_LINE.slice(0, 26))), [], 'no forged log line');
      // The newest survive any later shrinking of maxMessages; their fields are the hostile ones.
      const newest = held.slice(-5).map(({ id, serviceType, fromPubkey }) => ({ id, serviceType, fromPubkey }));
      fs.writeFileSync(probeFile(), JSON.stringify({ newest }));
    } finally {
      await setNodes([]);
      await sim.stop();
    }
  });
});

describe('hostile input @after-restart', () => {
  it('activates cleanly after the hostile burst, with the hostile messages it held', async () => {
    const probe = JSON.parse(fs.readFileSync(probeFile(), 'utf8')) as { newest: { id: string; serviceType: string; fromPubkey: string }[] };
    try {
      const api = await activateExtension();
      assert.strictEqual(probe.newest.length, 5, 'the first launch held the hostile messages');
      assert.ok(probe.newest.some((fields) => /\n/.test(fields.serviceType)), 'among them a service type with a newline');
      for (const fields of probe.newest) {
        const restored = api.messages(HOSTILE_NODE).find((message) => message.id === fields.id && message.serviceType === fields.serviceType);
        assert.deepStrictEqual(restored && { id: restored.id, serviceType: restored.serviceType, fromPubkey: restored.fromPubkey }, fields, `the message ${JSON.stringify(fields.id)} came back as it was`);
      }
      assert.ok(drawAll(api) > 0, 'the Messages view draws what was restored');
    } finally {
      fs.rmSync(probeFile(), { force: true });
    }
  });
});

interface HostileSimulator {
  readonly url: string;
  stop(): Promise<void>;
}

/** `npm run sim -- --hostile` as compiled (out/scripts/sim.js), in a process of its own. */
async function startHostileSimulator(): Promise<HostileSimulator> {
  const script = path.resolve(__dirname, '..', '..', 'scripts', 'sim.js');
  const child: ChildProcess = spawn(process.execPath, [script, '--port', '0', '--rate', '0', '--hostile', '--hostile-interval', '100', '--stats-every', '0', '--seed', String(Date.now() % 100_000)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitUntil(() => /subscribe: (ws:\/\/\S+)/.test(output) || child.exitCode !== null, 'the hostile simulator to listen', 20_000);
  } catch (error) {
    child.kill();
    throw error;
  }
  const url = /subscribe: (ws:\/\/\S+)/.exec(output)?.[1];
  if (!url) {
    throw new Error(`the hostile simulator did not start:\n${output}`);
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** To test-results/hostile-figures.json (kept after the run, like the screenshots), and the extension host's output. */
function writeFigures(figures: object): void {
  const text = JSON.stringify(figures, null, 2);
  console.log(`hostile mode figures: ${text}`);
  const dir = path.resolve(__dirname, '..', '..', '..', 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'hostile-figures.json'), `${text}\n`);
}
