// Over 300 lines: reading (chunked, bounded per node), appending under the lock, compaction and the
// failure counts share the record format, the bounds and the queue; apart, each would reach into the other.
import * as l10n from '@vscode/l10n';
import * as fs from 'fs';
import * as path from 'path';
import { setAsideDamaged, writeFileAtomic } from './atomicFile';
import { FileLock } from './fileLock';
import { messageFromJson, messageToJson } from './messageJson';
import { MessageStore, messageBytes } from '../messages/messageStore';
import type { NodeMessage } from '../nodeMessage';

/** What the journal keeps: the bounds of the held messages it mirrors. */
export interface JournalBounds {
  /** Per node. */
  readonly maxMessages: number;
  /** Per node, in `messageBytes`. */
  readonly maxBytes: number;
  /** Every node together, in `messageBytes`. */
  readonly maxTotalBytes: number;
}

export interface JournalLoad {
  readonly messages: NodeMessage[];
  /** Records that could not be read (a torn last line after a crash, or damage). */
  readonly skipped: number;
  /** Where a damaged file was moved to, if it was. */
  readonly setAside?: string;
}

/** What failed: reading, appending a batch, compacting, or getting the lock in time. */
export type JournalProblem = 'read' | 'append' | 'compact' | 'lock';

/** Read this much at a time: loading never holds the file as one string. */
const CHUNK_BYTES = 1024 * 1024;
/** A longer line is no record we wrote (a message's data is bounded well below this): damage. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** The file is compacted when it grows past this many times what it must keep. */
const COMPACT_AT = 2;

/**
 * Held messages on disk, as NDJSON: one record per line, appended in batches, shared by every
 * window of a profile. A lock file (`FileLock`) lets one process at a time append or compact, so two
 * windows never interleave their writes or compact away each other's records. A process killed
 * mid-write leaves at most one torn line, which loading skips; a file with damage before its last
 * line is set aside (renamed) rather than trusted, and never stops loading. Loading reads in chunks
 * and keeps per node what the bounds allow. When the file grows past twice its bounds (in records
 * or bytes) it is compacted from itself, through a temporary file and a rename: the other windows'
 * records survive, a crash leaves the old file whole, and the batch just appended is already safe.
 * Records repeated by two windows (same node, ID, sender, reply ID, service type, amount and data)
 * load once; two different messages with the same ID both load.
 */
export class MessageJournal {
  private pending: NodeMessage[] = [];
  private pendingBytes = 0;
  private readonly lock: FileLock;
  /** Records in the file as far as this process knows (its own appends since the last load or compaction). */
  private lines = 0;
  private readonly nodes = new Set<string>();
  private writing: Promise<void> = Promise.resolve();
  private readonly failures = new Map<JournalProblem, number>();

  constructor(
    readonly file: string,
    private readonly bounds: () => JournalBounds,
    /** Called on the 1st, 10th, 100th… failure of each kind, with the count so far. */
    private readonly onProblem: (kind: JournalProblem, error: Error, count: number) => void = () => undefined,
  ) {
    this.lock = new FileLock(file);
  }

  /** Reads the journal; keeps per node the newest messages within the bounds. */
  load(): JournalLoad {
    const read = this.read();
    if (read.error) {
      this.report('read', read.error);
      return { messages: [], skipped: 0 };
    }
    let setAside: string | undefined;
    if (read.damaged) {
      try {
        setAside = setAsideDamaged(this.file);
      } catch (error) {
        this.report('read', error as Error);
      }
      this.rewrite(read.messages);
    }
    this.lines = read.messages.length;
    return { messages: read.messages, skipped: read.skipped, setAside };
  }

  /**
   * Queues a message; `flush()` writes the queue in one append. The queue keeps the newest within
   * the bounds: in a burst larger than what is held, the oldest would be evicted before being written.
   */
  append(message: NodeMessage): void {
    this.pending.push(message);
    this.pendingBytes += messageBytes(message);
    this.nodes.add(message.node);
    const bounds = this.bounds();
    if (this.pending.length > 2 * bounds.maxMessages * this.nodes.size || this.pendingBytes > 2 * bounds.maxTotalBytes) {
      this.trimPending(bounds);
    }
  }

  /** Only tests read this: the queue's bound is what keeps a burst from filling memory before a flush. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Writes what is queued, under the lock; compacts the file afterwards when it has grown past
   * twice its bounds. A batch that could not be written goes back to the queue for the next flush.
   */
  flush(): Promise<void> {
    if (this.pending.length === 0) {
      return this.writing;
    }
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  /** Replaces the file's content with exactly these messages (a damaged file's recovered records). */
  rewrite(messages: readonly NodeMessage[]): void {
    if (!this.lock.acquireSync()) {
      this.reportHeldElsewhere();
      return;
    }
    try {
      writeFileAtomic(this.file, recordsOf(messages));
      this.lines = messages.length;
    } catch (error) {
      this.report('compact', error as Error);
    } finally {
      this.lock.release();
    }
  }

  /** Drops what is queued and empties the file. */
  clear(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = this.writing.then(() => this.rewrite([]));
    return this.writing;
  }

  private async write(batch: NodeMessage[]): Promise<void> {
    if (!(await this.lock.acquire())) {
      this.requeue(batch);
      this.reportHeldElsewhere();
      return;
    }
    try {
      try {
        await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
        await fs.promises.appendFile(this.file, recordsOf(batch));
      } catch (error) {
        this.requeue(batch);
        this.report('append', error as Error);
        return;
      }
      this.lines += batch.length;
      if (this.needsCompaction()) {
        this.compact();
      }
    } finally {
      this.lock.release();
    }
  }

  private needsCompaction(): boolean {
    const bounds = this.bounds();
    if (this.lines > COMPACT_AT * bounds.maxMessages * Math.max(1, this.nodes.size)) {
      return true;
    }
    try {
      // Base64 and the JSON around it: a record takes about 1.4 times its `messageBytes`.
      return fs.statSync(this.file).size > COMPACT_AT * 1.5 * bounds.maxTotalBytes;
    } catch {
      return false;
    }
  }

  /** Rewrites the file from itself (every window's records), within the bounds. Holds the lock. */
  private compact(): void {
    const read = this.read();
    if (read.error) {
      this.report('compact', read.error);
      return;
    }
    try {
      writeFileAtomic(this.file, recordsOf(read.messages));
      this.lines = read.messages.length;
    } catch (error) {
      this.report('compact', error as Error);
    }
  }

  /** Streams the file in chunks into bounded per-node stores. */
  private read(): { messages: NodeMessage[]; skipped: number; damaged: boolean; error?: Error } {
    const bounds = this.bounds();
    const stores = new Map<string, MessageStore>();
    let skipped = 0;
    let lastWasBad = false;
    let badBeforeLast = false;
    const take = (row: Buffer | undefined): void => {
      if (badBeforeLast === false && lastWasBad) {
        badBeforeLast = true;
      }
      lastWasBad = false;
      let message: NodeMessage | undefined;
      if (row) {
        try {
          message = messageFromJson(JSON.parse(row.toString('utf8')));
        } catch {
          message = undefined;
        }
      }
      if (!message) {
        skipped++;
        lastWasBad = true;
        return;
      }
      let store = stores.get(message.node);
      if (!store) {
        store = new MessageStore(bounds.maxMessages, bounds.maxBytes);
        stores.set(message.node, store);
      }
      const held = message.id ? store.get(message.id) : undefined;
      if (!held || !sameMessage(held, message)) {
        store.append(message);
      }
      this.nodes.add(message.node);
    };
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      return { messages: [], skipped: 0, damaged: false, error: missing ? undefined : (error as Error) };
    }
    try {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      let carry: Buffer[] = [];
      let carried = 0;
      let tooLong = false;
      for (;;) {
        const count = fs.readSync(fd, chunk, 0, CHUNK_BYTES, null);
        if (count === 0) {
          break;
        }
        let start = 0;
        for (let end = chunk.indexOf(10, 0); end !== -1 && end < count; end = chunk.indexOf(10, start)) {
          const piece = chunk.subarray(start, end);
          if (carried > 0 || tooLong) {
            take(tooLong ? undefined : Buffer.concat([...carry, piece]));
          } else if (piece.length > 0) {
            take(piece);
          }
          carry = [];
          carried = 0;
          tooLong = false;
          start = end + 1;
        }
        if (start < count && !tooLong) {
          carried += count - start;
          tooLong = carried > MAX_LINE_BYTES;
          carry = tooLong ? [] : [...carry, Buffer.from(chunk.subarray(start, count))];
        }
      }
      if (carried > 0 || tooLong) {
        // The last line has no newline: what a crash mid-append leaves.
        take(tooLong ? undefined : Buffer.concat(carry));
      }
    } catch (error) {
      return { messages: [], skipped, damaged: false, error: error as Error };
    } finally {
      fs.closeSync(fd);
    }
    const messages = [...stores.values()].flatMap((store) => store.toArray());
    messages.sort((a, b) => a.receivedAt - b.receivedAt);
    return { messages: withinTotal(messages, bounds.maxTotalBytes), skipped, damaged: badBeforeLast };
  }

  private requeue(batch: NodeMessage[]): void {
    this.pending = [...batch, ...this.pending];
    this.pendingBytes = this.pending.reduce((sum, message) => sum + messageBytes(message), 0);
    this.trimPending(this.bounds());
  }

  /** Keeps the newest of the queue within the bounds (what all nodes can hold, in count and bytes). */
  private trimPending(bounds: JournalBounds): void {
    let drop = Math.max(0, this.pending.length - bounds.maxMessages * Math.max(1, this.nodes.size));
    let bytes = this.pendingBytes;
    for (let i = 0; i < drop; i++) {
      bytes -= messageBytes(this.pending[i] as NodeMessage);
    }
    while (drop < this.pending.length - 1 && bytes > bounds.maxTotalBytes) {
      bytes -= messageBytes(this.pending[drop] as NodeMessage);
      drop++;
    }
    this.pending = this.pending.slice(drop);
    this.pendingBytes = bytes;
  }

  /** Another window holds the lock: this one leaves the file alone, and says so. */
  private reportHeldElsewhere(): void {
    this.report('lock', new Error(l10n.t('{0} is held by another window', this.lock.file)));
  }

  private report(kind: JournalProblem, error: Error): void {
    const count = (this.failures.get(kind) ?? 0) + 1;
    this.failures.set(kind, count);
    // The first failure of a kind, then every power of ten: a disk that stays full keeps saying so.
    if (Number.isInteger(Math.log10(count))) {
      this.onProblem(kind, error, count);
    }
  }
}

function recordsOf(messages: readonly NodeMessage[]): string {
  if (messages.length === 0) {
    return '';
  }
  return `${messages.map((message) => JSON.stringify(messageToJson(message))).join('\n')}\n`;
}

/** The same record written twice (by two windows): everything but the receive time is equal. */
function sameMessage(a: NodeMessage, b: NodeMessage): boolean {
  return (
    a.replyToId === b.replyToId &&
    a.fromPubkey === b.fromPubkey &&
    a.serviceType === b.serviceType &&
    a.amount === b.amount &&
    Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(b.data)
  );
}

/** The newest messages (sorted oldest first) whose bytes fit `maxTotalBytes`. */
function withinTotal(messages: NodeMessage[], maxTotalBytes: number): NodeMessage[] {
  let bytes = 0;
  let first = messages.length;
  while (first > 0 && bytes + messageBytes(messages[first - 1] as NodeMessage) <= maxTotalBytes) {
    first--;
    bytes += messageBytes(messages[first] as NodeMessage);
  }
  return first === 0 ? messages : messages.slice(first);
}
