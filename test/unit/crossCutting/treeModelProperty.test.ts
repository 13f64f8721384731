import * as assert from 'assert';
import { MessageStore } from '../../../src/core/messages/messageStore';
import { MessageTreeModel, type MessageSource } from '../../../src/core/messages/messageTree';
import type { NodeMessage } from '../../../src/core/nodeMessage';
import { Prng } from '../../../src/core/simulator/prng';
import { MAX_THREAD_DEPTH } from '../../../src/core/messages/threadShape';
import { nodeMessage } from '../helpers/messages';
import { checkTree } from '../helpers/treeWalk';

const SEED = 0x7ee5;
const GRAPHS = 10_000;

/**
 * A random reply graph: IDs from a small pool (so replies hit, loops close and IDs repeat),
 * replies to the previous message (chains), to themselves, to earlier or later IDs, to IDs never
 * sent; a store small enough that evictions happen in between.
 */
function randomGraph(random: Prng): { store: MessageStore; held: NodeMessage[] } {
  const size = random.int(1, 60);
  const pool = random.int(1, size + 2);
  const store = new MessageStore(random.int(1, size + 5));
  const idOf = (k: number) => (k === 0 && random.chance(0.1) ? '' : `i${k}`);
  let previous = '';
  for (let i = 0; i < size; i++) {
    const id = idOf(random.int(0, pool - 1));
    const replyToId = random.weighted<string>([
      ['', 2],
      [previous, 4],
      [id, 1],
      [`i${random.int(0, pool - 1)}`, 4],
      ['never-sent', 1],
    ]);
    store.append(nodeMessage({ id, replyToId, receivedAt: i }));
    previous = id;
  }
  return { store, held: store.toArray() };
}

describe('the Messages tree over random reply graphs', function () {
  this.timeout(120_000);

  it(`shows every held message exactly once, with agreeing parents, for ${GRAPHS} graphs`, () => {
    const random = new Prng(SEED);
    let loops = 0;
    let orphans = 0;
    for (let graph = 0; graph < GRAPHS; graph++) {
      const { store, held } = randomGraph(random);
      const source: MessageSource = { nodeNames: () => ['n'], storeNames: () => ['n'], store: () => store };
      const model = new MessageTreeModel(source, Number.POSITIVE_INFINITY);
      const shown = checkTree(model, Math.min(held.length, MAX_THREAD_DEPTH + 1) + 1);
      assert.strictEqual(shown.length, held.length, `graph ${graph}: every held message is shown`);
      assert.deepStrictEqual(new Set(shown), new Set(held), `graph ${graph}: exactly the held messages are shown`);
      for (const message of held) {
        const element = model.element(message);
        assert.ok(element, `graph ${graph}: every held message has its item`);
        const root = model.threadRoot(element);
        assert.strictEqual(model.parent(root), undefined, `graph ${graph}: the thread root is a root`);
        const marks = model.marks(element, message);
        loops += marks.loop ? 1 : 0;
        orphans += marks.orphan ? 1 : 0;
      }
    }
    // The generator makes the cases it is meant to: loops and missing parents both occur.
    assert.ok(loops > 1000 && orphans > 1000, `${loops} loops, ${orphans} orphans`);
  });
});
