import type { NodeMessage } from '../nodeMessage';

/** What thread walks read: held messages by ID, and the held replies to an ID. */
export interface ThreadLookup {
  get(id: string): NodeMessage | undefined;
  repliesTo(id: string): readonly NodeMessage[];
}

/**
 * The replies of each held message, by the ID they reply to. A message's place in a thread is its
 * `replyToId` (for a v1 DIDComm message, its `thid`, mapped by the decoder). It also counts
 * changes, so a `ThreadShape` built from the store knows when it is stale.
 */
export class ThreadIndex {
  private readonly repliesByParent = new Map<string, NodeMessage[]>();
  private changes = 0;

  /** Changes with every message added or removed. */
  get version(): number {
    return this.changes;
  }

  add(message: NodeMessage): void {
    this.changes++;
    if (!message.replyToId) {
      return;
    }
    const replies = this.repliesByParent.get(message.replyToId);
    if (replies) {
      replies.push(message);
    } else {
      this.repliesByParent.set(message.replyToId, [message]);
    }
  }

  remove(message: NodeMessage): void {
    this.changes++;
    if (!message.replyToId) {
      return;
    }
    const replies = this.repliesByParent.get(message.replyToId);
    if (!replies) {
      return;
    }
    // A store evicts its oldest message, which is nearly always first in its list, and shift()
    // drops a first element without copying the rest.
    if (replies[0] === message) {
      replies.shift();
    } else {
      const index = replies.indexOf(message);
      if (index >= 0) {
        replies.splice(index, 1);
      }
    }
    if (replies.length === 0) {
      this.repliesByParent.delete(message.replyToId);
    }
  }

  /** Replies to `id`, oldest first. */
  repliesTo(id: string): readonly NodeMessage[] {
    return this.repliesByParent.get(id) ?? [];
  }

  clear(): void {
    this.changes++;
    this.repliesByParent.clear();
  }
}

/** The held message `message` replies to, if any (the newest copy when its ID repeats; maybe itself). */
export function parentOf(lookup: ThreadLookup, message: NodeMessage): NodeMessage | undefined {
  return message.replyToId ? lookup.get(message.replyToId) : undefined;
}

/**
 * The oldest held ancestor of `message` (itself when its parent is not held). A cycle stops the
 * walk, so it ends within the number of held messages. The Messages view's own roots, which break
 * every cycle the same way for all its members, come from `ThreadShape`.
 */
export function rootOf(lookup: ThreadLookup, message: NodeMessage): NodeMessage {
  let current = message;
  const seen = new Set<NodeMessage>([current]);
  for (let parent = parentOf(lookup, current); parent && !seen.has(parent); parent = parentOf(lookup, current)) {
    seen.add(parent);
    current = parent;
  }
  return current;
}

/** A reply whose parent is not held: shown as a root, marked. */
export function isOrphan(lookup: ThreadLookup, message: NodeMessage): boolean {
  return message.replyToId !== '' && !parentOf(lookup, message);
}
