import * as assert from 'assert';
import * as vscode from 'vscode';
import { isMessage } from '../../src/core/messages/messageTree';
import type { SimulatedNode } from '../../src/core/simulator/simulatedNode';
import type { Watch } from '../../src/core/watches/watches';
import { activateExtension, connectToSimulator, setNodes, TEST_NODE, waitUntil, type ExtensionExports } from './harness';

const PEER = '02' + 'ab'.repeat(32);

describe('queries in VS Code: the filter, query watches and waitForMessage', () => {
  let api: ExtensionExports;
  let simulator: SimulatedNode;

  before(async () => {
    api = await activateExtension();
    simulator = await connectToSimulator(api);
  });

  after(async () => {
    api.internals.dialogs.replaceWith(undefined);
    await vscode.commands.executeCommand('impervious.clearFilter');
    await setNodes([]);
    await simulator?.close();
  });

  /** The messages the view lists, under each node's item when earlier suites left other nodes' messages held. */
  function shownIds(): string[] {
    const view = api.internals.messagesView;
    view.flush();
    const listed = view.getChildren().flatMap((element) => (isMessage(element) ? [element] : view.getChildren(element)));
    return listed.filter(isMessage).map((element) => view.model.message(element)?.id ?? '(no longer held)');
  }

  it('narrows the Messages view to a query, shown in its description', async () => {
    const big = simulator.emit({ serviceType: 'invoice', amount: 25, data: '{"order":"q-7781","status":"unpaid"}', fromPubkey: PEER });
    const small = simulator.emit({ serviceType: 'invoice', amount: 5, data: '{"order":"q-7781","status":"unpaid"}' });
    const chat = simulator.emit({ serviceType: 'message', amount: 50, data: '{"order":"q-7781","note":"thanks"}' });
    await waitUntil(() => api.messages(TEST_NODE).some((m) => m.id === chat.id), 'the messages to arrive');

    assert.strictEqual(await vscode.commands.executeCommand('impervious.filter', 'json.order=q-7781 type:invoice amount>=10'), true);
    assert.deepStrictEqual(shownIds(), [big.id]);
    assert.strictEqual(api.internals.messagesView.treeView.description, 'json.order=q-7781 type:invoice amount>=10');

    await vscode.commands.executeCommand('impervious.filter', 'json.order=q-7781 (type:message OR amount<10)');
    assert.deepStrictEqual(shownIds(), [chat.id, small.id], 'newest first');

    await vscode.commands.executeCommand('impervious.filter', `json.order=q-7781 -from:${PEER.slice(0, 10)}`);
    assert.deepStrictEqual(shownIds(), [chat.id, small.id]);
  });

  it('refuses a malformed query, saying where, and keeps the filter it had', async () => {
    const before = api.internals.messagesView.model.filter;
    assert.strictEqual(await vscode.commands.executeCommand('impervious.filter', 'amount>'), false);
    assert.strictEqual(api.internals.messagesView.model.filter, before, 'nothing else happened');

    const validation: (string | undefined)[] = [];
    api.internals.dialogs.replaceWith({
      showInputBox: (async (options?: vscode.InputBoxOptions) => {
        for (const attempt of ['from:(', '(type:invoice', 'type:invoice']) {
          validation.push((await options?.validateInput?.(attempt)) as string | undefined);
        }
        return undefined;
      }) as typeof vscode.window.showInputBox,
    });
    try {
      await vscode.commands.executeCommand('impervious.filter');
    } finally {
      api.internals.dialogs.replaceWith(undefined);
    }
    assert.match(validation[0] ?? '', /^Column \d+: /);
    assert.match(validation[1] ?? '', /^Column \d+: .*\)/, 'an unclosed parenthesis says a ) was expected');
    assert.strictEqual(validation[2], undefined, 'a valid query has no validation message');
    assert.strictEqual(api.internals.messagesView.model.filter, before);
  });

  it('a query watch is answered by the matching message and not by others; Awaited Replies lists it', async () => {
    const watch = await vscode.commands.executeCommand<Watch>('impervious.watchQuery', 'type:payment amount>=100');
    assert.ok(watch?.query, 'a query watch');
    assert.ok(api.internals.subscriptions.watches.list().includes(watch), 'listed beside the ID watches');
    const small = simulator.emit({ serviceType: 'payment', amount: 5, data: 'too small' });
    const other = simulator.emit({ serviceType: 'invoice', amount: 500, data: 'not a payment' });
    await waitUntil(() => api.messages(TEST_NODE).some((m) => m.id === other.id), 'the other messages to arrive');
    assert.strictEqual(watch.state, 'waiting', `neither ${small.id} nor ${other.id} answers it`);
    const match = simulator.emit({ serviceType: 'payment', amount: 150, data: 'paid' });
    const answer = await watch.promise;
    assert.strictEqual(answer.id, match.id);
    assert.strictEqual(watch.state, 'answered');
    assert.deepStrictEqual(
      api.internals.subscriptions.watches.toRecords().filter((record) => record.query === 'type:payment amount>=100').map((record) => record.replyId),
      [match.id],
      'persisted with its query and its answer',
    );
  });

  it('waitForMessage resolves with the next match, rejects a malformed query at once and respects node', async () => {
    const wait = api.waitForMessage(`from:${PEER.slice(0, 8)} json.kind=pong`, { timeoutMs: 10_000 });
    simulator.emit({ fromPubkey: PEER, data: '{"kind":"ping"}' });
    const pong = simulator.emit({ fromPubkey: PEER, data: '{"kind":"pong"}' });
    assert.strictEqual((await wait).id, pong.id);

    await assert.rejects(api.waitForMessage('(unclosed', { timeoutMs: 1000 }), (error: Error) => error instanceof SyntaxError && /column \d+/i.test(error.message));
    await assert.rejects(api.waitForMessage('x', { timeoutMs: 0 }), RangeError);

    const elsewhere = api.waitForMessage('"only on another node"', { timeoutMs: 600, node: 'another node' });
    simulator.emit({ data: 'only on another node' });
    await assert.rejects(elsewhere, /No message matching/);
  });
});
