import { isIdInText } from '../../core/ids/messageIdTokens';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { NodeMessage } from '../../core/nodeMessage';
import type { Watch } from '../../core/watches/watches';
import { DisposableStore } from '../base/disposableStore';

/** What an ID found in an editor or a terminal stands for: a held message, a watch, or both. */
export interface KnownId {
  readonly id: string;
  readonly message?: NodeMessage;
  /** The newest watch on the ID shown in Awaited Replies. */
  readonly watch?: Watch;
}

/**
 * Resolves ID-shaped text to what the extension holds, by exact match. Hovers and terminal links
 * ask for every token under the pointer or on a printed line, so a lookup is a few map lookups:
 * the visible watches are indexed by ID whenever they change, not searched. Text that is no ID by
 * `isIdInText` resolves to nothing, held or not: a peer that names a message `localhost` claims no
 * word in the user's files, not even a selected one.
 */
export class KnownIds extends DisposableStore {
  private watchesById: Map<string, Watch> | undefined;

  constructor(private readonly subscriptions: Pick<NodeSubscriptions, 'watches' | 'find'>) {
    super();
    this.register(subscriptions.watches.onDidChange(() => (this.watchesById = undefined)));
  }

  resolve(id: string): KnownId | undefined {
    if (!isIdInText(id)) {
      return undefined;
    }
    const message = this.subscriptions.find(id);
    const watch = this.watchIndex().get(id);
    return message || watch ? { id, message, watch } : undefined;
  }

  isKnown(id: string): boolean {
    return isIdInText(id) && (this.watchIndex().has(id) || this.subscriptions.find(id) !== undefined);
  }

  private watchIndex(): Map<string, Watch> {
    if (!this.watchesById) {
      // Oldest first, so the newest watch on an ID wins.
      this.watchesById = new Map(this.subscriptions.watches.list().filter((watch) => !watch.query).map((watch) => [watch.messageId, watch]));
    }
    return this.watchesById;
  }
}
