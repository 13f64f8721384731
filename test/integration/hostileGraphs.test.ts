import * as assert from 'assert';
import * as vscode from 'vscode';
import { isDeepStrictEqual } from 'util';
import { encodeId } from '../../src/core/ids/idEncoding';
import { isMessage, type MessageElement, type MessageTreeElement } from '../../src/core/messages/messageTree';
import type { NodeMessage } from '../../src/core/nodeMessage';
import type { SimulatedNode } from '../../src/core/simulator/simulatedNode';
import { MAX_THREAD_DEPTH } from '../../src/core/messages/threadShape';
import { activateExtension, connectToSimulator, setNodes, setSetting, TEST_NODE, waitUntil, type ExtensionExports } from './harness';

const CHAIN = 10_000;
/** Far above what these take (milliseconds); a loop in a parent walk never returns at all. */
const PROMPT_MS = 15_000;

/** Runs `work` and fails if it has not settled within `PROMPT_MS`. */
async function promptly<T>(what: string, work: () => Thenable<T> | Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not return within ${PROMPT_MS} ms`)), PROMPT_MS)));
  try {
    return await Promise.race([Promise.resolve(work()), late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('hostile reply graphs and IDs in VS Code', function () {
  this.timeout(120_000);
  let api: ExtensionExports;
  let simulator: SimulatedNode;
  const tag = `g${Date.now().toString(36)}`;
  const id = (name: string) => `${tag}-${name}`;

  before(async () => {
    api = await activateExtension();
    await setSetting('maxMessages', 20_000);
    simulator = await connectToSimulator(api);
    simulator.emit({ id: id('self'), replyToId: id('self'), data: 'I reply to myself' });
    simulator.emit({ id: id('a'), replyToId: id('b'), data: 'a replies to b' });
    simulator.emit({ id: id('b'), replyToId: id('a'), data: 'b replies to a' });
    simulator.emit({ id: id('dup/?#% x'), data: 'first copy' });
    simulator.emit({ id: id('dup/?#% x'), data: 'second copy' });
    simulator.emit({ id: id('deep'), data: `${'['.repeat(20_000)}1${']'.repeat(20_000)}` });
    await simulator.burst(CHAIN, { message: (i) => ({ id: id(`chain-${i}`), replyToId: i ? id(`chain-${i - 1}`) : '', data: `link ${i}` }) });
    await waitUntil(() => api.internals.subscriptions.find(id(`chain-${CHAIN - 1}`), TEST_NODE) !== undefined, 'the chain to arrive', 60_000);
    api.internals.messagesView.flush();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setNodes([]);
    await setSetting('maxMessages', undefined);
    await simulator?.close();
  });

  const held = (messageId: string): NodeMessage => {
    const message = api.internals.subscriptions.find(messageId, TEST_NODE);
    assert.ok(message, `${messageId} is held`);
    return message;
  };
  /** The Messages view's item of a held message. */
  const item = (message: NodeMessage): MessageElement => {
    const element = api.internals.messagesView.model.element(message);
    assert.ok(element, `${message.id} has an item`);
    return element;
  };

  it('goes to the thread and the replied message of self-replies, loops and a 10,000-deep chain, promptly', async () => {
    const view = api.internals.messagesView;
    for (const name of ['self', 'a', 'b', `chain-${CHAIN - 1}`, `chain-${CHAIN / 2}`]) {
      const message = held(id(name));
      const root = await promptly(`Go to Thread on ${name}`, () => vscode.commands.executeCommand<NodeMessage>('impervious.goToThread', message.id));
      assert.ok(root, `a thread root for ${name}`);
      // A root's parent is the node's item when more than one node is shown, else none.
      const above = view.getParent(item(root));
      assert.ok(above === undefined || !isMessage(above), `the thread root of ${name} is a root`);
      const parent = await promptly(`Go to Replied Message on ${name}`, () => vscode.commands.executeCommand<NodeMessage>('impervious.goToRepliedMessage', message.id));
      assert.strictEqual(parent?.id, message.replyToId);
      await promptly(`reveal ${name}`, () => view.reveal(message));
      await waitUntil(() => isDeepStrictEqual(view.treeView.selection[0], item(message)), `${name} to be selected`);
    }
    assert.deepStrictEqual(view.model.threadRoot(item(held(id('b')))), item(held(id('a'))), 'the oldest message of a loop is its root');
  });

  it('shows every message of the graphs exactly once, loops as marked roots', () => {
    const view = api.internals.messagesView;
    const seen = new Map<number, number>();
    const stack: (MessageTreeElement | undefined)[] = [undefined];
    let depth = 0;
    while (stack.length > 0) {
      const element = stack.pop();
      for (const child of view.getChildren(element)) {
        if (isMessage(child) && child.node === TEST_NODE) {
          seen.set(child.sequence, (seen.get(child.sequence) ?? 0) + 1);
        }
        stack.push(child);
      }
      depth++;
    }
    assert.ok(depth > 0);
    const ours = api.internals.subscriptions.messages(TEST_NODE).filter((message) => message.id.startsWith(tag));
    assert.strictEqual(ours.length, CHAIN + 6);
    assert.deepStrictEqual(ours.filter((message) => seen.get(item(message).sequence) !== 1).map((message) => message.id), [], 'each exactly once');
    assert.match(String(view.getTreeItem(item(held(id('self')))).description), /^↻ loop · /);
    assert.match(String(view.getTreeItem(item(held(id('a')))).description), /^↻ loop · /);
    assert.match(String(view.getTreeItem(item(held(id(`chain-${CHAIN - 1}`)))).description), new RegExp(`^↳ ${CHAIN - 1} deep · `));
    let steps = 0;
    for (let element: MessageTreeElement | undefined = item(held(id(`chain-${CHAIN - 1}`))); element && isMessage(element); element = view.getParent(element)) {
      steps++;
    }
    assert.strictEqual(steps, MAX_THREAD_DEPTH + 2, 'nested to the nesting depth, then flat');
  });

  it('shows both copies of a repeated ID, each with its own item ID and its own document', async () => {
    const view = api.internals.messagesView;
    const copies = api.internals.subscriptions.messages(TEST_NODE).filter((message) => message.id === id('dup/?#% x'));
    assert.strictEqual(copies.length, 2);
    const items = copies.map((copy) => view.getTreeItem(item(copy)));
    assert.notStrictEqual(items[0]!.id, items[1]!.id);
    for (const item of items) {
      assert.ok(item.id?.startsWith(`m/${encodeId(TEST_NODE)}/${encodeId(id('dup/?#% x'))}`), item.id);
      assert.match(String(item.description), /duplicate ID/);
    }
    const texts: string[] = [];
    for (const copy of copies) {
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>('impervious.openMessage', copy);
      const document = JSON.parse(editor!.document.getText());
      assert.strictEqual(document.id, copy.id);
      texts.push(document.dataText);
    }
    assert.deepStrictEqual(texts, ['first copy', 'second copy']);
  });

  it('draws and opens a message nested 20,000 levels deep', async () => {
    const view = api.internals.messagesView;
    const deep = held(id('deep'));
    assert.strictEqual(view.getTreeItem(item(deep)).label, `${'['.repeat(79)}…`);
    assert.ok(view.resolveTreeItem(view.getTreeItem(item(deep)), item(deep)).tooltip);
    const editor = await promptly('open the deep message', () => vscode.commands.executeCommand<vscode.TextEditor>('impervious.openMessage', deep));
    const document = JSON.parse(editor!.document.getText());
    assert.strictEqual(document.dataByteLength, 40_001);
    assert.ok(typeof document.dataText === 'string' || Array.isArray(document.dataJson));
  });

  it('degrades an element it cannot draw to a plain item instead of throwing out of the view', () => {
    const view = api.internals.messagesView;
    // An item every read of which fails, as a bug in the view's own code would look to VS Code.
    const broken = {
      kind: 'message',
      node: TEST_NODE,
      get sequence(): number {
        throw new Error('an unreadable item');
      },
    } as MessageElement;
    assert.strictEqual(view.getTreeItem(broken).label, '(this item could not be shown)');
    assert.deepStrictEqual(view.getChildren(broken), []);
    assert.doesNotThrow(() => view.getParent(broken));
    assert.ok(view.resolveTreeItem(new vscode.TreeItem('x'), broken));
  });
});
