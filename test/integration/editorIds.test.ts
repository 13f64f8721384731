import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { isMessage } from '../../src/core/messages/messageTree';
import type { SimulatedMessage } from '../../src/core/simulator/simulatedMessage';
import type { SimulatedNode } from '../../src/core/simulator/simulatedNode';
import { heldIdAtCursor, idAtEditorCursor } from '../../src/vscode/messageIds/cursorIds';
import { HOVER_COMMANDS, IdHoverProvider } from '../../src/vscode/messageIds/idHover';
import type { IdTerminalLink } from '../../src/vscode/messageIds/idTerminalLinks';
import { LINK_WATCH_TIMEOUT_MS, LINK_WATCHES_PER_MINUTE } from '../../src/core/ids/linkWatches';
import type { DeepLinkOutcome } from '../../src/core/ids/deepLinks';
import { activateExtension, answerSends, connectToSimulator, setNodes, TEST_NODE, waitUntil, type ExtensionExports } from './harness';

const PEER = '03' + 'ab'.repeat(32);
const AUTHORITY = 'imp-tools.impervious-events';

/** Every `command:` link in hover Markdown: the command and its decoded arguments. */
function commandLinks(markdown: string): { command: string; args: unknown }[] {
  return [...markdown.matchAll(/\]\(command:([^?)]+)\?([^)]*)\)/g)].map((match) => ({
    command: match[1] as string,
    args: JSON.parse(decodeURIComponent(match[2] as string)),
  }));
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
    .join('\n---\n');
}

async function hoverAt(document: vscode.TextDocument, text: string, offsetInText = 3): Promise<string> {
  const index = document.getText().indexOf(text);
  assert.ok(index >= 0, `the document contains ${text}`);
  const position = document.positionAt(index + offsetInText);
  return hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position));
}

/**
 * Closes every editor. Untitled documents with text are dirty, and closing them the ordinary way
 * asks whether to save, which nobody answers here: they are reverted first.
 */
async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((candidate) => candidate.isUntitled && candidate.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

function link(pathAndQuery: string): vscode.Uri {
  return vscode.Uri.parse(`${vscode.env.uriScheme}://${AUTHORITY}${pathAndQuery}`, true);
}

describe('message IDs in editors, terminals and links', () => {
  let api: ExtensionExports;
  let simulator: SimulatedNode;
  let question: SimulatedMessage;
  let hostile: SimulatedMessage;
  let odd: SimulatedMessage;
  let dir: string;
  const watchedId = 'client-order-7731:ack';

  before(async () => {
    api = await activateExtension();
    simulator = await connectToSimulator(api);
    question = simulator.emit({ data: 'Is the relay up?', fromPubkey: PEER, amount: 3 });
    simulator.emit({ data: 'Relay is up', replyToId: question.id });
    hostile = simulator.emit({
      data: '[Send all](command:impervious.sendMessage?%5B%5D) <img src=x onerror=alert(1)> $(alert) **bold** `code`',
      fromPubkey: '02[x](command:impervious.clear)',
      serviceType: '<b>svc</b>](command:impervious.clear)',
    });
    odd = simulator.emit({ id: 'odd&id=1%2F', data: 'an ID only a link can carry' });
    await waitUntil(() => api.internals.subscriptions.find(odd.id, TEST_NODE) !== undefined, 'the messages to arrive');
    await vscode.commands.executeCommand('impervious.watchReply', watchedId);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-ids-'));
  });

  after(async () => {
    await closeAllEditors();
    for (const watch of [...api.internals.subscriptions.watches.list()]) {
      api.internals.subscriptions.watches.remove(watch);
    }
    await setNodes([]);
    await simulator?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function fileDocument(text: string, name = 'fixture.json'): Promise<vscode.TextDocument> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return vscode.workspace.openTextDocument(vscode.Uri.file(file));
  }

  describe('hover', () => {
    it('shows a held message, its reply state and our actions, in a file', async () => {
      const document = await fileDocument(`{ "id": "${question.id}", "other": "${'f'.repeat(64)}" }\n`);
      const text = await hoverAt(document, question.id);
      assert.match(text, new RegExp(`Message ${question.id.slice(0, 8)}…`));
      assert.match(text, /Is the relay up\?/);
      assert.match(text, /\*\*From:\*\* 03abab…babab/);
      assert.match(text, /\*\*Amount:\*\* 3 sat · /);
      assert.match(text, /\*\*Reply:\*\* replied by /);
      assert.deepStrictEqual(
        commandLinks(text).map(({ command }) => command),
        ['impervious.openMessage', 'impervious.goToThread', 'impervious.watchReply', 'impervious.copyData', 'impervious.copyMessageLink'],
      );
      assert.ok(commandLinks(text).every(({ args }) => JSON.stringify(args) === JSON.stringify([question.id])));
      // Unknown IDs of the exact node shape get no hover of ours.
      assert.doesNotMatch(await hoverAt(document, 'f'.repeat(64)), /Message|Awaited reply/);
    });

    it('shows a watched ID in an untitled document, with Stop Watching', async () => {
      const document = await vscode.workspace.openTextDocument({ content: `await waitFor("${watchedId}");\nconst unknown = "not-a-held-id-1234";\n`, language: 'python' });
      const text = await hoverAt(document, watchedId);
      assert.match(text, /Awaited reply to client\\-o…/);
      assert.match(text, /\*\*Reply:\*\* waiting \d/);
      assert.deepStrictEqual(commandLinks(text), [{ command: 'impervious.unwatch', args: [watchedId] }]);
      assert.doesNotMatch(await hoverAt(document, 'not-a-held-id-1234'), /Message|Awaited reply/);
      // The quote before the ID is not the ID.
      assert.doesNotMatch(await hoverAt(document, `"${watchedId}`, 0), /Message|Awaited reply/);
    });

    it('escapes every byte of peer text and trusts only our own commands', async () => {
      const document = await vscode.workspace.openTextDocument({ content: `log: ${hostile.id}\n`, language: 'plaintext' });
      const text = await hoverAt(document, hostile.id);
      assert.match(text, /Message /);
      assert.ok(commandLinks(text).every(({ command }) => (HOVER_COMMANDS as readonly string[]).includes(command)));
      assert.ok(commandLinks(text).every(({ args }) => JSON.stringify(args) === JSON.stringify([hostile.id])));
      // Every "](" of the peer's text is broken by an escape; only our links remain links.
      assert.strictEqual([...text.matchAll(/(?<!\\)\]\(/g)].length, commandLinks(text).length);
      assert.doesNotMatch(text, /(?<!\\)<img|(?<!\\)<b>|(?<!\\)\$\(alert|(?<!\\)\*\*bold|(?<!\\)`code/);
      const provided = new IdHoverProvider(api.internals.subscriptions, api.internals.editorIds.ids).provideHover(document, document.positionAt(8));
      const markdown = provided?.contents[0] as vscode.MarkdownString;
      assert.deepStrictEqual(markdown.isTrusted, { enabledCommands: HOVER_COMMANDS });
      assert.strictEqual(markdown.supportHtml, false);
    });

    it('costs little on a 10,000-line document (the figures are in this title, not asserted)', async function () {
      this.timeout(120_000);
      const held = api.messages(TEST_NODE).map((message) => message.id).filter((id) => /^[0-9a-f]{64}$/.test(id));
      const lines = Array.from({ length: 10_000 }, (_, index) =>
        index % 50 === 0 ? `  { "id": "${held[index % held.length]}", "n": ${index} },` : `  { "id": "${index.toString(16).padStart(64, '0')}", "note": "line ${index} of the fixture" },`,
      );
      const document = await vscode.workspace.openTextDocument({ content: `[\n${lines.join('\n')}\n]\n`, language: 'json' });
      const positions = Array.from({ length: 1000 }, (_, index) => new vscode.Position(1 + ((index * 37) % 10_000), 14));
      const provider = new IdHoverProvider(api.internals.subscriptions, api.internals.editorIds.ids);
      const empty: vscode.HoverProvider = { provideHover: () => undefined };
      const time = (hover: (position: vscode.Position) => unknown): number => {
        const started = performance.now();
        positions.forEach(hover);
        return (performance.now() - started) / positions.length;
      };
      const noToken = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) } as vscode.CancellationToken;
      let hovered = 0;
      for (const position of positions) {
        hovered += provider.provideHover(document, position) ? 1 : 0;
      }
      assert.strictEqual(hovered, 20, 'every 50th line holds a held ID');
      const ours = Math.min(...[0, 1, 2].map(() => time((position) => provider.provideHover(document, position))));
      const baseline = Math.min(...[0, 1, 2].map(() => time((position) => empty.provideHover(document, position, noToken))));
      // The floor of any hover: a round trip through VS Code's hover request, every provider included.
      const started = performance.now();
      for (const position of positions.slice(0, 200)) {
        await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, position);
      }
      const roundTrip = (performance.now() - started) / 200;
      const figures =
        `per call, ours ${(ours * 1000).toFixed(2)} µs, an empty provider ${(baseline * 1000).toFixed(2)} µs (ratio ${(ours / baseline).toFixed(1)}); ` +
        `a hover request's round trip through VS Code ${(roundTrip * 1000).toFixed(0)} µs (${(roundTrip / ours).toFixed(0)} times ours)`;
      // The harness reports titles, not the extension host's console: the figures go in the title.
      this.test!.title += `: ${figures}`;
      await closeAllEditors();
    });

    it('gives no hover, terminal link or context entry on a plain word a peer used as a message ID', async () => {
      const claimed = ['localhost', 'undefined', 'constructor', '__proto__'];
      for (const id of claimed) {
        simulator.emit({ id, data: `this peer claims "${id}"` });
      }
      const realistic = simulator.emit({ data: 'a message with a node-made ID' });
      await waitUntil(() => [...claimed, realistic.id].every((id) => api.internals.subscriptions.find(id, TEST_NODE) !== undefined), 'the claiming messages to be held');
      // A file, not an untitled document: the previous test just closed an untitled one, whose name
      // a new untitled document could take while the old one is still being closed.
      const document = await fileDocument(`connect to localhost now\nif (x === undefined) { new constructor(); x["__proto__"] = y; }\nsee ${realistic.id}\n`, 'claims.txt');
      for (const word of claimed) {
        assert.doesNotMatch(await hoverAt(document, word, 2), /Message|Awaited reply/, word);
      }
      assert.match(await hoverAt(document, realistic.id), new RegExp(`Message ${realistic.id.slice(0, 8)}…`), 'a realistic ID still hovers');

      const terminal = {} as vscode.Terminal;
      const links = api.internals.editorIds.terminalLinks.provideTerminalLinks({ line: `connect to localhost now; undefined constructor ${realistic.id}`, terminal }) as IdTerminalLink[];
      assert.deepStrictEqual(links.map((found) => found.messageId), [realistic.id]);

      // The editor's context keys ("Open Message", "Watch for Reply") follow these two.
      const editor = await vscode.window.showTextDocument(document);
      const ids = api.internals.editorIds.ids;
      const localhost = document.positionAt(document.getText().indexOf('localhost') + 3);
      editor.selection = new vscode.Selection(localhost, localhost);
      assert.strictEqual(idAtEditorCursor(editor), undefined);
      assert.strictEqual(heldIdAtCursor(ids, editor), undefined);
      const start = document.positionAt(document.getText().indexOf('localhost'));
      editor.selection = new vscode.Selection(start, start.translate(0, 'localhost'.length));
      assert.strictEqual(heldIdAtCursor(ids, editor), undefined, 'a selected word is no held ID either');
      const inRealistic = document.positionAt(document.getText().indexOf(realistic.id) + 5);
      editor.selection = new vscode.Selection(inRealistic, inRealistic);
      assert.strictEqual(heldIdAtCursor(ids, editor), realistic.id);
    });
  });

  describe('the ID at the cursor', () => {
    it('watchReply with no argument takes the ID under the cursor, then the selection', async () => {
      const id = 'cursor-watch-42:a';
      const document = await vscode.workspace.openTextDocument({ content: `curl … → {"id":"${id}"}\nconstructor\n`, language: 'shellscript' });
      const editor = await vscode.window.showTextDocument(document);
      const at = document.positionAt(document.getText().indexOf(id) + 4);
      editor.selection = new vscode.Selection(at, at);
      const watch = await vscode.commands.executeCommand<{ messageId: string }>('impervious.watchReply');
      assert.strictEqual(watch?.messageId, id);
      const selected = document.getText().indexOf('cursor-watch');
      editor.selection = new vscode.Selection(document.positionAt(selected), document.positionAt(selected + 'cursor-watch'.length));
      assert.strictEqual((await vscode.commands.executeCommand<{ messageId: string }>('impervious.watchReply'))?.messageId, 'cursor-watch');
      await vscode.commands.executeCommand('impervious.unwatch', id);
      await vscode.commands.executeCommand('impervious.unwatch', 'cursor-watch');
    });

    it('openMessage from the editor context menu (the document URI as argument) opens the message at the cursor', async () => {
      const document = await vscode.workspace.openTextDocument({ content: `reply to ${question.id} later\n`, language: 'markdown' });
      const editor = await vscode.window.showTextDocument(document);
      const at = document.positionAt(document.getText().indexOf(question.id) + 10);
      editor.selection = new vscode.Selection(at, at);
      const opened = await vscode.commands.executeCommand<vscode.TextEditor>('impervious.openMessage', document.uri);
      assert.strictEqual(JSON.parse(opened!.document.getText()).id, question.id);
    });
  });

  describe('terminal links', () => {
    it('links held, watched and node-shaped IDs only, and stays bounded on hostile lines', async () => {
      const provider = api.internals.editorIds.terminalLinks;
      const terminal = {} as vscode.Terminal;
      const unknownNodeId = '9'.repeat(64);
      const uuid = '123e4567-e89b-12d3-a456-426614174000';
      const pubkey = '02' + 'cd'.repeat(32);
      const line = `{"id":"${question.id}"} ${watchedId} ${unknownNodeId} ${uuid} ${pubkey} constructor deadbeefcafe ${'e'.repeat(40)}`;
      const links = provider.provideTerminalLinks({ line, terminal }) as IdTerminalLink[];
      assert.deepStrictEqual(links.map((found) => found.messageId), [question.id, watchedId, unknownNodeId, uuid]);
      assert.ok(links.every((found) => line.slice(found.startIndex, found.startIndex + found.length) === found.messageId));
      assert.deepStrictEqual(links.map((found) => found.tooltip), ['Open Message', 'Watch for Reply', 'Watch for Reply', 'Watch for Reply']);
      assert.deepStrictEqual(provider.provideTerminalLinks({ line: 'a'.repeat(200_000), terminal }), []);
      assert.strictEqual((provider.provideTerminalLinks({ line: `${unknownNodeId} `.repeat(5000), terminal }) as IdTerminalLink[]).length, 20);
      await provider.handleTerminalLink(links[0]!);
      await waitUntil(() => JSON.parse(vscode.window.activeTextEditor?.document.getText() ?? '{}').id === question.id, 'the held message to open');
    });
  });

  describe('links into VS Code', function () {
    this.timeout(60_000);
    const handler = () => api.internals.editorIds.deepLinks;

    const links = () => api.internals.testProbe.links;

    async function follow(uri: vscode.Uri): Promise<DeepLinkOutcome> {
      const before = links().length;
      await vscode.commands.executeCommand('vscode.open', uri);
      await waitUntil(() => links().length > before, `the URI handler to take ${uri.toString(true)}`);
      return links()[links().length - 1]!;
    }

    /** The ID of the message selected in the Messages view (its items are elements, not messages). */
    function selectedId(): string | undefined {
      const view = api.internals.messagesView;
      const selected = view.treeView.selection[0];
      return selected && isMessage(selected) ? view.model.message(selected)?.id : undefined;
    }

    it('opens a held message and reveals it, with or without its node', async () => {
      for (const query of [`?id=${question.id}`, `?id=${question.id}&node=${encodeURIComponent(TEST_NODE)}`]) {
        await closeAllEditors();
        assert.deepStrictEqual(await follow(link(`/message${query}`)), { opened: question.id });
        assert.strictEqual(JSON.parse(vscode.window.activeTextEditor!.document.getText()).id, question.id);
        await waitUntil(() => selectedId() === question.id, 'the message to be selected in the view');
      }
    });

    it('watches an ID, on a node or any', async () => {
      const outcome = await follow(link(`/watch?id=linked-watch-1&node=${encodeURIComponent(TEST_NODE)}`));
      assert.ok('watching' in outcome);
      assert.deepStrictEqual([outcome.watching.messageId, outcome.watching.node, outcome.watching.state], ['linked-watch-1', TEST_NODE, 'waiting']);
      await vscode.commands.executeCommand('impervious.unwatch', 'linked-watch-1');
    });

    it('copyMessageLink round-trips through the handler, even for an ID with &, = and %', async () => {
      for (const message of [question, odd]) {
        const copied = await vscode.commands.executeCommand<string>('impervious.copyMessageLink', message.id);
        assert.strictEqual(await vscode.env.clipboard.readText(), copied);
        assert.ok(copied!.startsWith(`${vscode.env.uriScheme}://${AUTHORITY}/message?id=`), copied);
        assert.deepStrictEqual(await follow(vscode.Uri.parse(copied!)), { opened: message.id });
      }
    });

    it('refuses malformed links, unknown nodes and IDs not held, and does nothing else', async () => {
      await closeAllEditors();
      const watches = api.internals.subscriptions.watches.list().length;
      const requests = simulator.stats.restRequests;
      const refused: [string, RegExp][] = [
        ['/send?id=abc12345', /goes nowhere/],
        ['/message', /names no message/],
        [`/message?id=${question.id}&data=aGk%3D`, /never carries/],
        [`/watch?id=${question.id}&pubkey=${PEER}`, /never carries/],
        ['/message?id=%E0%A4%A', /malformed/],
        [`/message?id=${question.id}&id=x`, /twice/],
        [`/message?id=${'x'.repeat(2000)}`, /longer than/],
        [`/message?id=${question.id}&node=Elsewhere`, /not configured/],
        [`/watch?id=abc12345&node=Elsewhere`, /not configured/],
        ['/message?id=never-held-0001', /Message never-he… is not held/],
        ['/message?id=%3Cb%3Enever%3C%2Fb%3E', /the linked ID is not held/],
      ];
      for (const [pathAndQuery, expected] of refused) {
        const outcome = await follow(link(pathAndQuery));
        assert.ok('refused' in outcome, `${pathAndQuery} is refused`);
        assert.match(outcome.refused, expected, pathAndQuery);
        assert.ok(api.internals.testProbe.notifications.includes(outcome.refused), 'the user is told');
      }
      assert.strictEqual(vscode.window.activeTextEditor, undefined, 'nothing was opened');
      assert.strictEqual(api.internals.subscriptions.watches.list().length, watches, 'nothing was watched');
      assert.strictEqual(simulator.stats.restRequests, requests, 'nothing was sent');
    });

    it('adds at most 3 watches a minute from links, each with a timeout, refuses the rest with one message, and throws nothing', async () => {
      const allowed = handler().linkWatches.remaining();
      assert.ok(allowed >= 1 && allowed <= LINK_WATCHES_PER_MINUTE, `${allowed} link watches left this minute`);
      const notifiedBefore = api.internals.testProbe.notifications.length;
      const followedBefore = links().length;
      const ids = Array.from({ length: 12 }, (_, index) => `page-made-watch-${index}`);
      // All at once, as a page that opens many links does.
      await Promise.all(ids.map((id) => vscode.commands.executeCommand('vscode.open', link(`/watch?id=${id}`))));
      await waitUntil(() => links().length >= followedBefore + ids.length, 'the URI handler to take every link');
      assert.strictEqual(links().length, followedBefore + ids.length);
      const made = api.internals.subscriptions.watches.list().filter((watch) => ids.includes(watch.messageId));
      try {
        assert.strictEqual(made.length, allowed, `watches made: ${made.map((watch) => watch.messageId).join(', ')}`);
        assert.strictEqual(handler().linkWatches.remaining(), 0);
        const settingSeconds = vscode.workspace.getConfiguration('impervious').get<number>('watchTimeoutSeconds') ?? 0;
        const timeoutMs = settingSeconds > 0 ? settingSeconds * 1000 : LINK_WATCH_TIMEOUT_MS;
        for (const watch of made) {
          assert.strictEqual(watch.state, 'waiting');
          assert.strictEqual(watch.deadline, watch.createdAt + timeoutMs, `${watch.messageId} times out`);
        }
        const told = api.internals.testProbe.notifications.slice(notifiedBefore).filter((text) => /link/i.test(text));
        assert.deepStrictEqual(told, [
          'Links asked to watch for more replies than the 3 a minute that links may add: this link is refused, and so is any other within the minute, without another message.',
        ]);
        const outcome = links()[links().length - 1];
        assert.ok(outcome && ('refused' in outcome || 'watching' in outcome), 'every link ended in an outcome, none in an error');
      } finally {
        made.forEach((watch) => api.internals.subscriptions.watches.remove(watch));
      }
    });
  });

  describe('reply latency', () => {
    it('shows "replied in N ms" after a send and its reply, and "N awaited" while it waits', async () => {
      const status = api.internals.editorIds.awaitedStatus;
      const before = api.internals.subscriptions.replyLatencies.summary(TEST_NODE)?.count ?? 0;
      // A send with arguments asks first; the user says Send.
      answerSends(api, () => true);
      let sentId: string;
      try {
        sentId = await vscode.commands.executeCommand<string>('impervious.sendMessage', { node: TEST_NODE, pubkey: PEER, text: 'ping', amount: 1 });
      } finally {
        answerSends(api, undefined);
      }
      const watch = api.internals.subscriptions.watches.list().find((candidate) => candidate.messageId === sentId)!;
      assert.strictEqual(typeof watch.sentAt, 'number', 'the watch knows when the send returned');
      if (watch.state === 'waiting') {
        assert.match(status.text ?? '', /^\$\(watch\) \d+ awaited$/);
      }
      await watch.promise;
      const item = api.internals.watchesView.getTreeItem(watch);
      assert.match(String(item.description), /^replied in [\d.]+ m?s by 03abab…babab: /);
      assert.match(String(item.tooltip), /\nreplied in [\d.]+ m?s by 03abab…babab$/);
      await waitUntil(() => api.internals.testProbe.notifications.some((line) => line.startsWith(`Reply to ${sentId!.slice(0, 8)}… from 03abab…babab, replied in `)), 'the notification');
      const document = await vscode.workspace.openTextDocument({ content: `sent ${sentId}\n`, language: 'plaintext' });
      assert.match(await hoverAt(document, sentId!), /\*\*Reply:\*\* replied in [\d\\.]+ m?s by 03abab…babab/);
      const summary = api.internals.subscriptions.replyLatencies.summary(TEST_NODE);
      assert.strictEqual(summary?.count, before + 1);
      assert.strictEqual(summary.max >= watch.settledAt! - watch.sentAt!, true);
      // The count follows the watches; with none waiting, the item is gone.
      await vscode.commands.executeCommand('impervious.unwatch', watchedId);
      const waiting = api.internals.subscriptions.watches.list().filter((candidate) => candidate.state === 'waiting').length;
      assert.strictEqual(status.text, waiting > 0 ? `$(watch) ${waiting} awaited` : undefined);
    });
  });
});
