import * as assert from 'assert';
import * as fs from 'fs';
import fsModule from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { FileLock } from '../../../../src/core/journal/fileLock';
import { journalPerTest, plantStaleLock } from '../../helpers/journalFiles';

describe('FileLock', () => {
  const paths = journalPerTest('imp-lock-');

  it('gives a stale lock to exactly one of four threads that take it over at the same moment', async function () {
    this.timeout(30_000);
    const { file } = paths;
    const threads = 4;
    const trials = 300;
    // [go, tried, let go, released, result of each thread…]
    const shared = new Int32Array(new SharedArrayBuffer(4 * (4 + threads)));
    const lockModule = path.resolve(__dirname, '../../../../src/core/journal/fileLock.js');
    const source = `
      const { workerData } = require('worker_threads');
      const { FileLock } = require(${JSON.stringify(lockModule)});
      const shared = new Int32Array(workerData.buffer);
      const lock = new FileLock(${JSON.stringify(file)}, 1000);
      for (let trial = 1; trial <= ${trials}; trial++) {
        while (Atomics.load(shared, 0) < trial) Atomics.wait(shared, 0, trial - 1, 50);
        Atomics.store(shared, 4 + workerData.index, lock.tryAcquire() ? 1 : 0);
        Atomics.add(shared, 1, 1);
        Atomics.notify(shared, 1);
        while (Atomics.load(shared, 2) < trial) Atomics.wait(shared, 2, trial - 1, 50);
        lock.release();
        Atomics.add(shared, 3, 1);
        Atomics.notify(shared, 3);
      }
    `;
    const workers = Array.from({ length: threads }, (_, index) => new Worker(source, { eval: true, workerData: { buffer: shared.buffer, index } }));
    const waitFor = (slot: number, value: number) => {
      while (Atomics.load(shared, slot) < value) {
        Atomics.wait(shared, slot, Atomics.load(shared, slot), 50);
      }
    };
    const winners: number[] = [];
    try {
      for (let trial = 1; trial <= trials; trial++) {
        plantStaleLock(file, trial % 2 ? 'dead process' : 'untouched');
        Atomics.store(shared, 0, trial);
        Atomics.notify(shared, 0);
        waitFor(1, trial * threads);
        winners.push(Array.from({ length: threads }, (_, index) => shared[4 + index] as number).reduce((sum, won) => sum + won, 0));
        Atomics.store(shared, 2, trial);
        Atomics.notify(shared, 2);
        waitFor(3, trial * threads);
      }
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
    const tally = (count: number) => winners.filter((won) => won === count).length;
    console.log(`      ${trials} trials, ${threads} threads: one holder ${tally(1)}, two or more ${trials - tally(0) - tally(1)}, none ${tally(0)}`);
    assert.deepStrictEqual([tally(1), trials], [trials, trials], `trials with exactly one holder, of ${trials}`);
  });

  it('keeps the lock of a holder that works longer than the stale time, and frees it on release', async function () {
    this.timeout(20_000);
    const { file } = paths;
    const lock = new FileLock(file, 1000);
    assert.ok(lock.tryAcquire());
    const lockModule = path.resolve(__dirname, '../../../../src/core/journal/fileLock.js');
    // Another thread tries all along; the holder works synchronously, refreshing as compaction does.
    const taken = new Int32Array(new SharedArrayBuffer(4));
    const source = `
      const { workerData } = require('worker_threads');
      const { FileLock } = require(${JSON.stringify(lockModule)});
      const taken = new Int32Array(workerData);
      const other = new FileLock(${JSON.stringify(file)}, 1000);
      while (!other.tryAcquire()) Atomics.wait(taken, 0, 0, 5);
      Atomics.store(taken, 0, Date.now() % 1e9);
      other.release();
    `;
    const worker = new Worker(source, { eval: true, workerData: taken.buffer });
    const end = Date.now() + 2000;
    while (Date.now() < end) {
      Atomics.wait(taken, 0, 0, 20);
      lock.refresh();
    }
    assert.strictEqual(Atomics.load(taken, 0), 0, 'never taken over while its holder works');
    assert.ok(lock.verify());
    lock.release();
    assert.ok(!lock.verify());
    await new Promise((resolve) => worker.once('exit', resolve));
    assert.notStrictEqual(Atomics.load(taken, 0), 0, 'taken once released');
  });

  it('lets a holder stopped past the stale time know it lost the lock', () => {
    const { file } = paths;
    const lock = new FileLock(file, 10_000);
    assert.ok(lock.tryAcquire());
    const generation = fs.readdirSync(`${file}.lock`)[0] as string;
    const longAgo = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(`${file}.lock`, generation), longAgo, longAgo);
    const other = new FileLock(file, 10_000);
    assert.ok(other.tryAcquire(), 'taken over as stale');
    assert.ok(!lock.verify() && other.verify());
    lock.release();
    assert.ok(other.verify(), 'the old holder releasing does not free the new one');
    other.release();
    assert.deepStrictEqual(fs.readdirSync(`${file}.lock`).length, 1, 'older generations are swept');
  });

  it('never leaves a generation without its owner, with hard links or without', () => {
    const { file } = paths;
    // The module itself, which the lock's own import reads through.
    const real = fsModule as unknown as Record<'writeFileSync' | 'writeSync' | 'linkSync', unknown>;
    const failing = (code: string) => () => {
      throw Object.assign(new Error(code), { code });
    };
    const withFailing = (names: Partial<Record<keyof typeof real, string>>, run: () => void) => {
      const saved = { ...real };
      Object.assign(real, Object.fromEntries(Object.entries(names).map(([name, code]) => [name, failing(code)])));
      try {
        run();
      } finally {
        Object.assign(real, { writeFileSync: saved.writeFileSync, writeSync: saved.writeSync, linkSync: saved.linkSync });
      }
    };
    const generations = () => fs.readdirSync(`${file}.lock`).filter((name) => /^\d+$/.test(name));
    withFailing({ writeFileSync: 'ENOSPC' }, () => assert.throws(() => new FileLock(file).tryAcquire(), /ENOSPC/));
    withFailing({ linkSync: 'ENOTSUP', writeSync: 'ENOSPC' }, () => assert.throws(() => new FileLock(file).tryAcquire(), /ENOSPC/));
    assert.deepStrictEqual(generations(), [], 'none left empty');
    // What a process killed between its draft and the link leaves.
    fs.writeFileSync(path.join(`${file}.lock`, '999999999-dead.draft'), '999999999 dead');
    withFailing({ linkSync: 'ENOTSUP' }, () => {
      const lock = new FileLock(file);
      assert.ok(lock.tryAcquire(), 'without hard links too');
      lock.release();
    });
    assert.ok(new FileLock(file).tryAcquire());
    assert.deepStrictEqual(fs.readdirSync(`${file}.lock`), generations(), 'drafts of processes gone are swept');
  });
});
