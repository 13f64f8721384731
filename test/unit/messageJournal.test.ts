import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageJournal } from '../../src/core/messageJournal';
import { SnapshotFile } from '../../src/core/snapshotFile';
import { messageToJson } from '../../src/core/messageJson';
import { nodeMessage } from './helpers/messages';
import { until } from './helpers/waitFor';

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
    const journal = new MessageJournal(file, () => 100);
    for (let i = 0; i < 10; i++) {
      journal.append(nodeMessage({ id: `m${i}`, receivedAt: i, amount: BigInt(i) }));
    }
    await journal.flush();
    const loaded = new MessageJournal(file, () => 100).load(100);
    assert.deepStrictEqual(loaded.messages.map((m) => [m.id, m.amount]), Array.from({ length: 10 }, (_, i) => [`m${i}`, BigInt(i)]));
    assert.strictEqual(loaded.skipped, 0);
  });

  it('keeps the newest maxMessages per node and drops repeated records', () => {
    fs.writeFileSync(file, [line('a', 'x', 1), line('b', 'x', 2), line('c', 'x', 3), line('a', 'x', 4), line('z', 'y', 5)].join('\n') + '\n');
    const loaded = new MessageJournal(file, () => 2).load(2);
    assert.deepStrictEqual(loaded.messages.map((m) => `${m.node}/${m.id}`), ['x/b', 'x/c', 'y/z']);
  });

  it('skips a torn last record without setting the file aside', () => {
    fs.writeFileSync(file, `${line('a')}\n${line('b')}\n${line('c').slice(0, 30)}`);
    const loaded = new MessageJournal(file, () => 100).load(100);
    assert.deepStrictEqual(loaded.messages.map((m) => m.id), ['a', 'b']);
    assert.strictEqual(loaded.skipped, 1);
    assert.strictEqual(loaded.setAside, undefined);
  });

  it('sets a damaged file aside, keeps what it could read, and never throws', () => {
    fs.writeFileSync(file, `${line('a')}\n\u0000\u0001garbage{{{\n${line('b')}\n`);
    const errors: Error[] = [];
    const loaded = new MessageJournal(file, () => 100, (error) => errors.push(error)).load(100);
    assert.deepStrictEqual(loaded.messages.map((m) => m.id), ['a', 'b']);
    assert.ok(loaded.setAside && fs.existsSync(loaded.setAside), 'the damaged file is kept aside');
    assert.deepStrictEqual(new MessageJournal(file, () => 100).load(100).messages.map((m) => m.id), ['a', 'b'], 'the rewritten file is clean');
    assert.deepStrictEqual(errors, []);
  });

  it('compacts to the held messages once the file passes twice the bound', async () => {
    const journal = new MessageJournal(file, () => 5);
    const held = [nodeMessage({ id: 'keep1' }), nodeMessage({ id: 'keep2' })];
    for (let i = 0; i < 11; i++) {
      journal.append(nodeMessage({ id: `m${i}` }));
    }
    await journal.flush(() => held);
    assert.deepStrictEqual(fs.readFileSync(file, 'utf8').trim().split('\n').length, 2);
  });

  it('keeps its queue bounded in a burst, then rewrites from what is held', async () => {
    const journal = new MessageJournal(file, () => 10);
    for (let i = 0; i < 10_000; i++) {
      journal.append(nodeMessage({ id: `m${i}` }));
      assert.ok(journal.pendingCount <= 10);
    }
    const held = Array.from({ length: 10 }, (_, i) => nodeMessage({ id: `m${9990 + i}` }));
    await journal.flush(() => held);
    assert.deepStrictEqual(new MessageJournal(file, () => 10).load(10).messages.map((m) => m.id), held.map((m) => m.id));
  });

  it('clear() empties the file and drops what was queued', async () => {
    const journal = new MessageJournal(file, () => 5);
    journal.append(nodeMessage({ id: 'a' }));
    await journal.flush();
    journal.append(nodeMessage({ id: 'b' }));
    await journal.clear();
    await journal.flush();
    assert.strictEqual(fs.readFileSync(file, 'utf8'), '');
  });

  it('loses at most the record being written when the writer is killed with SIGKILL', async function () {
    this.timeout(20_000);
    const journalModule = path.resolve(__dirname, '../../src/core/messageJournal.js');
    const writer = `
      const { MessageJournal } = require(${JSON.stringify(journalModule)});
      const journal = new MessageJournal(${JSON.stringify(file)}, () => 1e9);
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
    const loaded = new MessageJournal(file, () => 1e9).load(1e9);
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
    const snapshotModule = path.resolve(__dirname, '../../src/core/snapshotFile.js');
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

  it('sets a damaged file aside instead of failing', () => {
    const target = path.join(dir, 'watches.json');
    fs.writeFileSync(target, '[{"messageId": "a", "crea');
    const loaded = new SnapshotFile(target).load();
    assert.strictEqual(loaded.value, undefined);
    assert.ok(loaded.setAside && fs.readFileSync(loaded.setAside, 'utf8').startsWith('[{"messageId"'));
    assert.ok(!fs.existsSync(target));
  });
});
