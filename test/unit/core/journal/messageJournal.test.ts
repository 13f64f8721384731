import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { FileLock } from '../../../../src/core/journal/fileLock';
import { MessageJournal, type JournalBounds } from '../../../../src/core/journal/messageJournal';
import { SnapshotFile } from '../../../../src/core/journal/snapshotFile';
import { messageToJson } from '../../../../src/core/journal/messageJson';
import { nodeMessage } from '../../helpers/messages';
import { plantStaleLock } from '../../helpers/journalFiles';
import { until } from '../../helpers/waitFor';
import { Prng } from '../../../../src/core/simulator/prng';

/** Small bounds of every kind, for random files: 8 per node, 900 bytes per node, 2,000 in all. */
const small = (): JournalBounds => ({ maxMessages: 8, maxBytes: 900, maxTotalBytes: 2000 });

/**
 * Lines of a journal at random: up to three nodes, IDs that repeat and empty ones, data up to 1,200
 * bytes, each received at `receivedAt(i)`; one in five written again as another window would, received
 * at `againAt(i)`, its base64 without padding.
 */
function randomLines(random: Prng, count: number, receivedAt: (i: number) => number, againAt: (i: number) => number): string[] {
  const nodes = ['x', 'y', 'z'].slice(0, random.int(1, 3));
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = random.chance(0.1) ? '' : `m${random.int(0, 40)}`;
    const message = nodeMessage({ id, node: random.pick(nodes), receivedAt: receivedAt(i), data: Buffer.from(random.bytes(random.chance(0.05) ? 1200 : random.int(0, 90))) });
    lines.push(JSON.stringify(messageToJson(message)));
    if (random.chance(0.2)) {
      const again = messageToJson({ ...message, receivedAt: againAt(i) });
      lines.push(JSON.stringify({ ...again, data: (again.data as string).replace(/=+$/, '') }));
    }
  }
  return lines;
}

/** Bounds of `maxMessages` per node and no byte budget to speak of. */
const count = (maxMessages: number) => (): JournalBounds => ({ maxMessages, maxBytes: 1e12, maxTotalBytes: 1e12 });

describe('MessageJournal', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-journal-'));
    file = path.join(dir, 'messages.ndjson');
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const line = (id: string, node = 'n', receivedAt = 1) => JSON.stringify(messageToJson(nodeMessage({ id, node, receivedAt })));

  it('appends in batches and loads back what was written', async () => {
    const journal = new MessageJournal(file, count(100));
    for (let i = 0; i < 10; i++) {
      journal.append(nodeMessage({ id: `m${i}`, receivedAt: i, amount: BigInt(i) }));
    }
    await journal.flush();
    const loaded = new MessageJournal(file, count(100)).load();
    assert.deepStrictEqual(loaded.messages.map((m) => [m.id, m.amount]), Array.from({ length: 10 }, (_, i) => [`m${i}`, BigInt(i)]));
    assert.strictEqual(loaded.skipped, 0);
  });

  it('keeps the newest maxMessages per node and drops repeated records', () => {
    // `b` twice, as two windows write the message they both received.
    fs.writeFileSync(file, [line('a', 'x', 1), line('b', 'x', 2), line('b', 'x', 3), line('c', 'x', 4), line('z', 'y', 5)].join('\n') + '\n');
    const loaded = new MessageJournal(file, count(2)).load();
    assert.deepStrictEqual(loaded.messages.map((m) => `${m.node}/${m.id}`), ['x/b', 'x/c', 'y/z']);
  });

  it('skips a torn last record without setting the file aside', () => {
    fs.writeFileSync(file, `${line('a')}\n${line('b')}\n${line('c').slice(0, 30)}`);
    const loaded = new MessageJournal(file, count(100)).load();
    assert.deepStrictEqual(loaded.messages.map((m) => m.id), ['a', 'b']);
    assert.strictEqual(loaded.skipped, 1);
    assert.strictEqual(loaded.setAside, undefined);
  });

  it('sets a damaged file aside, keeps what it could read, and never throws', () => {
    fs.writeFileSync(file, `${line('a')}\n\u0000\u0001garbage{{{\n${line('b')}\n`);
    const errors: string[] = [];
    const loaded = new MessageJournal(file, count(100), (kind) => errors.push(kind)).load();
    assert.deepStrictEqual(loaded.messages.map((m) => m.id), ['a', 'b']);
    assert.ok(loaded.setAside && fs.existsSync(loaded.setAside), 'the damaged file is kept aside');
    assert.deepStrictEqual(new MessageJournal(file, count(100)).load().messages.map((m) => m.id), ['a', 'b'], 'the rewritten file is clean');
    assert.deepStrictEqual(errors, []);
  });

  it('compacts from the file itself once it passes twice the bound, keeping the newest per node', async () => {
    const journal = new MessageJournal(file, count(5));
    for (let i = 0; i < 11; i++) {
      journal.append(nodeMessage({ id: `m${i}`, receivedAt: i }));
    }
    await journal.flush();
    assert.strictEqual(fs.readFileSync(file, 'utf8').trim().split('\n').length, 5);
    assert.deepStrictEqual(new MessageJournal(file, count(5)).load().messages.map((m) => m.id), ['m6', 'm7', 'm8', 'm9', 'm10']);
  });

  it('compacts by copying the kept records as the lines they were read from, whatever their shape or size', async () => {
    const record = (id: string, node: string, receivedAt: number, data: Buffer = Buffer.from(`payload ${id}`)) =>
      JSON.stringify(messageToJson(nodeMessage({ id, node, receivedAt, data })));
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) {
      lines.push(record(`m${i}`, i % 3 === 0 ? 'y' : 'x', i));
    }
    // A record of its own node that ends the file 20 bytes before 1 MiB, so the next record crosses the first chunk read's end.
    const before = lines.join('\n').length + 1;
    const empty = record('filler', 'z', 30, Buffer.alloc(0)).length;
    lines.push(record('filler', 'z', 30, Buffer.alloc(((1024 * 1024 - 20 - before - empty - 1) * 3) / 4, 0x66)));
    assert.ok(Math.abs(lines.join('\n').length + 1 - (1024 * 1024 - 20)) <= 4, 'the filler ends just before 1 MiB');
    lines.push(record('across', 'x', 31));
    // Written by another writer: its own key order and spacing, escapes in the data.
    const other = messageToJson(nodeMessage({ id: 'other', node: 'x', receivedAt: 32, data: Buffer.from('\u2028 "quoted" \n') }));
    const fields = Object.entries(other).filter(([key]) => key !== 'receivedAt');
    lines.push(`{ "receivedAt": ${other.receivedAt}, ${fields.map(([key, value]) => `"${key}" : ${JSON.stringify(value)}`).join(', ')} }`);
    // Longer than the window compaction reads lines through.
    lines.push(record('long', 'y', 33, Buffer.alloc(1536 * 1024, 0x6c)));
    // The same record twice, as two windows write what they both received.
    lines.push(record('m28', 'x', 28));
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const copy = path.join(dir, 'copy.ndjson');
    fs.copyFileSync(file, copy);

    const journal = new MessageJournal(file, count(6));
    journal.append(nodeMessage({ id: 'newest', node: 'y', receivedAt: 34, data: Buffer.from('payload newest') }));
    await journal.flush();
    lines.push(record('newest', 'y', 34));
    fs.appendFileSync(copy, `${lines[lines.length - 1]}\n`);

    const written = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.ok(written.length < lines.length, `compacted: ${written.length} of ${lines.length} lines`);
    for (const line of written) {
      assert.ok(lines.includes(line), `a line copied as it was: ${line.slice(0, 80)}`);
    }
    // What the copy keeps, read record by record, is what the compacted file holds, in that order.
    const expected = new MessageJournal(copy, count(6)).load().messages;
    const compacted = new MessageJournal(file, count(6)).load().messages;
    assert.deepStrictEqual(compacted, expected);
    assert.deepStrictEqual(
      compacted.filter((m) => m.node === 'x').map((m) => m.id),
      ['m25', 'm26', 'm28', 'm29', 'across', 'other'],
    );
    assert.ok(compacted.some((m) => m.id === 'long' && m.data.length === 1536 * 1024));
    assert.ok(compacted.some((m) => m.id === 'filler'));
  });

  it('compacts to the records a load keeps: repeats once, two messages with one ID both, within every bound, over random files', async () => {
    const random = new Prng(0xc0ac7);
    for (let round = 0; round < 12; round++) {
      const written = randomLines(random, 200, (i) => i, (i) => i + 0.5);
      fs.writeFileSync(file, written.join('\n') + '\n');
      const copy = path.join(dir, 'copy.ndjson');
      fs.copyFileSync(file, copy);
      const newest = nodeMessage({ id: 'newest', node: 'x', receivedAt: 1000 });
      const journal = new MessageJournal(file, small, undefined, { turnMs: 1 });
      journal.append(newest);
      await journal.flush();
      fs.appendFileSync(copy, `${JSON.stringify(messageToJson(newest))}\n`);
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n').length;
      assert.ok(lines < written.length, `round ${round}: compacted to ${lines} of ${written.length + 1} lines`);
      assert.deepStrictEqual(new MessageJournal(file, small).load().messages, new MessageJournal(copy, small).load().messages, `round ${round}`);
    }
  });

  it('loads from a file with a damaged line, which it sets aside and writes again, what it loads from the file without it, over random files', () => {
    const random = new Prng(0x10ad);
    for (let round = 0; round < 12; round++) {
      const written = randomLines(random, 150, () => random.int(0, 200), () => random.int(0, 200));
      fs.writeFileSync(file, written.join('\n') + '\n');
      const fromLines = new MessageJournal(file, small).load();
      assert.strictEqual(fromLines.setAside, undefined);
      // A damaged line first: the load recovers the file, copying the lines it keeps into a new one.
      fs.writeFileSync(file, ['\u0000garbage{{{', ...written].join('\n') + '\n');
      const fromStores = new MessageJournal(file, small).load();
      assert.ok(fromStores.setAside, `round ${round}: read as damaged`);
      assert.deepStrictEqual(fromLines.messages, fromStores.messages, `round ${round}`);
      assert.ok(fromLines.messages.length > 0);
    }
  });

  it('starts a compaction from what the last one kept, reading only the lines appended since, and keeps what a load of the file before it keeps', async () => {
    const random = new Prng(0x1ac7);
    const bounds = (): JournalBounds => ({ maxMessages: 30, maxBytes: 2500, maxTotalBytes: 6000 });
    const journal = new MessageJournal(file, bounds, undefined, { turnMs: 1 });
    const before = path.join(dir, 'before.ndjson');
    let queued = '';
    const reads: { read: number; lines: number }[] = [];
    /** Flushes, and checks a load of the file after keeps what a load of the file before and the queue keeps. */
    const flush = async () => {
      fs.writeFileSync(before, fs.existsSync(file) ? fs.readFileSync(file) : '');
      fs.appendFileSync(before, queued);
      queued = '';
      const readBefore = journal.lastReadLines;
      await journal.flush();
      const lines = fs.readFileSync(before, 'utf8').trim().split('\n').length;
      if (journal.lastReadLines !== readBefore || lines > fs.readFileSync(file, 'utf8').trim().split('\n').length) {
        reads.push({ read: journal.lastReadLines, lines });
      }
      assert.deepStrictEqual(new MessageJournal(file, bounds).load().messages, new MessageJournal(before, bounds).load().messages, `flush ${reads.length}`);
    };
    for (let at = 1; at <= 1200; at++) {
      const id = random.chance(0.1) ? '' : `m${random.int(0, 60)}`;
      const message = nodeMessage({ id, node: random.pick(['x', 'y', 'z']), receivedAt: at, data: Buffer.from(random.bytes(random.chance(0.03) ? 2000 : random.int(0, 120))) });
      journal.append(message);
      queued += `${JSON.stringify(messageToJson(message))}\n`;
      if (random.chance(0.15)) {
        // The same message from another window, which appends to the file between this one's flushes.
        await flush();
        fs.appendFileSync(file, `${JSON.stringify(messageToJson({ ...message, receivedAt: at + 0.5 }))}\n`);
      } else if (at % 10 === 0) {
        await flush();
      }
      if (at === 800) {
        // Another window's compaction: a new file under the name, which the next compaction reads whole.
        const content = fs.readFileSync(file);
        fs.rmSync(file);
        fs.writeFileSync(file, content);
      }
    }
    assert.ok(reads.length >= 20, `compacted ${reads.length} times`);
    const partial = reads.filter(({ read, lines }) => read < lines);
    assert.ok(partial.length >= reads.length - 2, `the compactions after the first (and after the file was replaced) read only what was appended: ${JSON.stringify(reads)}`);
  });

  it('indexes what it wrote as a read of that file would: a record repeated once ordered by time counts once', async () => {
    const bounds = (): JournalBounds => ({ maxMessages: 3, maxBytes: 1e12, maxTotalBytes: 1e12 });
    const record = (fields: Parameters<typeof nodeMessage>[0]) => JSON.stringify(messageToJson(nodeMessage({ node: 'n', ...fields })));
    // Read in this order, all three are kept: `again` repeats `first`, but the newest `a` then is `other`.
    // Written ordered by time, `again` follows `first`, so a read of the compacted file skips it.
    const first = record({ id: 'a', receivedAt: 1 });
    const other = record({ id: 'a', receivedAt: 3, data: Buffer.from('different') });
    const again = record({ id: 'a', receivedAt: 2 });
    const filler = Array.from({ length: 10 }, (_, i) => record({ id: `o${i}`, node: 'o', receivedAt: 10 + i }));
    fs.writeFileSync(file, [first, other, again, ...filler].join('\n') + '\n');
    const journal = new MessageJournal(file, bounds, undefined, { turnMs: 1 });
    journal.append(nodeMessage({ id: 'o10', node: 'o', receivedAt: 20 }));
    await journal.flush();
    assert.strictEqual(fs.readFileSync(file, 'utf8').trim().split('\n').length, 6, 'compacted: three of n (again among them), three of o');

    journal.append(nodeMessage({ id: 'x', node: 'n', receivedAt: 21 }));
    // Two flushes: the queue holds the newest 2 × maxMessages.
    await journal.flush();
    for (let i = 0; i < 6; i++) {
      journal.append(nodeMessage({ id: `p${i}`, node: 'o', receivedAt: 22 + i }));
    }
    await journal.flush();
    assert.strictEqual(journal.lastReadLines, 7, 'the second compaction read only what was appended');
    const kept = new MessageJournal(file, bounds).load().messages.filter((m) => m.node === 'n');
    assert.deepStrictEqual(
      kept.map((m) => m.receivedAt),
      [1, 3, 21],
      'n keeps first, other and x, as a read of the file before the compaction does: again was never counted',
    );
  });

  it('reads the whole file again when it is not the one its last compaction wrote, or the bounds changed', async () => {
    let maxMessages = 5;
    const bounds = (): JournalBounds => ({ maxMessages, maxBytes: 1e12, maxTotalBytes: 1e12 });
    const journal = new MessageJournal(file, bounds, undefined, { turnMs: 1 });
    let at = 0;
    const appendAndFlush = async (count: number) => {
      // A flush each: the queue keeps only the newest maxMessages.
      for (let i = 0; i < count; i++) {
        journal.append(nodeMessage({ id: `m${++at}`, receivedAt: at }));
        await journal.flush();
      }
    };
    await appendAndFlush(11);
    assert.strictEqual(journal.lastReadLines, 11, 'the first compaction reads every line');
    await appendAndFlush(6);
    assert.strictEqual(journal.lastReadLines, 6, 'the next reads only the lines appended since');

    // The same name, a new file with the same content (as another window's compaction leaves it).
    const content = fs.readFileSync(file);
    fs.rmSync(file);
    fs.writeFileSync(file, content);
    await appendAndFlush(6);
    assert.strictEqual(journal.lastReadLines, 5 + 6, 'a file replaced is read whole');

    // The same inode and size, but not grown only by appends: its last two lines swapped in place.
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    fs.writeFileSync(file, [...lines.slice(0, -2), lines[4], lines[3]].join('\n') + '\n');
    await appendAndFlush(6);
    assert.strictEqual(journal.lastReadLines, 5 + 6, 'a file whose end changed is read whole');

    await appendAndFlush(6);
    assert.strictEqual(journal.lastReadLines, 6, 'and the next compaction reads from where that one ended');
    maxMessages = 4;
    await appendAndFlush(6);
    assert.strictEqual(journal.lastReadLines, 5 + 4, 'lines kept within other bounds are read again (past twice the new bound)');
    assert.deepStrictEqual(new MessageJournal(file, bounds).load().messages.map((m) => m.id), [`m${at - 3}`, `m${at - 2}`, `m${at - 1}`, `m${at}`]);
  });

  it('loads in turns what a load at once gives, torn, repeated and damaged lines included, over random files', async () => {
    const random = new Prng(0x7e45);
    for (let round = 0; round < 12; round++) {
      const written = randomLines(random, 150, () => random.int(0, 200), () => random.int(0, 200));
      const damaged = round % 3 === 0;
      const lines = damaged ? [...written.slice(0, 20), '\u0000garbage{{{', ...written.slice(20)] : written;
      const text = lines.join('\n') + '\n' + (round % 2 ? line('torn').slice(0, 25) : '');
      fs.writeFileSync(file, text);
      const atOnce = new MessageJournal(file, small).load();
      fs.writeFileSync(file, text);
      const inTurns = await new MessageJournal(file, small, undefined, { turnMs: 0 }).loadInTurns();
      assert.deepStrictEqual(inTurns.messages, atOnce.messages, `round ${round}`);
      assert.strictEqual(inTurns.skipped, atOnce.skipped, `round ${round}`);
      assert.strictEqual(Boolean(inTurns.setAside), damaged, `round ${round}: set aside only when damaged`);
      assert.ok(inTurns.messages.length > 0);
    }
  });

  it('loads in turns: the event loop turns while a long file is read and its messages built, and what it read is the file it opened', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => line(`m${i}`, i % 2 ? 'a' : 'b', i));
    fs.writeFileSync(file, lines.join('\n') + '\n');
    let turns = 0;
    let counting = true;
    let replaced = false;
    const turn = () => {
      turns++;
      if (turns === 5) {
        // Another window compacts the file meanwhile: a new file, renamed over this one.
        new MessageJournal(file, count(10)).rewrite([nodeMessage({ id: 'other', receivedAt: 1 })]);
        replaced = true;
      }
      if (counting) {
        setImmediate(turn);
      }
    };
    setImmediate(turn);
    const loaded = await new MessageJournal(file, count(1000), undefined, { turnMs: 0 }).loadInTurns();
    counting = false;
    assert.ok(replaced, 'the file was replaced during the load');
    assert.ok(turns > 3000 / 64, `the event loop turned ${turns} times during the load`);
    assert.deepStrictEqual(
      loaded.messages.map((m) => m.id),
      Array.from({ length: 2000 }, (_, i) => `m${1000 + i}`),
      'the newest 1,000 of each node, from the file it opened',
    );
    assert.deepStrictEqual(new MessageJournal(file, count(1000)).load().messages.map((m) => m.id), ['other'], 'the file now is the one the other window wrote');
  });

  it('compacts in steps: with a turn of no length, the event loop turns between the pieces it writes, and the file is right after', async () => {
    let turns = 0;
    let counting = true;
    const turn = () => {
      turns++;
      if (counting) {
        setImmediate(turn);
      }
    };
    /** The turn count as each piece of a compaction was written (appends write with `appendFile`, not with this). */
    const pieces: number[] = [];
    const journal = new MessageJournal(file, count(1000), undefined, {
      writePiece: (fd, text) => {
        pieces.push(turns);
        fs.writeFileSync(fd, text);
      },
      turnMs: 0,
    });
    for (let i = 0; i < 4000; i++) {
      journal.append(nodeMessage({ id: `m${i}`, node: i % 2 ? 'a' : 'b', receivedAt: i }));
      if (i % 1000 === 999) {
        await journal.flush();
      }
    }
    assert.deepStrictEqual(pieces, [], 'no compaction yet');
    setImmediate(turn);
    // Two nodes of 1,000: 5,000 records pass twice the bound, and this flush compacts.
    for (let i = 4000; i < 5000; i++) {
      journal.append(nodeMessage({ id: `m${i}`, node: i % 2 ? 'a' : 'b', receivedAt: i, data: Buffer.alloc(200, 0x61) }));
    }
    await journal.flush();
    counting = false;
    assert.ok(pieces.length >= 3, `${pieces.length} pieces`);
    assert.ok(
      pieces.every((at, i) => i === 0 || at > (pieces[i - 1] ?? at)),
      `the turn count at each piece: ${pieces.join(', ')}`,
    );
    assert.strictEqual(fs.readFileSync(file, 'utf8').trim().split('\n').length, 2000, 'compacted to the bounds');
    assert.deepStrictEqual(
      new MessageJournal(file, count(1000)).load().messages.map((m) => m.id),
      Array.from({ length: 2000 }, (_, i) => `m${3000 + i}`),
    );
  });

  it('appends a large queue a piece at a time: the event loop turns while the file grows, and the file is whole after', async () => {
    // Ten nodes of 2,000 messages, queued for one flush (about 9 MB of records).
    const journal = new MessageJournal(file, count(2000));
    for (let i = 0; i < 20_000; i++) {
      journal.append(nodeMessage({ id: `m${i}`, node: `n${i % 10}`, receivedAt: i, data: Buffer.alloc(300, 0x61) }));
    }
    const sizes: number[] = [];
    let counting = true;
    const turn = () => {
      sizes.push(fs.existsSync(file) ? fs.statSync(file).size : 0);
      if (counting) {
        setImmediate(turn);
      }
    };
    setImmediate(turn);
    await journal.flush();
    counting = false;
    const total = fs.statSync(file).size;
    const growth = sizes.map((size, i) => size - (sizes[i - 1] ?? 0)).filter((step) => step > 0);
    assert.ok(growth.length >= 20, `the file grew in ${growth.length} steps seen between turns`);
    assert.ok(Math.max(...growth) <= total / 10, `the largest step seen: ${Math.max(...growth)} of ${total} bytes`);
    const loaded = new MessageJournal(file, count(2000)).load();
    assert.strictEqual(loaded.messages.length, 20_000);
    assert.deepStrictEqual(loaded.messages.slice(0, 3).map((m) => m.id), ['m0', 'm1', 'm2']);
    assert.strictEqual(loaded.skipped, 0);
  });

  it('queues the next flush in the room of the last batch written, and writes each batch once', async () => {
    const journal = new MessageJournal(file, count(10_000));
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3000; i++) {
        journal.append(nodeMessage({ id: `r${round}m${i}`, receivedAt: round * 3000 + i }));
      }
      await journal.flush();
      assert.strictEqual(journal.pendingCount, 0);
    }
    const loaded = new MessageJournal(file, count(10_000)).load().messages.map((m) => m.id);
    assert.strictEqual(loaded.length, 9000);
    assert.deepStrictEqual([loaded[0], loaded[3000], loaded[8999]], ['r0m0', 'r1m0', 'r2m2999']);
  });

  it('compacts by bytes too, and loads within the byte budgets per node and in total', async () => {
    const bounds = (): JournalBounds => ({ maxMessages: 1000, maxBytes: 4000, maxTotalBytes: 6000 });
    const journal = new MessageJournal(file, bounds);
    for (let i = 0; i < 40; i++) {
      journal.append(nodeMessage({ id: `m${i}`, node: i % 2 ? 'a' : 'b', receivedAt: i, data: Buffer.alloc(852 - 2 * String(i).length) }));
      await journal.flush();
    }
    assert.ok(fs.statSync(file).size <= 2 * 1.5 * 6000 + 1500, `${fs.statSync(file).size} bytes on disk`);
    const loaded = new MessageJournal(file, bounds).load();
    // 1000 bytes a message (the data, the ID and the 64-digit sender): six fit in total, the newest.
    assert.deepStrictEqual(loaded.messages.map((m) => m.id), ['m34', 'm35', 'm36', 'm37', 'm38', 'm39']);
  });

  it('keeps its queue bounded in a burst, with the newest', async () => {
    const journal = new MessageJournal(file, count(10));
    for (let i = 0; i < 10_000; i++) {
      journal.append(nodeMessage({ id: `m${i}`, receivedAt: i }));
      assert.ok(journal.pendingCount <= 20);
    }
    await journal.flush();
    assert.deepStrictEqual(new MessageJournal(file, count(10)).load().messages.map((m) => m.id), Array.from({ length: 10 }, (_, i) => `m${9990 + i}`));
  });

  it('keeps a batch it could not write, reports each kind of failure with a count, and writes it later', async () => {
    const problems: string[] = [];
    fs.mkdirSync(file);
    const journal = new MessageJournal(file, count(100), (kind, _error, times) => problems.push(`${kind} ${times}`));
    for (let i = 0; i < 12; i++) {
      journal.append(nodeMessage({ id: `m${i}`, receivedAt: i }));
      await journal.flush();
    }
    assert.deepStrictEqual(problems, ['append 1', 'append 10']);
    assert.strictEqual(journal.pendingCount, 12, 'nothing was dropped');
    fs.rmdirSync(file);
    journal.append(nodeMessage({ id: 'm12', receivedAt: 12 }));
    await journal.flush();
    assert.strictEqual(new MessageJournal(file, count(100)).load().messages.length, 13);
  });

  it('never drops the batch when compaction fails', async () => {
    const problems: string[] = [];
    const journal = new MessageJournal(file, count(2), (kind) => problems.push(kind), {
      writePiece: () => {
        throw new Error('no space left on device');
      },
    });
    // The fifth record passes twice the bound; the file has not grown by half again by the seventh.
    for (let i = 0; i < 7; i++) {
      journal.append(nodeMessage({ id: `m${i}`, receivedAt: i }));
      await journal.flush();
    }
    assert.deepStrictEqual(problems, ['compact']);
    assert.strictEqual(fs.readFileSync(file, 'utf8').trim().split('\n').length, 7, 'every batch is on disk');
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['messages.ndjson', 'messages.ndjson.lock'], 'the temporary file is removed');
  });

  it('writes records in pieces, and after a failed compaction waits until the file has grown by half', async () => {
    const pieces: number[] = [];
    const problems: string[] = [];
    let fail = true;
    const journal = new MessageJournal(file, count(5), (kind, error) => problems.push(`${kind}: ${error.message}`), {
      writePiece: (fd, text) => {
        pieces.push(text.length);
        if (fail) {
          // What joining a few hundred MiB of records into one string throws.
          throw new RangeError('Invalid string length');
        }
        fs.writeFileSync(fd, text);
      },
    });
    const big = (i: number) => nodeMessage({ id: `m${i}`, receivedAt: i, data: Buffer.alloc(300 * 1024, 0x61) });
    for (let i = 0; i < 11; i++) {
      journal.append(big(i));
      await journal.flush();
    }
    assert.deepStrictEqual(problems, ['compact: Invalid string length']);
    const failedAt = fs.statSync(file).size;
    // Each flush passes the bound in records; none reads the file again for the same failure.
    let i = 11;
    while (fs.statSync(file).size + 400 * 1024 < 1.5 * failedAt) {
      journal.append(big(i++));
      await journal.flush();
    }
    assert.strictEqual(pieces.length, 1, `one attempt over ${i - 11} more flushes`);
    fail = false;
    journal.append(big(i++));
    await journal.flush();
    assert.deepStrictEqual(new MessageJournal(file, count(5)).load().messages.map((m) => m.id), Array.from({ length: 5 }, (_, k) => `m${i - 5 + k}`));
    assert.strictEqual(fs.readFileSync(file, 'utf8').trim().split('\n').length, 5, 'compacted once the file had grown by half');
    // Five records of 400 KiB each: pieces of about 1 MiB, never the whole file at once.
    assert.ok(pieces.length >= 3 && pieces.slice(1).every((length) => length < 1.5 * 1024 * 1024), `pieces of ${pieces.slice(1).join(', ')} characters`);
    assert.strictEqual(problems.length, 1);
  });

  it('writes through temporary files of its own, and sweeps those of compactions killed midway', async () => {
    // What an older writer's fixed temporary name, or a compaction killed midway, leaves.
    fs.mkdirSync(`${file}.tmp`);
    fs.writeFileSync(`${file}.tmp-999999999-deadbeef`, 'half a compaction');
    const problems: string[] = [];
    const journal = new MessageJournal(file, count(2), (kind) => problems.push(kind));
    for (let i = 0; i < 5; i++) {
      journal.append(nodeMessage({ id: `m${i}`, receivedAt: i }));
      await journal.flush();
    }
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(fs.readFileSync(file, 'utf8').trim().split('\n').length, 2, 'compacted');
    assert.deepStrictEqual(new MessageJournal(file, count(2)).load().messages.map((m) => m.id), ['m3', 'm4']);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['messages.ndjson', 'messages.ndjson.lock', 'messages.ndjson.tmp']);
  });

  it('keeps the lock through a compaction that takes longer than the stale time', async function () {
    this.timeout(20_000);
    // [compaction started, when another thread got the lock (ms after the start)]
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const started = Date.now();
    const journal = new MessageJournal(file, count(5), undefined, {
      lockStaleMs: 1000,
      writePiece: (fd, text) => {
        Atomics.store(shared, 0, 1);
        Atomics.notify(shared, 0);
        // A slow disk: the pieces of this compaction take longer than the stale time together, each
        // well within it (the lock is touched between pieces).
        Atomics.wait(shared, 1, 0, 300);
        fs.writeFileSync(fd, text);
      },
    });
    for (let i = 0; i < 10; i++) {
      journal.append(nodeMessage({ id: `m${i}`, receivedAt: i, data: Buffer.alloc(1024 * 1024, 0x61) }));
      await journal.flush();
    }
    const lockModule = path.resolve(__dirname, '../../../../src/core/journal/fileLock.js');
    const other = new Worker(
      `
      const { workerData } = require('worker_threads');
      const { FileLock } = require(${JSON.stringify(lockModule)});
      const shared = new Int32Array(workerData);
      Atomics.wait(shared, 0, 0);
      const lock = new FileLock(${JSON.stringify(file)}, 1000);
      while (!lock.tryAcquire()) Atomics.wait(shared, 1, 0, 5);
      Atomics.store(shared, 1, Math.max(1, Date.now() - ${started}));
      lock.release();
    `,
      { eval: true, workerData: shared.buffer },
    );
    journal.append(nodeMessage({ id: 'm10', receivedAt: 10, data: Buffer.alloc(1024 * 1024, 0x61) }));
    const flushed = Date.now() - started;
    await journal.flush();
    const compacted = Date.now() - started;
    await new Promise((resolve) => other.once('exit', resolve));
    assert.strictEqual(fs.readFileSync(file, 'utf8').trim().split('\n').length, 5, 'compacted');
    assert.ok(compacted - flushed > 1000, `the compaction took ${compacted - flushed} ms`);
    assert.ok((shared[1] as number) >= compacted - 5, `another thread got the lock ${shared[1]} ms in, the compaction ended at ${compacted} ms`);
  });

  it('writes a batch again when another window took the lock over and compacted the file under it', async () => {
    const journal = new MessageJournal(file, count(10));
    journal.append(nodeMessage({ id: 'before', receivedAt: 1 }));
    await journal.flush();
    const open = fs.promises.open;
    const other = new FileLock(file);
    // The append has opened the file when this window stops past the stale time: another takes
    // the lock over and compacts.
    fs.promises.open = (async (...args: Parameters<typeof open>) => {
      const handle = await open(...args);
      fs.promises.open = open;
      for (const name of fs.readdirSync(other.file)) {
        fs.utimesSync(path.join(other.file, name), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      }
      assert.ok(other.tryAcquire());
      fs.writeFileSync(`${file}.other`, `${line('before')}\n`);
      fs.renameSync(`${file}.other`, file);
      return handle;
    }) as typeof open;
    const problems: string[] = [];
    const late = new MessageJournal(file, count(10), (kind) => problems.push(kind));
    late.append(nodeMessage({ id: 'late', receivedAt: 2 }));
    try {
      await late.flush();
    } finally {
      fs.promises.open = open;
      other.release();
    }
    assert.deepStrictEqual(problems, ['append']);
    assert.strictEqual(late.pendingCount, 1, 'the batch waits for the next flush');
    await late.flush();
    assert.deepStrictEqual(new MessageJournal(file, count(10)).load().messages.map((m) => m.id), ['before', 'late']);
  });

  it('starts a new line after a record a crash cut short, so the next batch is whole', async () => {
    fs.writeFileSync(file, `${line('a')}\n${line('b').slice(0, 40)}`);
    const journal = new MessageJournal(file, count(100));
    journal.append(nodeMessage({ id: 'c', receivedAt: 3 }));
    journal.append(nodeMessage({ id: 'd', receivedAt: 4 }));
    await journal.flush();
    const loaded = new MessageJournal(file, count(100)).load();
    assert.deepStrictEqual(loaded.messages.map((m) => m.id), ['a', 'c', 'd']);
    assert.strictEqual(loaded.skipped, 1);
    assert.strictEqual(loaded.setAside, undefined, 'a record cut short is no damage, wherever it is');
  });

  it('keeps at most twice its bounds on disk after every flush, whichever of two windows wrote', async () => {
    const a = new MessageJournal(file, count(10));
    const b = new MessageJournal(file, count(10));
    let most = 0;
    for (let round = 0; round < 40; round++) {
      a.append(nodeMessage({ id: `a${round}`, node: 'a', receivedAt: round }));
      await a.flush();
      most = Math.max(most, fs.readFileSync(file, 'utf8').trim().split('\n').length);
      for (let k = 0; k < 5; k++) {
        b.append(nodeMessage({ id: `b${round}.${k}`, node: 'b', receivedAt: round }));
      }
      await b.flush();
      most = Math.max(most, fs.readFileSync(file, 'utf8').trim().split('\n').length);
    }
    assert.ok(most <= 2 * 10 * 2, `${most} records on disk, for two nodes of 10`);
  });

  it('sets a damaged file aside only while it holds the lock', () => {
    fs.writeFileSync(file, `${line('a')}\n\u0000garbage\n${line('b')}\n`);
    const other = new FileLock(file);
    assert.ok(other.tryAcquire());
    const problems: string[] = [];
    const loaded = new MessageJournal(file, count(100), (kind) => problems.push(kind)).load();
    other.release();
    assert.deepStrictEqual(loaded.messages.map((m) => m.id), ['a', 'b']);
    assert.strictEqual(loaded.setAside, undefined);
    assert.deepStrictEqual(problems, ['lock']);
    assert.ok(fs.readFileSync(file, 'utf8').includes('garbage'), 'left for the window that holds the lock');
  });

  it('loads a file far larger than one read, line by line, records spanning reads included', () => {
    const big = Buffer.alloc(700 * 1024, 0x62);
    const lines = Array.from({ length: 6 }, (_, i) => JSON.stringify(messageToJson(nodeMessage({ id: `m${i}`, receivedAt: i, data: big }))));
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const loaded = new MessageJournal(file, count(100)).load();
    assert.deepStrictEqual(loaded.messages.map((m) => m.id), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    assert.ok(loaded.messages.every((m) => m.data.byteLength === big.byteLength));
    assert.strictEqual(loaded.skipped, 0);
  });

  it('loads repeated records once, and two different messages with one ID both', () => {
    const twice = JSON.stringify(messageToJson(nodeMessage({ id: 'same', receivedAt: 1 })));
    const again = JSON.stringify({ ...messageToJson(nodeMessage({ id: 'same', receivedAt: 2 })) });
    const other = JSON.stringify(messageToJson(nodeMessage({ id: 'same', receivedAt: 3, data: Buffer.from('different') })));
    fs.writeFileSync(file, `${twice}\n${again}\n${other}\n`);
    assert.deepStrictEqual(new MessageJournal(file, count(100)).load().messages.map((m) => m.receivedAt), [1, 3]);
  });

  it('clear() empties the file and drops what was queued', async () => {
    const journal = new MessageJournal(file, count(5));
    journal.append(nodeMessage({ id: 'a' }));
    await journal.flush();
    journal.append(nodeMessage({ id: 'b' }));
    await journal.clear();
    await journal.flush();
    assert.strictEqual(fs.readFileSync(file, 'utf8'), '');
  });

  describe('shared by two processes (two windows on one profile)', () => {
    /** Runs a writer process: `count` messages of node `node`, flushed every `batch`. */
    function writer(node: string, count: number, batch: number, maxMessages: number): Promise<number | null> {
      const journalModule = path.resolve(__dirname, '../../../../src/core/journal/messageJournal.js');
      const script = `
        const { MessageJournal } = require(${JSON.stringify(journalModule)});
        const journal = new MessageJournal(${JSON.stringify(file)}, () => ({ maxMessages: ${maxMessages}, maxBytes: 1e12, maxTotalBytes: 1e12 }));
        (async () => {
          for (let i = 0; i < ${count}; i++) {
            const data = Buffer.alloc(200 + (i % 7) * 300, 0x61 + (i % 26));
            journal.append({ node: ${JSON.stringify(node)}, id: ${JSON.stringify(node)} + i, replyToId: '', fromPubkey: 'p', data, serviceType: 'message', amount: BigInt(i), receivedAt: i * 2 });
            if (i % ${batch} === ${batch - 1}) await journal.flush();
          }
          await journal.flush();
        })();
      `;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'inherit', 'inherit'] });
      return new Promise((resolve) => child.once('exit', resolve));
    }

    const expectIds = (node: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${node}${from + i}`);

    it('loses none of either writer\'s records and leaves no damage', async function () {
      this.timeout(60_000);
      assert.deepStrictEqual(await Promise.all([writer('A', 1000, 10, 5000), writer('B', 1000, 7, 5000)]), [0, 0]);
      const loaded = new MessageJournal(file, count(5000)).load();
      assert.strictEqual(loaded.skipped, 0);
      assert.strictEqual(loaded.setAside, undefined);
      assert.deepStrictEqual(loaded.messages.filter((m) => m.node === 'A').map((m) => m.id), expectIds('A', 0, 1000));
      assert.deepStrictEqual(loaded.messages.filter((m) => m.node === 'B').map((m) => m.id), expectIds('B', 0, 1000));
      assert.ok(loaded.messages.every((m) => m.data.byteLength === 200 + (Number(m.amount) % 7) * 300 && m.data[0] === 0x61 + (Number(m.amount) % 26)));
      const generations = fs.readdirSync(`${file}.lock`);
      assert.ok(generations.every((name) => fs.statSync(path.join(`${file}.lock`, name)).mtimeMs === 0), 'the lock is released');
    });

    it('compacts while the other writes, keeping the newest of each', async function () {
      this.timeout(60_000);
      assert.deepStrictEqual(await Promise.all([writer('A', 1500, 10, 200), writer('B', 1500, 13, 200)]), [0, 0]);
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n').length;
      assert.ok(lines <= 2 * 2 * 200, `${lines} records on disk: at most twice the bounds of two nodes`);
      const loaded = new MessageJournal(file, count(200)).load();
      assert.strictEqual(loaded.skipped, 0);
      assert.strictEqual(loaded.setAside, undefined);
      assert.deepStrictEqual(loaded.messages.filter((m) => m.node === 'A').map((m) => m.id), expectIds('A', 1300, 1500));
      assert.deepStrictEqual(loaded.messages.filter((m) => m.node === 'B').map((m) => m.id), expectIds('B', 1300, 1500));
    });

    it('waits while another process holds the lock, then writes after it', async function () {
      this.timeout(30_000);
      const lockModule = path.resolve(__dirname, '../../../../src/core/journal/fileLock.js');
      const holder = `
        const fs = require('fs');
        const { FileLock } = require(${JSON.stringify(lockModule)});
        const lock = new FileLock(${JSON.stringify(file)});
        if (!lock.tryAcquire()) process.exit(2);
        process.stdout.write('locked\\n');
        setTimeout(() => {
          fs.appendFileSync(${JSON.stringify(file)}, ${JSON.stringify(line('holder', 'n', 1))} + '\\n');
          lock.release();
        }, 500);
      `;
      const child = spawn(process.execPath, ['-e', holder], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const journal = new MessageJournal(file, count(10));
      journal.append(nodeMessage({ id: 'waiter', receivedAt: 2 }));
      await journal.flush();
      assert.strictEqual(await exited, 0);
      assert.deepStrictEqual(
        fs.readFileSync(file, 'utf8').trim().split('\n').map((row) => JSON.parse(row).id),
        ['holder', 'waiter'],
        'the write waited for the lock',
      );
    });

    it('takes over the lock of a writer that died holding it', async () => {
      plantStaleLock(file, 'dead process');
      const journal = new MessageJournal(file, count(10));
      journal.append(nodeMessage({ id: 'after' }));
      await journal.flush();
      assert.deepStrictEqual(new MessageJournal(file, count(10)).load().messages.map((m) => m.id), ['after']);
    });
  });

  it('loses at most the record being written when the writer is killed with SIGKILL', async function () {
    this.timeout(20_000);
    const journalModule = path.resolve(__dirname, '../../../../src/core/journal/messageJournal.js');
    const writer = `
      const { MessageJournal } = require(${JSON.stringify(journalModule)});
      const journal = new MessageJournal(${JSON.stringify(file)}, () => ({ maxMessages: 1e9, maxBytes: 1e15, maxTotalBytes: 1e15 }));
      const data = Buffer.alloc(48 * 1024, 0x61);
      let i = 0;
      (async () => {
        for (;;) {
          for (let j = 0; j < 20; j++) {
            journal.append({ node: 'n', id: 'm' + i, replyToId: '', fromPubkey: 'p', data, serviceType: 'message', amount: BigInt(i), receivedAt: i });
            i++;
          }
          await journal.flush();
          // A pipe's writes are synchronous: a count the test reads was flushed before the kill.
          process.stdout.write('flushed ' + i + '\\n');
        }
      })();
    `;
    const child = spawn(process.execPath, ['-e', writer], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const flushedCounts = () => [...output.matchAll(/^flushed (\d+)$/gm)].map((match) => Number(match[1]));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    await until(() => (flushedCounts().at(-1) ?? 0) >= 200, 'the first 200 records flushed', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGKILL');
    // 'close', not 'exit': every count the child wrote has been read.
    await new Promise((resolve) => child.once('close', resolve));
    const counts = flushedCounts();
    const flushed = counts.at(-1) ?? 0;
    assert.ok(flushed >= 200, `${flushed} records flushed before the kill`);
    assert.deepStrictEqual(counts.slice(0, 3), [20, 40, 60], 'a count per flush of 20');
    const loaded = new MessageJournal(file, count(1e9)).load();
    assert.ok(loaded.messages.length >= 200, `${loaded.messages.length} messages survived`);
    assert.ok(loaded.skipped <= 1, `${loaded.skipped} records lost`);
    // Every record a finished flush wrote survived; past those, only the batch in flight can be
    // there (whole records of it), and at most one record of it torn.
    assert.ok(loaded.messages.length >= flushed, `${loaded.messages.length} messages survived of ${flushed} flushed`);
    assert.ok(loaded.messages.length + loaded.skipped <= flushed + 20, `${loaded.messages.length} survived and ${loaded.skipped} torn, ${flushed} flushed`);
    assert.strictEqual(loaded.setAside, undefined);
    // Every record that survived is whole and in order.
    loaded.messages.forEach((message, index) => {
      assert.strictEqual(message.id, `m${index}`);
      assert.strictEqual(message.data.byteLength, 48 * 1024);
    });
  });
});

describe('SnapshotFile', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-snapshot-'));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves whole documents and reads them back', () => {
    const file = new SnapshotFile<{ a: number[] }>(path.join(dir, 'sub', 'watches.json'));
    assert.strictEqual(file.load().value, undefined);
    file.save({ a: [1, 2] });
    file.save({ a: [3] });
    assert.deepStrictEqual(file.load().value, { a: [3] });
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'sub')), ['watches.json'], 'no temporary file is left');
  });

  it('leaves a whole document when the writer is killed with SIGKILL mid-save', async function () {
    this.timeout(20_000);
    const target = path.join(dir, 'watches.json');
    const snapshotModule = path.resolve(__dirname, '../../../../src/core/journal/snapshotFile.js');
    const writer = `
      const { SnapshotFile } = require(${JSON.stringify(snapshotModule)});
      const file = new SnapshotFile(${JSON.stringify(target)});
      const records = Array.from({ length: 2000 }, (_, i) => ({ messageId: 'm' + i, createdAt: i, state: 'waiting', note: 'x'.repeat(200) }));
      for (let round = 0; ; round++) {
        file.save({ round, records });
        if (round === 5) process.stdout.write('saving\\n');
      }
    `;
    const child = spawn(process.execPath, ['-e', writer], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 30));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const loaded = new SnapshotFile<{ round: number; records: unknown[] }>(target).load();
    assert.strictEqual(loaded.setAside, undefined, 'never a torn document');
    assert.ok(loaded.value && loaded.value.round >= 5);
    assert.strictEqual(loaded.value.records.length, 2000);
  });

  it('saves through a temporary file of its own, and sweeps those of writers killed mid-save', () => {
    const target = path.join(dir, 'watches.json');
    // An older writer's fixed temporary name, a writer killed mid-save, and one saving right now.
    fs.mkdirSync(`${target}.tmp`);
    fs.writeFileSync(`${target}.tmp-999999999-deadbeef`, '[{"messageId": "half');
    fs.writeFileSync(`${target}.tmp-${process.pid}-cafe`, '[');
    const file = new SnapshotFile<number[]>(target);
    file.save([1]);
    assert.deepStrictEqual(file.load().value, [1]);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['watches.json', 'watches.json.tmp', `watches.json.tmp-${process.pid}-cafe`]);
  });

  it('sets a damaged file aside instead of failing', () => {
    const target = path.join(dir, 'watches.json');
    fs.writeFileSync(target, '[{"messageId": "a", "crea');
    const loaded = new SnapshotFile(target).load();
    assert.strictEqual(loaded.value, undefined);
    assert.ok(loaded.setAside && fs.readFileSync(loaded.setAside, 'utf8').startsWith('[{"messageId"'));
    assert.ok(!fs.existsSync(target));
  });
});
