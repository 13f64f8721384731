import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderMessageDocument } from '../../../src/core/text/messageDocument';
import { exportText, messageFromJson, messageToJson } from '../../../src/core/journal/messageJson';
import { MessageJournal } from '../../../src/core/journal/messageJournal';
import { MessageStore } from '../../../src/core/messages/messageStore';
import { MessageTreeModel, type MessageSource } from '../../../src/core/messages/messageTree';
import type { NodeMessage } from '../../../src/core/nodeMessage';
import { MAX_THREAD_DEPTH } from '../../../src/core/messages/threadShape';
import { messageTooltipMarkdown } from '../../../src/vscode/messages/messageMarkdown';
import { MessageFuzzer } from '../helpers/messageFuzzer';
import { checkTree } from '../helpers/treeWalk';

const SEED = 0x5eed10;
const MESSAGES = Number(process.env.FUZZ_MESSAGES ?? 100_000);
const HELD_PER_NODE = 400;
/** Every this many messages (the store's bound, so each message is in one walk) the whole tree is walked and checked. */
const CHECK_EVERY = HELD_PER_NODE;
/** Every this many, the held messages are exported and read back. */
const EXPORT_EVERY = 10 * CHECK_EVERY;

class Stores implements MessageSource {
  readonly stores = new Map<string, MessageStore>();
  nodeNames(): string[] {
    return ['n'];
  }
  storeNames(): string[] {
    return [...this.stores.keys()];
  }
  store(name: string): MessageStore {
    let store = this.stores.get(name);
    if (!store) {
      store = new MessageStore(HELD_PER_NODE);
      this.stores.set(name, store);
    }
    return store;
  }
}

function sameMessage(actual: NodeMessage | undefined, expected: NodeMessage, what: string): void {
  assert.ok(actual, `${what}: came back`);
  const { data, ...fields } = actual;
  const { data: expectedData, ...expectedFields } = expected;
  assert.deepStrictEqual(fields, expectedFields, what);
  assert.ok(Buffer.from(data).equals(Buffer.from(expectedData)), `${what}: the same data`);
}

describe('fuzzing messages through every surface', function () {
  // About 20 s on an idle two-core machine; the bound is for a loaded one.
  this.timeout(600_000);
  let dir: string;

  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-message-fuzz-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`takes ${MESSAGES} hostile messages: tree, previews, tooltips, documents, JSON, export and the journal`, async () => {
    const fuzzer = new MessageFuzzer(SEED);
    const source = new Stores();
    const model = new MessageTreeModel(source, Number.POSITIVE_INFINITY);
    const errors: string[] = [];
    const journalFile = path.join(dir, 'messages.ndjson');
    const bounds = () => ({ maxMessages: MESSAGES, maxBytes: 1e12, maxTotalBytes: 1e12 });
    const journal = new MessageJournal(journalFile, bounds, (_kind, error) => errors.push(error.message));
    const written: NodeMessage[] = [];
    let exported = 0;
    for (let i = 1; i <= MESSAGES; i++) {
      const message = fuzzer.next();
      source.store(message.node).append(message);
      journal.append(message);
      written.push(message);

      // What the hover and the document make of it: bounded, and the document is JSON.
      assert.ok(messageTooltipMarkdown(message).length < 5000);
      const document = renderMessageDocument(message);
      assert.ok(document.length < 700 * 1024);
      // Reading every document back would double the run; every eighth, and every large one, is read.
      if (i % 8 === 0 || message.data.byteLength > 1024) {
        assert.strictEqual(JSON.parse(document).id, message.id);
      }
      sameMessage(messageFromJson(JSON.parse(JSON.stringify(messageToJson(message)))), message, `JSON codec, message ${i}`);

      if (i % CHECK_EVERY === 0) {
        // The tree as the view draws it (rebuilt once per check, as the view does per redraw).
        const held = [...source.stores.values()].flatMap((store) => store.toArray());
        const shown = checkTree(model, MAX_THREAD_DEPTH + 3);
        assert.strictEqual(shown.length, held.length, `after ${i} messages every held message is shown once`);
        for (const each of held) {
          const element = model.element(each);
          assert.ok(element, 'every held message has its item');
          assert.ok(model.preview(element, each).length <= 80);
          model.marks(element, each);
        }
        // A quoted phrase: whatever the ID holds, it is text to find, not query syntax.
        assert.strictEqual(model.setFilter(`"${message.id.slice(0, 3).replace(/[\\"]/g, '\\$&')}"`), undefined);
        assert.ok(model.countMatches().matching >= 1);
        model.setFilter('');
      }
      if (i % EXPORT_EVERY === 0) {
        const held = [...source.stores.values()].flatMap((store) => store.toArray());
        for (const [format, parse] of [
          ['json', (text: string) => JSON.parse(text) as unknown[]],
          ['ndjson', (text: string) => text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown)],
        ] as const) {
          const records = parse(exportText(held, format));
          records.forEach((record, k) => sameMessage(messageFromJson(record), held[k]!, `${format} export`));
          exported += records.length;
        }
        await journal.flush();
      }
    }
    await journal.flush();

    // The journal gives back what went in: per node in order, without a record that repeats the
    // newest kept one of its node+ID in everything but the receive time (one message written twice).
    const loaded = new MessageJournal(journalFile, bounds).load();
    assert.strictEqual(loaded.skipped, 0);
    const newest = new Map<string, NodeMessage>();
    const expected = written.filter((message) => {
      const key = JSON.stringify([message.node, message.id]);
      const held = message.id ? newest.get(key) : undefined;
      if (held && sameRecord(held, message)) {
        return false;
      }
      newest.set(key, message);
      return true;
    });
    const byNode = (messages: NodeMessage[]) => [...new Set(messages.map((m) => m.node))].sort().flatMap((node) => messages.filter((m) => m.node === node));
    const back = byNode(loaded.messages);
    const sent = byNode(expected);
    assert.strictEqual(back.length, sent.length);
    back.forEach((message, k) => sameMessage(message, sent[k]!, `journal record ${k}`));
    assert.deepStrictEqual(errors, []);
    assert.ok(exported > 0);
    assert.ok((fuzzer.tally.get('huge-line') ?? 0) > 0 && (fuzzer.tally.get('very-deep-json') ?? 0) > 0, JSON.stringify([...fuzzer.tally]));
  });
});

/** Everything but the receive time: what the journal treats as the same message written twice. */
function sameRecord(a: NodeMessage, b: NodeMessage): boolean {
  return (
    a.replyToId === b.replyToId &&
    a.fromPubkey === b.fromPubkey &&
    a.serviceType === b.serviceType &&
    a.amount === b.amount &&
    Buffer.from(a.data).equals(Buffer.from(b.data))
  );
}
