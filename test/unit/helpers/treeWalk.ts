import * as assert from 'assert';
import { isMessage, type MessageTreeElement, type MessageTreeModel } from '../../../src/core/messages/messageTree';
import type { NodeMessage } from '../../../src/core/nodeMessage';

/**
 * Walks the whole tree as VS Code would (iteratively) and checks what the view promises for any
 * reply graph: every message is reached exactly once, each child's parent is the element it was
 * listed under, item IDs are unique, and `parent` from every message reaches a root within
 * `maxSteps` (each child's parent having been checked, the depth of the walk is that number of
 * steps). Returns the messages reached, in tree order.
 */
export function checkTree(model: MessageTreeModel, maxSteps: number): NodeMessage[] {
  const reached: NodeMessage[] = [];
  const seenMessages = new Set<string>();
  const ids = new Set<string>();
  const stack: { element: MessageTreeElement | undefined; depth: number }[] = [{ element: undefined, depth: 0 }];
  while (stack.length > 0) {
    const { element, depth } = stack.pop() as { element: MessageTreeElement | undefined; depth: number };
    const children = model.children(element);
    if (element !== undefined && isMessage(element)) {
      assert.strictEqual(model.hasChildren(element), children.length > 0, 'hasChildren agrees with children');
    }
    if (children.length > 0) {
      assert.ok(depth + 1 <= maxSteps, `the parents of each item reach a root within ${maxSteps} steps`);
    }
    for (const child of children) {
      // Message items are made anew at each listing: the same item is the same node and arrival number.
      assert.deepStrictEqual(model.parent(child), element, 'getParent of a child is the element it is listed under');
      const id = model.id(child);
      assert.ok(!ids.has(id), `item ID ${id} is unique`);
      ids.add(id);
      if (isMessage(child)) {
        const message = model.message(child);
        assert.ok(message, `item ${id} is a held message`);
        const key = `${child.node}\u0000${child.sequence}`;
        assert.ok(!seenMessages.has(key), `message ${JSON.stringify(message.id)} is shown once`);
        seenMessages.add(key);
        reached.push(message);
      }
      stack.push({ element: child, depth: depth + 1 });
    }
  }
  return reached;
}
