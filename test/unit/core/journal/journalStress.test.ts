import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { MessageJournal } from '../../../../src/core/journal/messageJournal';
import { journalPerTest, plantStaleLock } from '../../helpers/journalFiles';
import { until } from '../../helpers/waitFor';

/** What the journal keeps per node; each writer is a node of its own, and writes more than twice that. */
const PER_NODE = 20;
const PER_WRITER = 60;
const WRITERS = 4;
/** The time the rounds may take together; at least `MIN_ROUNDS` run whatever the machine's load. */
const BUDGET_MS = 12_000;
const MIN_ROUNDS = 4;

/** What a writer writes as its record `i`: one record in 16 spans several pages, so a kill can cut it. */
const dataSize = (i: number) => (i % 16 === 15 ? 32 * 1024 : 100 + ((i * 37) % 900));

interface Writer {
  readonly node: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Records 0 … flushed - 1 were written by flushes that finished. */
  flushed: number;
  flushing: boolean;
  ready: boolean;
  compactions: number;
  problems: string[];
}

describe('MessageJournal under four processes, stale locks and SIGKILL', () => {
  const paths = journalPerTest('imp-journal-stress-');

  function start(node: string): Writer {
    const { file } = paths;
    const journalModule = path.resolve(__dirname, '../../../../src/core/journal/messageJournal.js');
    const script = `
      const fs = require('fs');
      const { MessageJournal } = require(${JSON.stringify(journalModule)});
      const file = ${JSON.stringify(file)};
      const say = (line) => process.stdout.write(line + '\\n');
      const rename = fs.renameSync;
      fs.renameSync = (from, to) => { rename(from, to); if (to === file) say('compacted'); };
      const journal = new MessageJournal(file, () => ({ maxMessages: ${PER_NODE}, maxBytes: 1e12, maxTotalBytes: 1e12 }),
        (kind, error) => say('problem ' + kind + ': ' + error.message));
      let stop = false;
      // The first line is the start: every writer of a round finds the planted lock at the same moment.
      const go = new Promise((resolve) => process.stdin.once('data', resolve));
      process.stdin.on('end', () => (stop = true));
      say('ready');
      (async () => {
        await go;
        let i = 0;
        while (!stop && i < ${PER_WRITER}) {
          const batch = 1 + Math.floor(Math.random() * 8);
          for (let k = 0; k < batch && i < ${PER_WRITER}; k++, i++) {
            const size = (${dataSize.toString()})(i);
            journal.append({ node: ${JSON.stringify(node)}, id: ${JSON.stringify(node)} + '-' + i, replyToId: '', fromPubkey: 'p', data: Buffer.alloc(size, 0x61 + (i % 26)), serviceType: 'message', amount: BigInt(i), receivedAt: i });
          }
          say('flushing');
          await journal.flush();
          // A flush that could not write keeps its batch queued: it is not finished.
          say(journal.pendingCount === 0 ? 'flushed ' + i : 'queued');
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
        }
        await new Promise((resolve) => (stop ? resolve() : process.stdin.once('end', resolve)));
        await journal.flush();
      })();
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const writer: Writer = { node, child, exited: new Promise((resolve) => child.once('close', resolve)), flushed: 0, flushing: false, ready: false, compactions: 0, problems: [] };
    let rest = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') {
          writer.ready = true;
        } else if (line === 'flushing') {
          writer.flushing = true;
        } else if (line.startsWith('flushed ')) {
          writer.flushed = Number(line.slice('flushed '.length));
          writer.flushing = false;
        } else if (line === 'compacted') {
          writer.compactions++;
        } else if (line.startsWith('problem ')) {
          writer.problems.push(line);
        }
      }
    });
    return writer;
  }

  it('keeps every record of every finished flush exactly once, whoever was killed holding the lock', async function () {
    this.timeout(90_000);
    const { file } = paths;
    const began = Date.now();
    const finished: Writer[] = [];
    const tally = { rounds: 0, kills: 0, killedMidFlush: 0, checks: 0, cutShort: 0, incarnations: 0 };
    const node = (slot: number) => `${String.fromCharCode(65 + slot)}${tally.incarnations++}`;
    while (tally.rounds < MIN_ROUNDS || Date.now() - began < BUDGET_MS) {
      tally.rounds++;
      // What a window that crashed holding the lock leaves: a dead process's, or one untouched for a minute.
      plantStaleLock(file, tally.rounds % 2 ? 'dead process' : 'untouched');
      const live = Array.from({ length: WRITERS }, (_, slot) => start(node(slot)));
      await until(() => live.every((writer) => writer.ready), 'the writers started', 30_000);
      for (const writer of live) {
        writer.child.stdin?.write('go\n');
      }
      const killsThisRound = 1 + (tally.rounds % 3);
      for (let k = 0; k < killsThisRound; k++) {
        await new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 160));
        const slot = Math.floor(Math.random() * WRITERS);
        const victim = live[slot] as Writer;
        victim.child.kill('SIGKILL');
        await victim.exited;
        tally.kills++;
        tally.killedMidFlush += victim.flushing ? 1 : 0;
        finished.push(victim);
        live[slot] = start(node(slot));
        live[slot]?.child.stdin?.write('go\n');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const writer of live) {
        writer.child.stdin?.end();
      }
      assert.deepStrictEqual(await Promise.all(live.map((writer) => writer.exited)), live.map(() => 0), 'the writers not killed exit cleanly');
      finished.push(...live);

      assert.deepStrictEqual(finished.flatMap((writer) => writer.problems), [], 'no writer reported a problem');
      const seen = new Map<string, number>();
      for (const row of fs.readFileSync(file, 'utf8').split('\n')) {
        if (row === '') {
          continue;
        }
        let record: { id?: string; data?: string; amount?: string };
        try {
          record = JSON.parse(row);
        } catch {
          tally.cutShort++;
          continue;
        }
        const id = String(record.id);
        seen.set(id, (seen.get(id) ?? 0) + 1);
        assert.strictEqual(Buffer.from(String(record.data), 'base64').length, dataSize(Number(record.amount)), `${id} is whole`);
      }
      for (const writer of finished) {
        // Compaction keeps a node's newest PER_NODE records (its own and, if it was killed, those of
        // its unfinished flush): every finished record among those is there, once.
        let newest = -1;
        while (seen.has(`${writer.node}-${newest + 1}`) || newest + 1 < writer.flushed) {
          newest++;
        }
        for (let i = Math.max(0, newest - PER_NODE + 1); i < writer.flushed; i++) {
          tally.checks++;
          assert.strictEqual(seen.get(`${writer.node}-${i}`), 1, `${writer.node}-${i}, flushed, is there exactly once (round ${tally.rounds})`);
        }
      }
      for (const [id, times] of seen) {
        assert.strictEqual(times, 1, `${id} is there once`);
      }
    }
    const loaded = new MessageJournal(file, () => ({ maxMessages: PER_NODE, maxBytes: 1e12, maxTotalBytes: 1e12 })).load();
    assert.strictEqual(loaded.setAside, undefined, 'never damaged');
    const flushedRecords = finished.reduce((sum, writer) => sum + writer.flushed, 0);
    const compactions = finished.reduce((sum, writer) => sum + writer.compactions, 0);
    console.log(
      `      ${tally.rounds} rounds in ${((Date.now() - began) / 1000).toFixed(1)} s: ${finished.length} processes, ${tally.kills} killed with SIGKILL (${tally.killedMidFlush} mid-flush), ` +
        `${tally.rounds} stale locks planted, ${compactions} compactions; of ${flushedRecords} flushed records, every one the bounds keep ` +
        `was there exactly once after every round (${tally.checks} checks; ${loaded.messages.length} held at the end), ${tally.cutShort} records cut short seen`,
    );
    assert.ok(tally.kills >= MIN_ROUNDS && compactions > 0, `${tally.kills} kills, ${compactions} compactions`);
  });
});
