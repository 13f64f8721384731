import type { NodeMessage } from '../nodeMessage';

/**
 * Replies nest this deep in the Messages view; a reply deeper in its thread is shown flat under
 * its ancestor at this depth, marked with its real depth. So every item is at most this many
 * steps from its root, and revealing the 100,000th message of a chain walks that many parents.
 */
export const MAX_THREAD_DEPTH = 32;

/** What a shape is built from: the held messages, oldest first, and how many went before them. */
export interface ShapeSource {
  toArray(): NodeMessage[];
  /** Messages dropped from the front (evicted) since the store was made or cleared. */
  readonly evicted: number;
}

/**
 * A held message's number in arrival order: the messages evicted before it plus its place among
 * the held ones. Unique among the held messages and kept while it is held (an eviction adds one
 * to the count and takes one from the place), so it tells two copies of a repeated ID apart.
 */
export function arrivalNumber(source: ShapeSource, message: NodeMessage): number {
  const index = source.toArray().indexOf(message);
  return index === -1 ? -1 : source.evicted + index;
}

/**
 * The threads of one store as the Messages view shows them: a forest, whatever the peers sent.
 *
 * A message's parent is the held message its `replyToId` names (the newest copy when that ID
 * repeats, as the store's lookup finds). Peers can make any graph of that: self-replies, loops of any length, chains of any
 * depth. Each message has at most one parent, so each loop is a ring that trees hang from; the
 * oldest message of a ring becomes a root, marked as in a loop, and the rest of the ring hangs
 * under it in order. A reply past `MAX_THREAD_DEPTH` hangs under its ancestor at that depth.
 * Every held message is then in exactly one tree, and `parentOf` never cycles.
 *
 * Built in one pass over the store with no recursion (work in proportion to the number of held
 * messages); the view rebuilds it only when the store changed.
 */
export class ThreadShape {
  /** Thread roots, oldest first. */
  readonly roots: NodeMessage[] = [];
  private readonly messages: NodeMessage[];
  private readonly evictedBefore: number;
  /** The index of the newest copy of each ID; string keys, so no object is hashed per message. */
  private readonly newestById = new Map<string, number>();
  /** Indexes of the messages `newestById` does not find: older copies of a repeated ID, and empty IDs. */
  private readonly others = new Map<NodeMessage, number>();
  private readonly duplicateIds = new Set<string>();
  private readonly shownParent: Int32Array;
  private readonly depths: Int32Array;
  private readonly inLoop: Uint8Array;
  /** The children shown under each message as linked lists, oldest first. */
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;

  constructor(source: ShapeSource) {
    const messages = source.toArray();
    this.messages = messages;
    this.evictedBefore = source.evicted;
    const count = messages.length;
    for (let i = 0; i < count; i++) {
      const id = (messages[i] as NodeMessage).id;
      const earlier = this.newestById.get(id);
      if (earlier !== undefined) {
        this.others.set(messages[earlier] as NodeMessage, earlier);
        if (id !== '') {
          this.duplicateIds.add(id);
        }
      }
      this.newestById.set(id, i);
    }
    const empty = this.newestById.get('');
    if (empty !== undefined) {
      this.others.set(messages[empty] as NodeMessage, empty);
      this.newestById.delete('');
    }

    // The parent each reply names, as an index; -1 for none held.
    const parent = new Int32Array(count).fill(-1);
    for (let i = 0; i < count; i++) {
      const replyToId = (messages[i] as NodeMessage).replyToId;
      const j = replyToId ? this.newestById.get(replyToId) : undefined;
      if (j !== undefined) {
        parent[i] = j;
      }
    }

    // Break each ring at its oldest member. A walk follows parents from an unvisited message and
    // stops at a message already done (0 unvisited, 1 on this walk, 2 done).
    this.inLoop = new Uint8Array(count);
    const state = new Uint8Array(count);
    // One walk's messages; a typed array and a length, as walks are short and many.
    const path = new Int32Array(count);
    for (let start = 0; start < count; start++) {
      if (state[start] !== 0) {
        continue;
      }
      let length = 0;
      let j = start;
      while (j !== -1 && state[j] === 0) {
        state[j] = 1;
        path[length++] = j;
        j = parent[j] as number;
      }
      if (j !== -1 && state[j] === 1) {
        // The ring is the part of the path from j on.
        let oldest = j;
        for (let k = length - 1; path[k] !== j; k--) {
          oldest = Math.min(oldest, path[k] as number);
        }
        this.inLoop[oldest] = 1;
        parent[oldest] = -1;
      }
      for (let k = 0; k < length; k++) {
        state[path[k] as number] = 2;
      }
    }

    // Depths, and the parent each message is shown under. The parents now form a forest; a walk
    // goes up to a message whose depth is known, then assigns depths on the way back down.
    this.depths = new Int32Array(count).fill(-1);
    this.shownParent = new Int32Array(count).fill(-1);
    for (let start = 0; start < count; start++) {
      let length = 0;
      for (let j = start; j !== -1 && (this.depths[j] as number) < 0; j = parent[j] as number) {
        path[length++] = j;
      }
      for (let k = length - 1; k >= 0; k--) {
        const i = path[k] as number;
        const p = parent[i] as number;
        const depth = p === -1 ? 0 : (this.depths[p] as number) + 1;
        this.depths[i] = depth;
        // Past the nesting depth, a reply goes where its parent went: under the ancestor at that depth.
        this.shownParent[i] = depth <= MAX_THREAD_DEPTH + 1 ? p : (this.shownParent[p] as number);
      }
    }

    this.firstChild = new Int32Array(count).fill(-1);
    this.nextSibling = new Int32Array(count).fill(-1);
    for (let i = count - 1; i >= 0; i--) {
      const shown = this.shownParent[i] as number;
      if (shown === -1) {
        continue;
      }
      this.nextSibling[i] = this.firstChild[shown] as number;
      this.firstChild[shown] = i;
    }
    for (let i = 0; i < count; i++) {
      if (this.shownParent[i] === -1) {
        this.roots.push(messages[i] as NodeMessage);
      }
    }
  }

  has(message: NodeMessage): boolean {
    return this.indexOf(message) !== -1;
  }

  /** The message `message` is shown under, if any. */
  parentOf(message: NodeMessage): NodeMessage | undefined {
    const i = this.indexOf(message);
    const shown = i === -1 ? -1 : (this.shownParent[i] as number);
    return shown === -1 ? undefined : this.messages[shown];
  }

  /** The messages shown under `message`, in the order they came. */
  childrenOf(message: NodeMessage): NodeMessage[] {
    const children: NodeMessage[] = [];
    const i = this.indexOf(message);
    for (let child = i === -1 ? -1 : (this.firstChild[i] as number); child !== -1; child = this.nextSibling[child] as number) {
      children.push(this.messages[child] as NodeMessage);
    }
    return children;
  }

  /** Whether anything is shown under `message`, without listing it. */
  hasChildren(message: NodeMessage): boolean {
    const i = this.indexOf(message);
    return i !== -1 && this.firstChild[i] !== -1;
  }

  /** The root of the tree `message` is shown in: at most `MAX_THREAD_DEPTH + 1` steps up. */
  rootOf(message: NodeMessage): NodeMessage {
    let current = message;
    for (let parent = this.parentOf(current); parent; parent = this.parentOf(current)) {
      current = parent;
    }
    return current;
  }

  /** Steps from its root along the reply links (0 for a root), whatever depth it is shown at. */
  depthOf(message: NodeMessage): number {
    const i = this.indexOf(message);
    return i === -1 ? 0 : (this.depths[i] as number);
  }

  /** A reply deeper than the view nests, shown under an ancestor rather than its parent. */
  isFlattened(message: NodeMessage): boolean {
    return this.depthOf(message) > MAX_THREAD_DEPTH;
  }

  /** The oldest message of a reply loop (or a message that replies to itself): shown as a root. */
  isLoop(message: NodeMessage): boolean {
    const i = this.indexOf(message);
    return i !== -1 && this.inLoop[i] === 1;
  }

  /** A reply whose parent is not held: shown as a root. */
  isOrphan(message: NodeMessage): boolean {
    return message.replyToId !== '' && this.parentOf(message) === undefined && !this.isLoop(message);
  }

  /** See `arrivalNumber`; -1 for a message not held. */
  sequenceOf(message: NodeMessage): number {
    const i = this.indexOf(message);
    return i === -1 ? -1 : this.evictedBefore + i;
  }

  /** Another held message has the same (non-empty) ID. */
  isDuplicate(message: NodeMessage): boolean {
    return this.duplicateIds.has(message.id);
  }

  /** Where the message is in the store, or -1 when it is not held (any more). */
  private indexOf(message: NodeMessage): number {
    const newest = this.newestById.get(message.id);
    if (newest !== undefined && this.messages[newest] === message) {
      return newest;
    }
    return this.others.get(message) ?? -1;
  }
}
