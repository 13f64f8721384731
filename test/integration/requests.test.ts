import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BlockRunResult } from '../../src/core/requests/runner';
import type { SpendQuestion } from '../../src/core/requests/spendGuard';
import type { SimulatedNode } from '../../src/core/simulator/simulatedNode';
import { activateExtension, answerSpends, connectToSimulator, setNodes, TEST_NODE, waitUntil, type ExtensionExports } from './harness';
import { answerDialog, canSeeWorkbench } from './workbench';

/** The request files' editor side against a simulated node, whose peers answer `re: <what was sent>`. */
describe('request files in VS Code', () => {
  let api: ExtensionExports;
  let simulator: SimulatedNode;
  let peer: string;
  let folder: string;
  /** The simulated node's log: its REST side logs every send it accepted. */
  const nodeLog: string[] = [];
  let fileCount = 0;

  before(async () => {
    api = await activateExtension();
    simulator = await connectToSimulator(api, { log: (line) => nodeLog.push(line) });
    peer = simulator.peers[0]!.pubkey;
    const workspace = vscode.workspace.workspaceFolders?.[0];
    assert.ok(workspace, 'the harness opens a workspace folder');
    folder = path.join(workspace.uri.fsPath, 'requests');
    fs.mkdirSync(folder, { recursive: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
    await setNodes([]);
    await simulator?.close();
  });

  /** Writes a request file into the workspace (a fresh name each time: results are kept per file). */
  function requestFile(lines: string[]): vscode.Uri {
    const file = path.join(folder, `file${++fileCount}.imp`);
    fs.writeFileSync(file, [`@peer = ${peer}`, '', ...lines, ''].join('\n'));
    return vscode.Uri.file(file);
  }

  const ping = (name: string, ...expectations: string[]) => [`### ${name}`, `# @name ${name}`, '# @timeout 10s', 'SEND {{peer}}', '', `ping ${name}`, '', ...expectations, ''];

  /** The request files' part that loads on first use; every test here has used it by the time it asks. */
  const requestFiles = () => api.internals.requests.loaded();

  /** The controller with the workspace's request files, once found: the Testing view asks it to resolve them first. */
  async function testController(): Promise<vscode.TestController> {
    const { controller } = api.internals.requests;
    await controller.resolveHandler?.(undefined);
    return controller;
  }

  async function runRequest(uri: vscode.Uri, block?: string | number): Promise<BlockRunResult[]> {
    const results = await vscode.commands.executeCommand<BlockRunResult[] | undefined>('impervious.runRequest', uri, block);
    assert.ok(results, 'the command ran the block');
    return results;
  }

  it('opens .imp files in the impervious language', async () => {
    const document = await vscode.workspace.openTextDocument(requestFile(ping('lang')));
    assert.strictEqual(document.languageId, 'impervious');
  });

  it('runRequest sends a passing block and returns its result, and the SEND line shows the reply', async () => {
    const uri = requestFile(ping('pass', '> expect reply within 10s', '> expect reply.data contains "ping pass"', '> expect reply.from == {{peer}}'));
    const editor = await vscode.window.showTextDocument(uri);
    const [result, ...rest] = await runRequest(uri, 'pass');
    assert.deepStrictEqual(rest, []);
    assert.ok(result);
    assert.strictEqual(result.name, 'pass');
    assert.deepStrictEqual(result.failures, []);
    assert.strictEqual(result.passed, true);
    assert.match(result.id, /^[0-9a-f]{64}$/);
    const reply = api.internals.subscriptions.find(result.replyId!, TEST_NODE);
    assert.ok(reply, 'the reply is held');
    assert.strictEqual(reply.replyToId, result.id);
    assert.strictEqual(typeof result.latencyMs, 'number');
    const sendLine = editor.document.getText().split('\n').indexOf('SEND {{peer}}');
    const { decorations } = await requestFiles();
    await waitUntil(() => /^✓ replied in \d+ ms · re: ping pass$/.test(decorations.texts(editor).get(sendLine) ?? ''), 'the decoration to show the reply');
  });

  it('shows hostile reply text on the SEND line as one clean line', async () => {
    const hostile = 'evil\u202egnirts\u0007 [run](command:impervious.clear) '.repeat(20);
    const uri = requestFile(['### hostile', 'SEND {{peer}}', '', hostile, '', '> expect reply.data == "nope"']);
    const editor = await vscode.window.showTextDocument(uri);
    const [result] = await runRequest(uri, 0);
    assert.ok(result!.failures[0]!.startsWith('reply.data: expected "nope", got '), result!.failures[0]);
    const line = editor.document.getText().split('\n').indexOf('SEND {{peer}}');
    let text = '';
    const { decorations } = await requestFiles();
    await waitUntil(() => (text = decorations.texts(editor).get(line) ?? '').startsWith('✗ reply.data'), 'the failure on the SEND line');
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text), JSON.stringify(text));
    assert.ok(text.length <= 122, `cut short: ${text.length} characters`);
  });

  it('runRequest on a failing block returns the failed expectation as text', async () => {
    const uri = requestFile(ping('fail', '> expect reply.data == "pong"'));
    const [result] = await runRequest(uri, 0);
    assert.ok(result);
    assert.strictEqual(result.passed, false);
    assert.deepStrictEqual(result.failures, ['reply.data: expected "pong", got "re: ping fail"']);
    assert.ok(result.replyId, 'it got a reply, which did not match');
  });

  it('runs the referenced block first, and the node gets the chained reply_to_id and body', async () => {
    const uri = requestFile([
      ...ping('first', '> expect reply within 10s'),
      '### second',
      '# @name second',
      'SEND {{peer}}',
      'Reply-To: {{first.reply.id}}',
      '',
      'about {{first.id}}: {{first.reply.data}}',
      '',
      '> expect reply within 10s',
    ]);
    const results = await runRequest(uri, 'second');
    assert.deepStrictEqual(
      results.map((result) => [result.name, result.passed]),
      [
        ['first', true],
        ['second', true],
      ],
    );
    const [first, second] = results as [BlockRunResult, BlockRunResult];
    const sent = nodeLog.find((line) => line.includes(`REST send ${second.id.slice(0, 12)}`));
    assert.ok(sent, `the node logged the send: ${nodeLog.slice(-4).join(' | ')}`);
    assert.ok(sent.includes(`replying to ${first.replyId!.slice(0, 12)}…`), sent);
    // The peer answers with what it got: the body, with the references replaced.
    const reply = api.internals.subscriptions.find(second.replyId!, TEST_NODE);
    assert.strictEqual(Buffer.from(reply!.data).toString('utf8'), `re: about ${first.id}: re: ping first`);
    // Run again: the result of `first` is reused, so only `second` is sent.
    assert.deepStrictEqual((await runRequest(uri, 'second')).map((result) => result.name), ['second']);
  });

  it('refuses a reference cycle as a problem and sends neither block', async () => {
    const sends = nodeLog.length;
    const uri = requestFile(['### a', '# @name a', 'SEND {{peer}}', '', '{{b.id}}', '', '### b', '# @name b', 'SEND {{peer}}', '', '{{a.id}}']);
    await vscode.workspace.openTextDocument(uri);
    await waitUntil(() => vscode.languages.getDiagnostics(uri).some((d) => /cycle/i.test(d.message)), 'a cycle diagnostic');
    const results = await runRequest(uri, 'a');
    assert.ok(results.every((result) => !result.passed && result.id === '' && /cycle/.test(result.failures[0] ?? '')), JSON.stringify(results));
    assert.strictEqual(nodeLog.slice(sends).filter((line) => line.startsWith('REST send')).length, 0);
  });

  it('runAllRequests runs every block in file order', async () => {
    const uri = requestFile([...ping('one', '> expect reply within 10s'), '### two', 'SEND {{peer}}', '', 'no expectations', '', ...ping('three', '> expect reply.data == "nope"')]);
    const results = await vscode.commands.executeCommand<BlockRunResult[]>('impervious.runAllRequests', uri);
    assert.deepStrictEqual(
      results.map((result) => [result.name, result.passed]),
      [
        ['one', true],
        ['two', true],
        ['three', false],
      ],
    );
    assert.strictEqual(results[1]!.replyId, undefined, 'a block without expectations does not wait');
  });

  /** The simulated node's accepted sends since `from` (an index into its log). */
  const sendsSince = (from: number) => nodeLog.slice(from).filter((line) => line.startsWith('REST send')).length;
  const NOT_CONFIRMED = 'not sent: the amount for this run was not confirmed';

  it('asks in a modal before a run past impervious.spendLimitSats, listing each send against the limit; Cancel sends nothing', async function () {
    if (!canSeeWorkbench) this.skip();
    const sends = nodeLog.length;
    const uri = requestFile(['### big', 'SEND {{peer}}', 'Amount: 60', '', 'x', '', '### bigger', 'SEND {{peer}}', 'Amount: 41', '', 'y']);
    const running = vscode.commands.executeCommand<BlockRunResult[]>('impervious.runAllRequests', uri);
    const shown = await answerDialog((message) => message.startsWith('This run sends'), 'Cancel');
    assert.strictEqual(shown.message, 'This run sends 2 messages: 101 sat in total, against a limit of 100 sat per run. Send them?');
    const short = `${peer.slice(0, 6)}…${peer.slice(-5)}`;
    assert.deepStrictEqual(shown.detail.split('\n').slice(0, 2), [`• ${short}: 60 sat ("big")`, `• ${short}: 41 sat ("bigger")`]);
    assert.deepStrictEqual([...shown.buttons].sort(), ['Cancel', 'Send']);
    const results = await running;
    assert.deepStrictEqual(results.map((result) => result.failures), [[NOT_CONFIRMED], [NOT_CONFIRMED]]);
    assert.strictEqual(sendsSince(sends), 0);
  });

  it('names an amount a peer quoted, and the reply it came from, before paying it; Cancel sends nothing more', async function () {
    if (!canSeeWorkbench) this.skip();
    const sends = nodeLog.length;
    const uri = requestFile([
      '### quote',
      '# @name quote',
      'SEND {{peer}}',
      '',
      '{"action":"quote"}',
      '',
      '### pay',
      'SEND {{quote.reply.from}}',
      'Amount: {{quote.reply.json.price_sat}}',
      '',
      'paid',
    ]);
    const running = vscode.commands.executeCommand<BlockRunResult[]>('impervious.runAllRequests', uri);
    const shown = await answerDialog((message) => message.startsWith('The amount of the next send'), 'Cancel');
    assert.strictEqual(shown.message, 'The amount of the next send, 250 sat, came from the reply to "quote". Send it?');
    assert.match(shown.detail, /: 250 sat \("pay"\); the recipient came from the reply to "quote"$/m);
    const results = await running;
    assert.deepStrictEqual(
      results.map((result) => [result.name, result.failures]),
      [
        ['quote', []],
        ['pay', [NOT_CONFIRMED]],
      ],
    );
    assert.strictEqual(sendsSince(sends), 1, 'only the quote request went out');
  });

  it('asks again before the send that takes a run past what was approved', async () => {
    const asked: SpendQuestion[] = [];
    answerSpends(api, (question) => (asked.push(question), question.kind === 'run'));
    const sends = nodeLog.length;
    try {
      // Estimated at 61 sats: the second block waits on the first one's reply, so only its send counts it, past 100.
      const uri = requestFile(['### echo', '# @name echo', 'SEND {{peer}}', 'Amount: 60', '', 'x', '', '### quote it back', 'SEND {{peer}}', 'Amount: 50', '', '{{echo.reply.data}}', '', '### bye', 'SEND {{peer}}', '', 'bye']);
      const results = await vscode.commands.executeCommand<BlockRunResult[]>('impervious.runAllRequests', uri);
      assert.deepStrictEqual(
        asked.map((question) => question.kind),
        ['overBudget'],
      );
      const question = asked[0]!;
      assert.ok(question.kind === 'overBudget');
      assert.strictEqual(question.send.block, 'quote it back');
      assert.deepStrictEqual([question.send.amount, question.total, question.approved], [50n, 110n, 100n]);
      assert.deepStrictEqual(
        results.map((result) => result.failures),
        [[], [NOT_CONFIRMED], [NOT_CONFIRMED]],
      );
    } finally {
      answerSpends(api, undefined);
    }
    assert.strictEqual(sendsSince(sends), 1);
  });

  it('Test: Run All Tests asks once before sending request files, naming how many sends in how many files; Cancel sends nothing', async function () {
    if (!canSeeWorkbench) this.skip();
    const first = requestFile(ping('allOne', '> expect reply within 10s'));
    const second = requestFile([...ping('allTwo', '> expect reply within 10s'), ...ping('allThree', '> expect reply within 10s')]);
    const controller = await testController();
    await waitUntil(() => controller.items.get(first.toString()) !== undefined && controller.items.get(second.toString())?.children.size === 2, 'the test controller to list both files');
    const sends = nodeLog.length;
    void vscode.commands.executeCommand('testing.runAll');
    const shown = await answerDialog((message) => message.startsWith('Running all tests runs request files too'), 'Cancel');
    const [, count, files] = /: (\d+) sends from (\d+) request files?, (\d+) sat in total \(limit 100 sat per run\)/.exec(shown.message) ?? [];
    assert.ok(Number(files) >= 2 && Number(count) >= 3, shown.message);
    const { session } = await requestFiles();
    await waitUntil(
      () => ['allOne', 'allTwo', 'allThree'].every((name) => session.state(name === 'allOne' ? first : second, name)?.result?.failures[0] === NOT_CONFIRMED),
      'every test to fail as not confirmed',
    );
    assert.strictEqual(sendsSince(sends), 0);
  });

  it('gives blocks of the same name their own tests, and refuses a Send lens that an edit moved onto another block', async () => {
    const uri = requestFile([...ping('twin', '> expect reply within 10s'), ...ping('twin', '> expect reply within 10s'), '### plain', 'SEND {{peer}}', '', 'hi']);
    const controller = await testController();
    await waitUntil(() => controller.items.get(uri.toString())?.children.size === 2, 'two tests for the two blocks named twin');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await waitUntil(() => vscode.languages.getDiagnostics(uri).some((d) => /twin/.test(d.message)), 'a problem on the duplicate name');
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const plainSend = lenses.filter((lens) => lens.command?.title === '$(play) Send').at(-1)!;
    // A block inserted above: the lens's index now points at the second twin.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(2, 0), ['### inserted', 'SEND {{peer}}', '', 'inserted', '', ''].join('\n'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    const sends = nodeLog.length;
    const result = await vscode.commands.executeCommand(plainSend.command!.command, ...(plainSend.command!.arguments ?? []));
    assert.strictEqual(result, undefined);
    assert.strictEqual(sendsSince(sends), 0, 'the stale lens sent nothing');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it("the API's sendMessage refuses an amount above impervious.spendLimitSats unless confirmedAmount is true, and never prompts", async () => {
    const sends = nodeLog.length;
    await assert.rejects(api.sendMessage({ pubkey: peer, data: 'pricey', amount: 101 }), (error: Error) => error.name === 'SpendLimitError' && /over impervious\.spendLimitSats \(100 sat\)/.test(error.message));
    assert.strictEqual(sendsSince(sends), 0);
    assert.match(await api.sendMessage({ pubkey: peer, data: 'pricey, confirmed', amount: 101, confirmedAmount: true }), /^[0-9a-f]{64}$/);
    assert.match(await api.sendMessage({ pubkey: peer, data: 'within the limit', amount: 100 }), /^[0-9a-f]{64}$/);
    assert.strictEqual(sendsSince(sends), 2);
  });

  it('never sends to a URL in Node:, only to a configured node', async () => {
    const uri = requestFile(['### elsewhere', 'SEND {{peer}}', 'Node: ws://127.0.0.1:9/v1/subscribe', '', 'hi']);
    const [result] = await runRequest(uri, 0);
    assert.strictEqual(result!.id, '');
    assert.match(result!.failures[0]!, /^not sent: Node: "ws:\/\/127\.0\.0\.1:9\/v1\/subscribe" looks like a URL; name a configured node \(configured: "Test node"\)$/);
  });

  it('provides Send, Send and Check and, after a reply, Show Reply lenses', async () => {
    const uri = requestFile([...ping('lensed', '> expect reply within 10s'), '### plain', 'SEND {{peer}}', '', 'hi']);
    await vscode.window.showTextDocument(uri);
    const titles = async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).map((lens) => `${lens.range.start.line}:${lens.command?.title}`);
    assert.deepStrictEqual(await titles(), ['2:$(play) Send', '2:$(beaker) Send and Check', '11:$(play) Send']);
    await runRequest(uri, 'lensed');
    await waitUntil(async () => (await titles()).includes('2:Show Reply'), 'a Show Reply lens');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const show = lenses.find((lens) => lens.command?.title === 'Show Reply')!;
    await vscode.commands.executeCommand(show.command!.command, ...(show.command!.arguments ?? []));
    await waitUntil(() => vscode.window.activeTextEditor?.document.uri.scheme === 'impervious-message', 'the reply document to open');
    assert.match(vscode.window.activeTextEditor!.document.getText(), /"dataText": "re: ping lensed"/);
  });

  it("newRequestFile opens an untitled sample addressed to a simulated node's peer, which passes as it is", async () => {
    await vscode.commands.executeCommand('impervious.startSimulator');
    try {
      await waitUntil(() => api.connectionState('Simulator') === 'connected', 'the simulator node to connect');
      const uriText = await vscode.commands.executeCommand<string>('impervious.newRequestFile');
      const document = vscode.window.activeTextEditor!.document;
      try {
        assert.strictEqual(document.uri.toString(), uriText);
        assert.strictEqual(document.isUntitled, true);
        assert.strictEqual(document.languageId, 'impervious');
        const addressed = /^@[A-Za-z_][A-Za-z0-9_-]* = (0[23][0-9a-f]{64})$/m.exec(document.getText())?.[1];
        assert.ok(addressed && api.internals.simulator.peers.some((samplePeer) => samplePeer.pubkey === addressed), `addressed to a simulated peer: ${addressed}`);
        await waitUntil(() => vscode.languages.getDiagnostics(document.uri).length === 0, 'no problems in the sample');
        const results = await vscode.commands.executeCommand<BlockRunResult[]>('impervious.runAllRequests', document.uri);
        assert.deepStrictEqual(results.map((result) => [result.name, result.passed, result.failures]), [['ping', true, []], ['followUp', true, []]]);
      } finally {
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    } finally {
      await vscode.commands.executeCommand('impervious.stopSimulator');
    }
  });

  it('"Send" sends a block without waiting for its reply', async () => {
    const uri = requestFile(ping('quick', '> expect reply.data == "never checked"'));
    const results = await vscode.commands.executeCommand<BlockRunResult[]>('impervious.sendRequestBlock', uri, 0, false);
    assert.strictEqual(results.length, 1);
    assert.strictEqual(results[0]!.passed, true);
    assert.strictEqual(results[0]!.replyId, undefined);
  });

  it('lists each block with expectations as a test, grouped by file, and keeps its ID across edits', async () => {
    const uri = requestFile([...ping('tested', '> expect reply within 10s'), '### untested', 'SEND {{peer}}', '', 'hi']);
    const controller = await testController();
    const fileItem = () => controller.items.get(uri.toString());
    await waitUntil(() => fileItem()?.children.size === 1, 'the test controller to list the file');
    assert.strictEqual(fileItem()!.label, 'requests/' + path.basename(uri.fsPath));
    const childIds = () => [...fileItem()!.children].map(([id]) => id);
    assert.deepStrictEqual(childIds(), [`${uri.toString()}#tested`]);
    // Edited elsewhere (on disk): a block above moves it, its ID stays.
    fs.writeFileSync(uri.fsPath, [`@peer = ${peer}`, '', '### new', '# @name added', 'SEND {{peer}}', '', 'x', '', '> expect reply within 5s', '', ...ping('tested', '> expect reply within 10s')].join('\n'));
    await waitUntil(() => fileItem()?.children.size === 2, 'the test controller to see the edit');
    assert.deepStrictEqual(childIds().sort(), [`${uri.toString()}#added`, `${uri.toString()}#tested`]);
    assert.strictEqual(fileItem()!.children.get(`${uri.toString()}#tested`)!.range?.start.line, 10);
  });

  it('runs a test through the controller, against the node', async () => {
    const uri = requestFile(ping('viaTests', '> expect reply.data contains "ping viaTests"'));
    const controller = await testController();
    await waitUntil(() => controller.items.get(uri.toString())?.children.size === 1, 'the test item');
    const item = controller.items.get(uri.toString())!.children.get(`${uri.toString()}#viaTests`)!;
    const source = new vscode.CancellationTokenSource();
    await api.internals.requests.runProfile.runHandler(new vscode.TestRunRequest([item]), source.token);
    const state = (await requestFiles()).session.state(uri, 'viaTests');
    assert.strictEqual(state?.result?.passed, true, JSON.stringify(state?.result));
  });

  it('checks a file: malformed lines, a bad pubkey, unknown variables and blocks, a low amount', async () => {
    const uri = requestFile([
      'a stray line',
      '### bad',
      'SEND 02abc',
      '',
      'x',
      '> expect nonsense',
      '### refs',
      'SEND {{nobody}}',
      'Reply-To: {{ghost.id}}',
      'Amount: 1',
      '',
      'z'.repeat(1000),
    ]);
    await vscode.workspace.openTextDocument(uri);
    let messages: string[] = [];
    await waitUntil(() => (messages = vscode.languages.getDiagnostics(uri).map((d) => d.message)).length >= 6, 'the diagnostics');
    const expected = [/^Before the first "###"/, /"02abc" is not a node pubkey/, /^Unknown variable "nobody"/, /^No block is named "ghost"/, /nonsense/, /^Amount 1 is below the node's minimum of 2/];
    for (const pattern of expected) {
      assert.ok(messages.some((message) => pattern.test(message)), `${pattern} in ${JSON.stringify(messages)}`);
    }
  });

  it('completes variables and block names in {{, known senders after SEND, and node names after Node:', async () => {
    const uri = requestFile([...ping('named'), '### next', 'SEND ', 'Node: ', '', '{{']);
    const document = await vscode.workspace.openTextDocument(uri);
    const lines = document.getText().split('\n');
    const labels = async (line: number) =>
      ((await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(line, lines[line]!.length)))?.items ?? []).map((item) =>
        typeof item.label === 'string' ? item.label : item.label.label,
      );
    const inBraces = await labels(lines.indexOf('{{'));
    assert.ok(inBraces.includes('peer') && inBraces.includes('named'), JSON.stringify(inBraces));
    assert.ok((await labels(lines.indexOf('SEND '))).includes(peer), 'a known sender after SEND');
    assert.ok((await labels(lines.indexOf('Node: '))).includes(TEST_NODE), 'the configured node after Node:');
  });

  it("hovers a reference with its current value, as plain text even when it holds Markdown", async () => {
    const uri = requestFile(['@evil = [run](command:impervious.clear) **bold**', ...ping('hovered', '> expect reply within 10s'), '### later', 'SEND {{peer}}', '', '{{hovered.id}} {{evil}}']);
    const [result] = await runRequest(uri, 'hovered');
    const document = await vscode.workspace.openTextDocument(uri);
    const line = document.getText().split('\n').indexOf('{{hovered.id}} {{evil}}');
    const hover = async (character: number) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, character));
      return hovers.flatMap((h) => h.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    };
    assert.ok((await hover(3)).includes(result!.id), 'the hover shows the ID');
    const evil = await hover(line >= 0 ? '{{hovered.id}} {{'.length : 0);
    assert.ok(evil.includes('\\[run\\]\\(command:impervious.clear\\)'), `escaped Markdown: ${evil}`);
    assert.ok(!/\]\(command:/.test(evil), evil);
  });
});
