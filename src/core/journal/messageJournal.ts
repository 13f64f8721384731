// The journal of held messages: reading (chunked, bounded per node), appending under the lock,
// compaction and the failure counts, which share the record format, the bounds and the queue.
import * as l10n from '@vscode/l10n';
import * as fs from 'fs';
import * as path from 'path';
import { setAsideDamaged, sweepTemporaries, writeFileAtomicSteps } from './atomicFile';
import { runInTurns, runNow, stableOrderSteps, type Steps } from '../base/steps';
import { FileLock } from './fileLock';
import { KeptLines } from './keptLines';
import { messageFromJson, messageToJson, recordFromJson, sameRecord, type MessageRecord } from './messageJson';
import { MessageStore } from '../messages/messageStore';
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

export interface JournalOptions {
  /** How long the lock may go untouched before another window takes it over. */
  readonly lockStaleMs?: number;
  /** Writes one piece of a file written whole (compaction, rewrite); tests make it fail or watch it. */
  readonly writePiece?: (fd: number, piece: string | Uint8Array) => void;
  /** How long a turn of the event loop lasts for a compaction or `loadInTurns` (`runInTurns`); tests set 0 for a step a turn. */
  readonly turnMs?: number;
}

/** Where the file stood after this process's last look at it under the lock. */
interface Extent {
  readonly ino: number;
  readonly size: number;
  /** Newlines: records, and the odd torn or damaged line. */
  readonly lines: number;
}

/** Read this much at a time: loading never holds the file as one string. */
const CHUNK_BYTES = 1024 * 1024;
/** A longer line is no record we wrote (a message's data is bounded well below this): damage. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** The bytes at the end of a compacted file the next compaction checks before it starts from where that file ended. */
const END_BYTES = 256;
/** The file is compacted when it grows past this many times what it must keep. */
const COMPACT_AT = 2;
const NEWLINE = 10;
/** Records are written in pieces of about this many characters, never as one string. */
const PIECE_CHARS = 1024 * 1024;
/**
 * A compaction runs in turns of the event loop (`runInTurns`, a few milliseconds each), so the
 * extension host's other work goes on while it reads and rewrites the file: a step reads this many
 * records, or writes a piece this long (each well under a millisecond for messages of a few KB).
 */
const COMPACT_STEP_RECORDS = 16;
/** A load (`loadInTurns`) takes a step after this many records read, and after as many messages built. */
const LOAD_STEP_RECORDS = 64;
const COMPACT_PIECE_BYTES = 16 * 1024;
/**
 * An append writes pieces this long, each written from the queue's data into one buffer as it is
 * written (a fraction of a millisecond's work, no message built), so a queue of tens of thousands
 * of messages never holds up the event loop.
 */
const APPEND_PIECE_BYTES = 128 * 1024;
/** After a failed compaction, the next waits until the file has grown by half, or this long. */
const COMPACT_RETRY_MS = 10 * 60 * 1000;

/**
 * Held messages on disk, as NDJSON: one record per line, appended in batches, shared by every
 * window of a profile. A lock (`FileLock`) lets one process at a time append or compact, so two
 * windows never interleave their writes or compact away each other's records. A process killed
 * mid-write leaves at most one record cut short, which loading skips (the next append starts on a
 * new line); a file with other damage is set aside (renamed) rather than trusted, and never stops
 * loading. Loading reads in chunks and keeps per node what the bounds allow. When the file grows
 * past twice its bounds (in records or bytes, counting every window's appends) it is compacted from
 * itself, through a temporary file of its own and a rename: the other windows' records survive, a
 * crash leaves the old file whole, and the batch just appended is already safe. Records are written
 * in pieces, never joined into one string; a compaction that fails is not tried again until the
 * file has grown by half, or ten minutes have passed. Records repeated by two windows (same node,
 * ID, sender, reply ID, service type, amount and data) load once; two different messages with the
 * same ID both load.
 */
export class MessageJournal {
  /**
   * The queue: held as data (a `MessageStore` of its own), not as the message objects the event
   * handed over, so a burst queued for the next flush leaves the garbage collector nothing to copy.
   */
  private pending = newQueue();
  /** The last batch written, emptied with its room kept: the next queue, so it need not grow again. */
  private spare: MessageStore | undefined;
  private readonly lock: FileLock;
  /** The file as this process last saw it; unknown at first, and after a failed append. */
  private extent: Extent | undefined;
  private readonly nodes = new Set<string>();
  private writing: Promise<void> = Promise.resolve();
  private readonly failures = new Map<JournalProblem, number>();
  /** What this window's last compaction wrote and kept: the next reads only the lines appended after it, while the file is that one. */
  private compacted: CompactedFile | undefined;
  private linesRead = 0;
  /** The errors of a read and of a compaction that found the file changed under them. */
  private readonly changedWhileRead = (): Error => new Error(l10n.t('{0} changed while it was read', this.file));
  private readonly changedWhileCompacted = (): Error => new Error(l10n.t('{0} changed while it was compacted, and was left as it was', this.file));
  /** After a failed compaction: the size, or the time, from which the next is tried. */
  private compactRetry: { readonly size: number; readonly at: number } | undefined;

  constructor(
    readonly file: string,
    private readonly bounds: () => JournalBounds,
    /** Called on the 1st, 10th, 100th… failure of each kind, with the count so far. */
    private readonly onProblem: (kind: JournalProblem, error: Error, count: number) => void = () => undefined,
    private readonly options: JournalOptions = {},
  ) {
    this.lock = new FileLock(file, options.lockStaleMs);
  }

  /** Reads the journal; keeps per node the newest messages within the bounds. */
  load(): JournalLoad {
    return runNow(this.loadSteps());
  }

  /**
   * `load()` in turns of the event loop (`runInTurns`), so a file of tens of thousands of messages
   * does not hold up the window while it is read. The file stays open until the messages are
   * built: another window's compaction meanwhile replaces the file, not what this read sees.
   */
  loadInTurns(): Promise<JournalLoad> {
    return runInTurns(this.loadSteps(), this.options.turnMs);
  }

  private *loadSteps(): Steps<JournalLoad> {
    const first = yield* this.readMessages();
    if (first.read.error) {
      this.report('read', first.read.error);
      return { messages: [], skipped: 0 };
    }
    this.extent = first.read.extent;
    return first.read.damaged ? this.recover(first) : { messages: first.messages, skipped: first.read.skipped };
  }

  /**
   * Queues a message; `flush()` writes the queue in one append. The queue keeps the newest within
   * the bounds: in a burst larger than what is held, the oldest would be evicted before being written.
   * It holds them as data, like the store (see `pending`). With `held`, the store that holds the
   * message and its arrival number there (`MessageStore.newestSequenceOf`), its record is copied
   * from that store's data instead of written from the object again.
   */
  append(message: NodeMessage, held?: MessageStore, sequence = -1): void {
    this.nodes.add(message.node);
    this.boundPending(this.bounds());
    if (!held || sequence < 0 || !this.pending.appendCopy(held, sequence)) {
      this.pending.append(message);
    }
  }

  /** Only tests read this: the lines the last read went through (fewer than the file's when a compaction started from the last one's). */
  get lastReadLines(): number {
    return this.linesRead;
  }

  /** Only tests read this: the queue's bound is what keeps a burst from filling memory before a flush. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Writes what is queued, under the lock; compacts the file afterwards when it has grown past
   * twice its bounds. The queue is taken once the lock is held (what was queued meanwhile goes
   * too); a batch that could not be written goes back to the queue for the next flush.
   */
  flush(): Promise<void> {
    if (this.pending.size === 0) {
      return this.writing;
    }
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Replaces the file's content with exactly these messages. */
  rewrite(messages: readonly NodeMessage[]): void {
    if (!this.lock.acquireSync()) {
      this.reportHeldElsewhere();
      return;
    }
    try {
      this.replace(messages);
    } catch (error) {
      this.report('compact', error as Error);
    } finally {
      this.lock.release();
    }
  }

  /** Drops what is queued and empties the file. */
  clear(): Promise<void> {
    this.pending.clear();
    this.writing = this.writing.then(() => this.rewrite([]));
    return this.writing;
  }

  /**
   * Sets a damaged file aside and writes back what could be read. Under the lock, and from a
   * second read: an append another window made since the first read is not set aside with it.
   */
  private recover(first: MessagesRead): JournalLoad {
    if (!this.lock.acquireSync()) {
      this.reportHeldElsewhere();
      return { messages: first.messages, skipped: first.read.skipped };
    }
    try {
      let setAside: string | undefined;
      // The kept lines are copied from the file read, still open once it is set aside.
      const { read, messages } = runNow(this.readMessages((read, fd) => {
        if (!read.damaged) {
          return;
        }
        try {
          setAside = setAsideDamaged(this.file);
        } catch (error) {
          this.report('read', error as Error);
        }
        try {
          runNow(this.writeSteps(read.kept.linesOf(fd, COMPACT_PIECE_BYTES, this.changedWhileRead), read.kept.length));
        } catch (error) {
          this.report('compact', error as Error);
        }
      }));
      if (read.error) {
        this.report('read', read.error);
        return { messages: first.messages, skipped: first.read.skipped };
      }
      return { messages, skipped: read.skipped, setAside };
    } finally {
      this.lock.release();
    }
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) {
      // An earlier flush's write took it.
      return;
    }
    let locked: boolean;
    try {
      locked = await this.lock.acquire();
    } catch (error) {
      this.report('lock', error as Error);
      return;
    }
    if (!locked) {
      this.reportHeldElsewhere();
      return;
    }
    try {
      // The queue itself is the batch: its records are written from its data a piece at a
      // time, and no message is built.
      const batch = this.pending;
      // Bounded as the next append queues into it.
      this.pending = this.spare ?? newQueue();
      this.spare = undefined;
      try {
        await this.appendUnderLock(batch);
      } catch (error) {
        this.extent = undefined;
        this.requeue(batch);
        this.report('append', error as Error);
        return;
      }
      batch.clear(true);
      this.spare = batch;
      if (this.needsCompaction()) {
        await this.compact();
      }
    } finally {
      this.lock.release();
    }
  }

  /**
   * Appends in pieces. Counts the lines other windows appended since this one last looked (the
   * whole file, after another compacted it), so the bound holds however many windows write; starts
   * on a new line when a window killed mid-append left a record cut short, which would otherwise
   * swallow this batch's first record.
   */
  private async appendUnderLock(batch: MessageStore): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    const handle = await fs.promises.open(this.file, 'a+');
    try {
      const { ino, size } = await handle.stat();
      const known = this.extent && this.extent.ino === ino && this.extent.size <= size ? this.extent : undefined;
      const lines = (known?.lines ?? 0) + (await countNewlines(handle, known?.size ?? 0, size));
      const cutShort = size > 0 && (await byteAt(handle, size - 1)) !== NEWLINE;
      for (const piece of batch.jsonLines(APPEND_PIECE_BYTES, cutShort ? '\n' : '')) {
        await handle.appendFile(piece);
        this.lock.refresh();
      }
      if (!this.lock.verify() && (await fs.promises.stat(this.file).catch(() => undefined))?.ino !== ino) {
        // Stopped past the stale time, this window lost the lock, and another compacted the file
        // meanwhile: the batch went to the file replaced. It stays queued for the next flush.
        throw new Error(l10n.t('{0} was compacted by another window while this one wrote to it', this.file));
      }
      this.extent = { ino, size: (await handle.stat()).size, lines: lines + batch.size + (cutShort ? 1 : 0) };
    } finally {
      await handle.close();
    }
  }

  private needsCompaction(): boolean {
    const extent = this.extent;
    if (!extent || (this.compactRetry && extent.size < this.compactRetry.size && Date.now() < this.compactRetry.at)) {
      return false;
    }
    const bounds = this.bounds();
    // Base64 and the JSON around it: a record takes about 1.4 times its `messageBytes`.
    return extent.lines > COMPACT_AT * bounds.maxMessages * Math.max(1, this.nodes.size) || extent.size > COMPACT_AT * 1.5 * bounds.maxTotalBytes;
  }

  /**
   * Rewrites the file from itself (every window's records), within the bounds. Holds the lock, and
   * renames only while it still does and the file is the one it read: no append is ever dropped.
   */
  private async compact(): Promise<void> {
    sweepTemporaries(this.file);
    // What the last compaction kept is read from only if this one goes as far as the rename.
    const from = this.compacted;
    this.compacted = undefined;
    try {
      const fd = this.openToRead();
      if (typeof fd !== 'number') {
        throw fd.error ?? new Error(l10n.t('{0} is missing', this.file));
      }
      // The kept records are copied as the lines they were read from, never built again: the
      // file read stays open (its content is that of the inode read, whatever a rename does).
      let kept: KeptRecords;
      try {
        const read = await runInTurns(this.readSteps(fd, COMPACT_STEP_RECORDS, from), this.options.turnMs);
        if (read.error || !read.extent) {
          throw read.error ?? new Error(l10n.t('{0} is missing', this.file));
        }
        const extent = read.extent;
        const beforeRename = () => {
          const now = fs.statSync(this.file);
          if (!this.lock.verify() || now.ino !== extent.ino || now.size !== extent.size) {
            throw this.changedWhileCompacted();
          }
        };
        const pieces = read.kept.linesOf(fd, COMPACT_PIECE_BYTES, this.changedWhileCompacted);
        await runInTurns(this.writeSteps(pieces, read.kept.length, beforeRename), this.options.turnMs);
        kept = read.kept;
      } finally {
        fs.closeSync(fd);
      }
      this.compactRetry = undefined;
      // Should the file be gone or replaced already, the next compaction reads it whole.
      this.compacted = await runInTurns(this.compactedSteps(kept, COMPACT_STEP_RECORDS), this.options.turnMs).catch(() => undefined);
    } catch (error) {
      // Retrying at every flush would read the whole file again each time, for the same failure.
      this.compactRetry = { size: 1.5 * (this.extent?.size ?? 0), at: Date.now() + COMPACT_RETRY_MS };
      this.report('compact', error as Error);
    }
  }

  /** Writes the file whole, in pieces, keeping the lock alive meanwhile. Holds the lock; throws. */
  private replace(messages: readonly NodeMessage[]): void {
    this.compacted = undefined;
    runNow(this.writeSteps(piecesOf(messages), messages.length));
  }

  /** Writes the file whole from `pieces` (`lines` records), keeping the lock alive meanwhile: a step after each piece. */
  private *writeSteps(pieces: Iterable<string | Uint8Array>, lines: number, beforeRename?: () => void): Steps<void> {
    yield* writeFileAtomicSteps(this.file, pieces, { write: this.options.writePiece, onPiece: () => this.lock.refresh(), beforeRename });
    const { ino, size } = fs.statSync(this.file);
    this.extent = { ino, size, lines };
  }

  /**
   * Reads the file at once (`readSteps`), then builds the kept messages from their lines in the
   * file still open: each kept record is built once, and nothing else is. `thenWith` runs with the
   * file still open too (a recovery copies the kept lines from it). No messages when the read failed.
   */
  private *readMessages(thenWith?: (read: ReadResult, fd: number) => void): Steps<MessagesRead> {
    const fd = this.openToRead();
    if (typeof fd !== 'number') {
      return { read: fd, messages: [] };
    }
    try {
      const read = yield* this.readSteps(fd, LOAD_STEP_RECORDS);
      if (read.error) {
        return { read, messages: [] };
      }
      const messages: NodeMessage[] = [];
      try {
        for (const message of read.kept.messagesOf(fd, this.changedWhileRead)) {
          if (messages.push(message) % LOAD_STEP_RECORDS === 0) {
            yield;
          }
        }
      } catch (error) {
        return { read: { ...read, error: error as Error }, messages: [] };
      }
      thenWith?.(read, fd);
      return { read, messages };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The file opened to read, or what a read of it gives when it cannot be: nothing when it is missing, else the error. */
  private openToRead(): number | ReadResult {
    try {
      return fs.openSync(this.file, 'r');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      return { kept: KeptRecords.NONE, skipped: 0, damaged: false, error: missing ? undefined : (error as Error) };
    }
  }

  /**
   * Streams the open file `fd` in chunks, keeping per node where the lines of
   * the records within the bounds are (`KeptLines`), not the messages: what a load builds its
   * messages from (`KeptRecords.messagesOf`) and a compaction copies (`KeptRecords.linesOf`).
   * Keeps the lock alive while it reads; a step after every `stepRecords` records, and after each
   * node's records are listed. With `from` (what this window's last compaction wrote) and the file
   * still the one it wrote, grown only by appends, the read starts where that file ended, from the
   * lines it kept.
   */
  private *readSteps(fd: number, stepRecords = Number.POSITIVE_INFINITY, from?: CompactedFile): Steps<ReadResult> {
    const bounds = this.bounds();
    const stores = new Map<string, KeptLines>();
    let skipped = 0;
    let lastWasBad = false;
    let badBeforeLast = false;
    const lineReader = new LineReader(fd, this.changedWhileRead);
    const keep = (row: Buffer, rowStart: number): string | undefined => {
      const record = parseRow(row, recordFromJson);
      if (!record) {
        return undefined;
      }
      let kept = stores.get(record.node);
      if (!kept) {
        kept = new KeptLines(bounds.maxMessages, bounds.maxBytes);
        stores.set(record.node, kept);
      }
      if (!repeatsNewest(kept, record, lineReader)) {
        kept.add(record, rowStart, row.length, lineReader.id);
      }
      return record.node;
    };
    const take = (row: Buffer | undefined, rowStart: number): void => {
      if (badBeforeLast === false && lastWasBad) {
        badBeforeLast = true;
      }
      lastWasBad = false;
      const node = row && keep(row, rowStart);
      if (node === undefined) {
        skipped++;
        // A record cut short by a crash mid-append, which other windows' records may follow, is no damage.
        lastWasBad = !(row && row[0] === 0x7b && row[1] === 0x22);
        return;
      }
      this.nodes.add(node);
    };
    let extent: Extent;
    try {
      const { ino } = fs.fstatSync(fd);
      const resumed = from && continues(fd, from, bounds) ? from : undefined;
      for (const [node, kept] of resumed?.stores ?? []) {
        stores.set(node, kept);
      }
      let size = resumed?.size ?? 0;
      let lines = resumed?.lines ?? 0;
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      let carry: Buffer[] = [];
      let carried = 0;
      /** Where the line carried over from the chunks before starts in the file. */
      let carryStart = 0;
      let tooLong = false;
      for (;;) {
        const count = fs.readSync(fd, chunk, 0, CHUNK_BYTES, size);
        if (count === 0) {
          break;
        }
        const chunkStart = size;
        size += count;
        this.lock.refresh();
        let start = 0;
        for (let end = chunk.indexOf(NEWLINE, 0); end !== -1 && end < count; end = chunk.indexOf(NEWLINE, start)) {
          lines++;
          const piece = chunk.subarray(start, end);
          if (carried > 0 || tooLong) {
            take(tooLong ? undefined : Buffer.concat([...carry, piece]), carryStart);
          } else if (piece.length > 0) {
            take(piece, chunkStart + start);
          }
          carry = [];
          carried = 0;
          tooLong = false;
          start = end + 1;
          if (lines % stepRecords === 0) {
            yield;
          }
        }
        if (start < count && !tooLong) {
          if (carried === 0) {
            carryStart = chunkStart + start;
          }
          carried += count - start;
          tooLong = carried > MAX_LINE_BYTES;
          carry = tooLong ? [] : [...carry, Buffer.from(chunk.subarray(start, count))];
        }
      }
      if (carried > 0 || tooLong) {
        // The last line has no newline: what a crash mid-append leaves.
        take(tooLong ? undefined : Buffer.concat(carry), carryStart);
      }
      extent = { ino, size, lines };
      this.linesRead = lines - (resumed?.lines ?? 0);
    } catch (error) {
      return { kept: KeptRecords.NONE, skipped, damaged: false, error: error as Error };
    }
    yield;
    const kept = yield* KeptRecords.ofSteps(stores, bounds.maxTotalBytes);
    return { kept, skipped, damaged: badBeforeLast, extent };
  }

  /**
   * What the compaction that just wrote `kept` leaves for the next one: the kept lines indexed
   * where they are now in the file, as a read of it would index them (a record repeated in what
   * was kept counted once), and how to tell the file is still the one written. A step every
   * `stepRecords` lines; `undefined` if the file is not the one written any more.
   */
  private *compactedSteps(kept: KeptRecords, stepRecords: number): Steps<CompactedFile | undefined> {
    const extent = this.extent;
    const fd = fs.openSync(this.file, 'r');
    try {
      const stat = fs.fstatSync(fd);
      if (!extent || stat.ino !== extent.ino || stat.size !== extent.size) {
        return undefined;
      }
      const lineReader = new LineReader(fd, this.changedWhileCompacted);
      const stores = yield* kept.rewrittenSteps(lineReader, stepRecords);
      const end = Buffer.alloc(Math.min(END_BYTES, extent.size));
      lineReader.read(end, extent.size - end.length);
      return { ino: stat.ino, birthtimeMs: stat.birthtimeMs, size: extent.size, lines: extent.lines, end, stores };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Puts a batch that was not written back before what was queued since (the newest within the bounds). */
  private requeue(batch: MessageStore): void {
    const newer = this.pending;
    this.pending = batch;
    this.boundPending(this.bounds());
    for (const message of newer.messages()) {
      this.pending.append(message);
    }
  }

  /**
   * Keeps the queue to what all nodes can hold, in count and bytes, the newest: in a burst larger
   * than that, the oldest would be evicted before being written. The newest message always stays.
   */
  private boundPending(bounds: JournalBounds): void {
    const maxMessages = bounds.maxMessages * Math.max(1, this.nodes.size);
    const maxBytes = bounds.maxTotalBytes;
    if (this.pending.capacity !== maxMessages || this.pending.byteBudget !== maxBytes) {
      this.pending.resize(maxMessages, maxBytes);
    }
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

interface ReadResult {
  /** What the file keeps, oldest first (by the time received), within the bounds. */
  readonly kept: KeptRecords;
  readonly skipped: number;
  readonly damaged: boolean;
  readonly error?: Error;
  /** What was read, when the file was there. */
  readonly extent?: Extent;
}

/** A read with the kept messages built (`readMessages`). */
/** A queue of messages to write: a store read in order only, which keeps no lookups. */
function newQueue(): MessageStore {
  return new MessageStore(1, Number.POSITIVE_INFINITY, { lookups: false });
}

interface MessagesRead {
  readonly read: ReadResult;
  readonly messages: NodeMessage[];
}

/** Records as NDJSON in pieces of about `pieceChars`: a file of any size is never one string. */
function* piecesOf(messages: Iterable<NodeMessage>, first = '', pieceChars = PIECE_CHARS): Generator<string> {
  let piece = first;
  for (const message of messages) {
    piece += `${JSON.stringify(messageToJson(message))}\n`;
    if (piece.length >= pieceChars) {
      yield piece;
      piece = '';
    }
  }
  if (piece.length > 0) {
    yield piece;
  }
}

async function countNewlines(handle: fs.promises.FileHandle, from: number, to: number): Promise<number> {
  const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, to - from)));
  let count = 0;
  for (let at = from; at < to; ) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, to - at), at);
    if (bytesRead === 0) {
      break;
    }
    for (let i = chunk.indexOf(NEWLINE); i !== -1 && i < bytesRead; i = chunk.indexOf(NEWLINE, i + 1)) {
      count++;
    }
    at += bytesRead;
  }
  return count;
}

async function byteAt(handle: fs.promises.FileHandle, position: number): Promise<number | undefined> {
  const byte = Buffer.alloc(1);
  const { bytesRead } = await handle.read(byte, 0, 1, position);
  return bytesRead === 1 ? byte[0] : undefined;
}

/** The same record written twice (by two windows): everything but the receive time is equal. */
/**
 * The records a read keeps, as the lines it kept per node (`KeptLines`) and their order (oldest
 * received first, within the total byte budget). A message is built only from its line, when it
 * is reached (`messagesOf`), so a load of tens of thousands of records never holds more than the
 * kept messages; a compaction copies the lines as they are (`linesOf`).
 */
class KeptRecords {
  static readonly NONE = new KeptRecords([], [], new Uint32Array(0), new Uint32Array(0));

  private constructor(
    /** The nodes, as `stores`. */
    private readonly nodes: readonly string[],
    private readonly stores: readonly KeptLines[],
    /** Per kept record, oldest first: which store, and its arrival number there. */
    private readonly storeOf: Uint32Array,
    private readonly sequenceOf: Uint32Array,
  ) {}

  /**
   * The stores' records ordered by the time received, the oldest dropped past `maxTotalBytes`;
   * a step for listing them, steps for ordering them and one for the budget (each a few ms for 50,000).
   */
  static *ofSteps(byNode: ReadonlyMap<string, KeptLines>, maxTotalBytes: number): Steps<KeptRecords> {
    const stores = [...byNode.values()];
    const total = stores.reduce((sum, store) => sum + store.size, 0);
    const storeOf = new Uint32Array(total);
    const sequenceOf = new Uint32Array(total);
    const receivedAt = new Float64Array(total);
    let at = 0;
    stores.forEach((store, index) => {
      for (let sequence = store.firstSequence; sequence < store.firstSequence + store.size; sequence++) {
        storeOf[at] = index;
        sequenceOf[at] = sequence;
        receivedAt[at] = store.receivedAtOf(sequence) ?? 0;
        at++;
      }
    });
    yield;
    // Stable: records received at the same time keep the order they were read in.
    const order = yield* stableOrderSteps(receivedAt);
    yield;
    // The newest that fit in the total budget.
    let first = total;
    let bytes = 0;
    while (first > 0) {
      const index = order[first - 1] as number;
      const size = stores[storeOf[index] as number]?.bytesOfSequence(sequenceOf[index] as number) ?? 0;
      if (bytes + size > maxTotalBytes) {
        break;
      }
      bytes += size;
      first--;
    }
    const keptStores = new Uint32Array(total - first);
    const keptSequences = new Uint32Array(total - first);
    for (let i = first; i < total; i++) {
      const index = order[i] as number;
      keptStores[i - first] = storeOf[index] as number;
      keptSequences[i - first] = sequenceOf[index] as number;
    }
    return new KeptRecords([...byNode.keys()], stores, keptStores, keptSequences);
  }

  get length(): number {
    return this.storeOf.length;
  }

  /**
   * The kept lines as `linesOf` wrote them, one after another from the start of the file `reader`
   * reads, indexed per node as a read of that file would index them: a line whose record repeats
   * the newest kept with its ID is written but not kept (the IDs are read from the file only when
   * their hashes are equal). A step every `stepRecords` lines.
   */
  *rewrittenSteps(reader: LineReader, stepRecords: number): Steps<Map<string, KeptLines>> {
    const rewritten = new Map<string, KeptLines>();
    let start = 0;
    for (let i = 0; i < this.storeOf.length; i++) {
      const index = this.storeOf[i] as number;
      const from = this.stores[index] as KeptLines;
      const sequence = this.sequenceOf[i] as number;
      const line = this.lineAt(i);
      const node = this.nodes[index] as string;
      let to = rewritten.get(node);
      if (!to) {
        to = from.emptyLike();
        rewritten.set(node, to);
      }
      // The record is read back only when a kept line's ID may be its own.
      const record = to.mayHoldIdOf(from, sequence) ? reader.record(start, line.length) : undefined;
      if (!record || !repeatsNewest(to, record, reader)) {
        to.addFrom(from, sequence, start, reader.id);
      }
      start += line.length + 1;
      if ((i + 1) % stepRecords === 0) {
        yield;
      }
    }
    return rewritten;
  }

  /**
   * The kept records as the lines they were read from in `fd`, oldest first, each with its newline,
   * in pieces of about `pieceBytes` (a longer line is a piece of its own). The pieces share one
   * buffer: each must be written before the next is asked for. Throws `changed()` if a line is not
   * there any more.
   */
  *linesOf(fd: number, pieceBytes: number, changed: () => Error): Generator<Uint8Array> {
    let piece = Buffer.allocUnsafe(pieceBytes);
    let used = 0;
    for (const line of this.eachLine(fd, changed)) {
      if (used > 0 && used + line.length + 1 > piece.length) {
        yield piece.subarray(0, used);
        used = 0;
      }
      if (line.length + 1 > piece.length) {
        piece = Buffer.allocUnsafe(line.length + 1);
      }
      line.copy(piece, used);
      piece[used + line.length] = NEWLINE;
      used += line.length + 1;
    }
    if (used > 0) {
      yield piece.subarray(0, used);
    }
  }

  /** The kept messages, oldest first, each built from the line it was read from in `fd`; throws `changed()` if a line is not that record any more. */
  *messagesOf(fd: number, changed: () => Error): Generator<NodeMessage> {
    for (const line of this.eachLine(fd, changed)) {
      const message = parseRow(line, messageFromJson);
      if (!message) {
        throw changed();
      }
      yield message;
    }
  }

  /**
   * Each kept line read from `fd`, oldest first, without its newline: a view of a window of the
   * file, read in order mostly so that one read serves many, valid until the next line is asked
   * for (a line longer than the window is read on its own). Throws `changed()` if a line is not
   * there any more.
   */
  private *eachLine(fd: number, changed: () => Error): Generator<Buffer> {
    const window = Buffer.allocUnsafe(CHUNK_BYTES);
    let windowStart = 0;
    let windowEnd = 0;
    for (let i = 0; i < this.storeOf.length; i++) {
      const { start, length } = this.lineAt(i);
      if (length > window.length) {
        const long = Buffer.allocUnsafe(length);
        readExactly(fd, long, 0, length, start, changed);
        yield long;
        continue;
      }
      if (start < windowStart || start + length > windowEnd) {
        windowStart = start;
        windowEnd = start + fs.readSync(fd, window, 0, window.length, start);
        if (start + length > windowEnd) {
          throw changed();
        }
      }
      yield window.subarray(start - windowStart, start - windowStart + length);
    }
  }

  /** Where the `i`th kept record's line is. */
  private lineAt(i: number): { start: number; length: number } {
    const line = this.stores[this.storeOf[i] as number]?.lineOf(this.sequenceOf[i] as number);
    if (!line) {
      throw new Error('a kept record is no longer kept');
    }
    return line;
  }
}

/** Reads `length` bytes at `position` of `fd` into `target` at `at`, or throws `changed()` if the file is shorter. */
function readExactly(fd: number, target: Buffer, at: number, length: number, position: number, changed: () => Error): void {
  for (let done = 0; done < length; ) {
    const count = fs.readSync(fd, target, at + done, length - done, position + done);
    if (count === 0) {
      throw changed();
    }
    done += count;
  }
}

/** A row of the file read by `read` (`recordFromJson`, `messageFromJson`); `undefined` if it is not JSON or not a record. */
function parseRow<T>(row: Buffer, read: (value: unknown) => T | undefined): T | undefined {
  try {
    return read(JSON.parse(row.toString('utf8')));
  } catch {
    return undefined;
  }
}

/** Whether `record` repeats the newest line `kept` has with its ID (read back through `reader`): then a read does not keep it. */
function repeatsNewest(kept: KeptLines, record: MessageRecord, reader: LineReader): boolean {
  const line = kept.lineOf(kept.sequenceOfId(record.id, reader.id));
  const held = line && reader.record(line.start, line.length);
  return held !== undefined && sameRecord(held, record);
}

/** Reads lines of an open file by where they are: a record, or its ID, to compare with another. */
class LineReader {
  constructor(
    private readonly fd: number,
    private readonly changed: () => Error,
  ) {}

  /** The record on the line at `start` (`length` bytes); `undefined` if it is not one. Throws `changed()` if the file is shorter. */
  readonly record = (start: number, length: number): MessageRecord | undefined => {
    const line = Buffer.allocUnsafe(length);
    this.read(line, start);
    return parseRow(line, recordFromJson);
  };

  /** The ID of the record on the line at `start` (`length` bytes), or '' if it is not a record. */
  readonly id = (start: number, length: number): string => this.record(start, length)?.id ?? '';

  /** Fills `target` from `position`, or throws `changed()` if the file is shorter. */
  read(target: Buffer, position: number): void {
    readExactly(this.fd, target, 0, target.length, position, this.changed);
  }
}

/** What a compaction wrote, with the lines it kept, for the next compaction to start from (`readSteps`). */
interface CompactedFile {
  readonly ino: number;
  readonly birthtimeMs: number;
  readonly size: number;
  readonly lines: number;
  /** The last bytes written: with the inode and its birth time, what tells this file from another given its inode number since. */
  readonly end: Buffer;
  readonly stores: ReadonlyMap<string, KeptLines>;
}

/**
 * Whether the file open as `fd` is `compacted` grown only by appends (the same inode, born at the
 * same time, as long or longer, the same last bytes where it ended), and its lines were kept
 * within these bounds. Every other writer replaces the file by a rename, a new inode.
 */
function continues(fd: number, compacted: CompactedFile, bounds: JournalBounds): boolean {
  const stat = fs.fstatSync(fd);
  if (stat.ino !== compacted.ino || stat.birthtimeMs !== compacted.birthtimeMs || stat.size < compacted.size) {
    return false;
  }
  if (![...compacted.stores.values()].every((kept) => kept.hasBounds(bounds.maxMessages, bounds.maxBytes))) {
    return false;
  }
  const end = Buffer.alloc(compacted.end.length);
  return fs.readSync(fd, end, 0, end.length, compacted.size - end.length) === end.length && end.equals(compacted.end);
}
