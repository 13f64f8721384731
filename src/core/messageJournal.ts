import * as fs from 'fs';
import * as path from 'path';
import { setAsideDamaged, writeFileAtomic } from './atomicFile';
import { messageFromJson, messageToJson } from './messageJson';
import type { NodeMessage } from './nodeMessage';

export interface JournalLoad {
  readonly messages: NodeMessage[];
  /** Records that could not be read (a torn last line after a crash, or damage). */
  readonly skipped: number;
  /** Where a damaged file was moved to, if it was. */
  readonly setAside?: string;
}

/**
 * Held messages on disk, as NDJSON: one record per line, appended in batches. A process killed
 * mid-write leaves at most one torn line, which loading skips. A file with damage before its last
 * line is set aside (renamed) rather than trusted, and never stops loading. When the file grows to
 * twice what is held, it is rewritten through a temporary file and a rename, so a crash during the
 * rewrite leaves the old file whole.
 */
export class MessageJournal {
  private pending: NodeMessage[] = [];
  /** More arrived between two flushes than is held: the next flush rewrites from the store. */
  private overflowed = false;
  private lines = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    readonly file: string,
    private readonly capacity: () => number,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** Reads the journal; keeps per node the newest `maxMessages`, dropping repeated node+ID records. */
  load(maxMessages: number): JournalLoad {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.onError(error as Error);
      }
      return { messages: [], skipped: 0 };
    }
    const rows = text.split('\n');
    const lastIndex = text.endsWith('\n') ? rows.length - 2 : rows.length - 1;
    const byNode = new Map<string, NodeMessage[]>();
    const seen = new Set<string>();
    let skipped = 0;
    let damaged = false;
    rows.forEach((row, index) => {
      if (row === '') {
        return;
      }
      let message: NodeMessage | undefined;
      try {
        message = messageFromJson(JSON.parse(row));
      } catch {
        message = undefined;
      }
      if (!message) {
        skipped++;
        // A torn last line is what a crash leaves; anything earlier is damage.
        damaged ||= index < lastIndex;
        return;
      }
      const key = message.id ? `${message.node}\u0000${message.id}` : undefined;
      if (key !== undefined) {
        if (seen.has(key)) {
          return;
        }
        seen.add(key);
      }
      const list = byNode.get(message.node) ?? [];
      list.push(message);
      byNode.set(message.node, list);
    });
    const messages = [...byNode.values()].flatMap((list) => list.slice(-Math.max(1, maxMessages)));
    messages.sort((a, b) => a.receivedAt - b.receivedAt);
    let setAside: string | undefined;
    if (damaged) {
      try {
        setAside = setAsideDamaged(this.file);
      } catch (error) {
        this.onError(error as Error);
      }
      this.rewrite(messages);
    }
    this.lines = messages.length;
    return { messages, skipped, setAside };
  }

  /**
   * Queues a message; `flush()` writes the queue in one append. Serialising waits for the flush,
   * and a burst larger than what is held stops queueing: most of it is evicted before it is written.
   */
  append(message: NodeMessage): void {
    if (this.overflowed) {
      return;
    }
    this.pending.push(message);
    if (this.pending.length > Math.max(1, this.capacity())) {
      this.pending = [];
      this.overflowed = true;
    }
  }

  /** Only tests read this: the queue's bound is what keeps a burst from filling memory before a flush. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Writes what is queued; rewrites the file as `current()` instead when the file has grown past
   * twice the bound or a burst overflowed the queue.
   */
  flush(current?: () => readonly NodeMessage[]): Promise<void> {
    if (this.pending.length === 0 && !this.overflowed) {
      return this.writing;
    }
    const batch = this.pending.map((message) => JSON.stringify(messageToJson(message)));
    this.pending = [];
    this.lines += batch.length;
    const compact = current !== undefined && (this.overflowed || this.lines > 2 * Math.max(1, this.capacity()));
    this.overflowed = false;
    this.writing = this.writing.then(async () => {
      try {
        if (compact && current) {
          this.rewrite(current());
        } else if (batch.length > 0) {
          await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
          await fs.promises.appendFile(this.file, `${batch.join('\n')}\n`);
        }
      } catch (error) {
        this.reportOnce(error as Error);
      }
    });
    return this.writing;
  }

  /** Replaces the file's content with exactly these messages (used by clear and compaction). */
  rewrite(messages: readonly NodeMessage[]): void {
    try {
      const body = messages.map((message) => JSON.stringify(messageToJson(message))).join('\n');
      writeFileAtomic(this.file, body ? `${body}\n` : '');
      this.lines = messages.length;
    } catch (error) {
      this.reportOnce(error as Error);
    }
  }

  /** Drops what is queued and empties the file. */
  clear(): Promise<void> {
    this.pending = [];
    this.overflowed = false;
    this.writing = this.writing.then(() => this.rewrite([]));
    return this.writing;
  }

  private reportOnce(error: Error): void {
    if (!this.failure) {
      this.failure = error;
      this.onError(error);
    }
  }
}
