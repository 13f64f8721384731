/**
 * Which held messages came back from a node's stored messages rather than its stream: the
 * "recovered" mark of the Messages view. Keyed by node and message ID, not by the message object,
 * so a message rebuilt from storage keeps its mark. Bounded per node by the node's message bound:
 * IDs whose messages were evicted are dropped at each recovery, and the oldest marks go first
 * past the bound, so a mark never outlives its message by more than one bound's worth of marks.
 */
export class RecoveredMarks {
  /** Per node, the marked IDs in the order they were marked. */
  private readonly byNode = new Map<string, Set<string>>();

  constructor(private readonly boundOf: (node: string) => number) {}

  has(node: string, id: string): boolean {
    return this.byNode.get(node)?.has(id) ?? false;
  }

  /** How many IDs of `node` are marked. */
  size(node: string): number {
    return this.byNode.get(node)?.size ?? 0;
  }

  /** Marks `id`; past the node's bound the oldest mark goes. */
  add(node: string, id: string): void {
    let ids = this.byNode.get(node);
    if (!ids) {
      ids = new Set();
      this.byNode.set(node, ids);
    }
    ids.delete(id);
    ids.add(id);
    const bound = Math.max(1, this.boundOf(node));
    for (const oldest of ids) {
      if (ids.size <= bound) {
        break;
      }
      ids.delete(oldest);
    }
  }

  /** Drops the marks of `node` whose messages are no longer held. */
  prune(node: string, isHeld: (id: string) => boolean): void {
    const ids = this.byNode.get(node);
    if (!ids) {
      return;
    }
    for (const id of ids) {
      if (!isHeld(id)) {
        ids.delete(id);
      }
    }
  }

  /** Forgets one node's marks, or every node's. */
  clear(node?: string): void {
    if (node === undefined) {
      this.byNode.clear();
    } else {
      this.byNode.delete(node);
    }
  }
}
