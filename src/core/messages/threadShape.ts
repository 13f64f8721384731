import type { ThreadLinks } from './threads';

/**
 * Replies nest this deep in the Messages view; a reply deeper in its thread is shown flat under
 * its ancestor at this depth, marked with its real depth. So every item is at most this many
 * steps from its root, and revealing the 100,000th message of a chain walks that many parents.
 */
export const MAX_THREAD_DEPTH = 32;

/** What a shape is built from: how the held messages link, and the arrival number of the oldest. */
export interface ShapeSource {
  /** The arrival number of the oldest held message (`MessageStore.firstSequence`). */
  readonly firstSequence: number;
  threadLinks(): ThreadLinks;
}

/**
 * The threads of one store as the Messages view shows them: a forest, whatever the peers sent.
 * Messages are named by their arrival numbers (`MessageStore.firstSequence`), which stay theirs
 * while they are held: the shape holds no message object.
 *
 * A message's parent is the held message its `replyToId` names (the newest copy when that ID
 * repeats, as the store's lookup finds). Peers can make any graph of that: self-replies, loops of any length, chains of any
 * depth. Each message has at most one parent, so each loop is a ring that trees hang from; the
 * oldest message of a ring becomes a root, marked as in a loop, and the rest of the ring hangs
 * under it in order. A reply past `MAX_THREAD_DEPTH` hangs under its ancestor at that depth.
 * Every held message is then in exactly one tree, and `parentOf` never cycles.
 *
 * Built in one pass over the store's indexes with no recursion (work in proportion to the number
 * of held messages, and no message built); the view rebuilds it only when the store changed.
 */
export class ThreadShape {
  /** The arrival numbers of the thread roots, oldest first. */
  readonly roots: number[] = [];
  private readonly first: number;
  private readonly count: number;
  private readonly newestOfId: Int32Array;
  private readonly replies: Uint8Array;
  /** 1 where another held message has the same (non-empty) ID. */
  private readonly duplicates: Uint8Array;
  private readonly shownParent: Int32Array;
  private readonly depths: Int32Array;
  private readonly inLoop: Uint8Array;
  /** The children shown under each message as linked lists, oldest first. */
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;

  constructor(source: ShapeSource) {
    // The parent each reply names, as a place among the held messages; -1 for none held.
    const { parents: parent, newestOfId, replies } = source.threadLinks();
    const count = parent.length;
    this.first = source.firstSequence;
    this.count = count;
    this.newestOfId = newestOfId;
    this.replies = replies;
    this.duplicates = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const newest = newestOfId[i] as number;
      if (newest !== -1 && newest !== i) {
        this.duplicates[i] = 1;
        this.duplicates[newest] = 1;
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
        this.roots.push(this.first + i);
      }
    }
  }

  /** Whether the message with arrival number `sequence` was held when the shape was built. */
  has(sequence: number): boolean {
    return this.indexOf(sequence) !== -1;
  }

  /** The message `sequence` is shown under, if any. */
  parentOf(sequence: number): number | undefined {
    const i = this.indexOf(sequence);
    const shown = i === -1 ? -1 : (this.shownParent[i] as number);
    return shown === -1 ? undefined : this.first + shown;
  }

  /** The messages shown under `sequence`, in the order they came. */
  childrenOf(sequence: number): number[] {
    const children: number[] = [];
    const i = this.indexOf(sequence);
    for (let child = i === -1 ? -1 : (this.firstChild[i] as number); child !== -1; child = this.nextSibling[child] as number) {
      children.push(this.first + child);
    }
    return children;
  }

  /** Whether anything is shown under `sequence`, without listing it. */
  hasChildren(sequence: number): boolean {
    const i = this.indexOf(sequence);
    return i !== -1 && this.firstChild[i] !== -1;
  }

  /** The root of the tree `sequence` is shown in: at most `MAX_THREAD_DEPTH + 1` steps up. */
  rootOf(sequence: number): number {
    let current = sequence;
    for (let parent = this.parentOf(current); parent !== undefined; parent = this.parentOf(current)) {
      current = parent;
    }
    return current;
  }

  /** Steps from its root along the reply links (0 for a root), whatever depth it is shown at. */
  depthOf(sequence: number): number {
    const i = this.indexOf(sequence);
    return i === -1 ? 0 : (this.depths[i] as number);
  }

  /** A reply deeper than the view nests, shown under an ancestor rather than its parent. */
  isFlattened(sequence: number): boolean {
    return this.depthOf(sequence) > MAX_THREAD_DEPTH;
  }

  /** The oldest message of a reply loop (or a message that replies to itself): shown as a root. */
  isLoop(sequence: number): boolean {
    const i = this.indexOf(sequence);
    return i !== -1 && this.inLoop[i] === 1;
  }

  /** A reply whose parent is not held: shown as a root. */
  isOrphan(sequence: number): boolean {
    const i = this.indexOf(sequence);
    return i !== -1 && this.replies[i] === 1 && this.shownParent[i] === -1 && this.inLoop[i] === 0;
  }

  /** Another held message has the same (non-empty) ID. */
  isDuplicate(sequence: number): boolean {
    const i = this.indexOf(sequence);
    return i !== -1 && this.duplicates[i] === 1;
  }

  /** The copy of its ID that lookups by ID find (the newest); false for a message without an ID. */
  isFoundById(sequence: number): boolean {
    const i = this.indexOf(sequence);
    return i !== -1 && this.newestOfId[i] === i;
  }

  /** Where the message is among those held when the shape was built, or -1. */
  private indexOf(sequence: number): number {
    const i = sequence - this.first;
    return i >= 0 && i < this.count ? i : -1;
  }
}
