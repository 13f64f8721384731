import * as assert from 'assert';
import { blockFingerprint, blockKeys } from '../../../../src/core/requests/blockKeys';
import { parseRequestFile } from '../../../../src/core/requests/parser';
import { SpendGuard, type PlannedSend, type SpendQuestion } from '../../../../src/core/requests/spendGuard';
import { LISTED_SENDS, spendQuestionText } from '../../../../src/core/requests/spendText';
import { ALICE } from './sampleFile';

const BOB = `02${'b'.repeat(64)}`;

function send(block: string, amount: bigint, fields: Partial<PlannedSend> = {}): PlannedSend {
  return { block, recipient: ALICE, amount, ...fields };
}

describe('spend guard', () => {
  it('asks nothing up to the limit, then before the send that passes it, naming that send and the new total', async () => {
    const asked: SpendQuestion[] = [];
    const guard = new SpendGuard(100n, async (question) => (asked.push(question), true));
    assert.strictEqual(await guard.begin([send('a', 50n)], 0), true);
    assert.strictEqual(await guard.allow(send('a', 50n)), true);
    assert.strictEqual(await guard.allow(send('b', 50n)), true);
    assert.strictEqual(asked.length, 0);
    assert.strictEqual(await guard.allow(send('c', 1n)), true);
    assert.deepStrictEqual(asked, [{ kind: 'overBudget', send: send('c', 1n), total: 101n, approved: 100n }]);
    // Approved up to 101: the next sat asks again.
    assert.strictEqual(await guard.allow(send('d', 1n)), true);
    assert.deepStrictEqual(
      asked.map((question) => (question.kind === 'run' ? [] : [question.total, question.approved])),
      [
        [101n, 100n],
        [102n, 101n],
      ],
    );
    assert.strictEqual(guard.total, 102n);
  });

  it('a "no" is final for the run: nothing is let through after it, and nothing is asked again', async () => {
    let asked = 0;
    const guard = new SpendGuard(10n, async () => (asked++, false));
    assert.strictEqual(await guard.allow(send('a', 11n)), false);
    assert.strictEqual(guard.declined, true);
    assert.strictEqual(await guard.allow(send('b', 1n)), false);
    assert.strictEqual(await guard.begin([send('b', 1n)], 0), false);
    assert.strictEqual(asked, 1);
    assert.strictEqual(guard.total, 0n);
  });

  it('a question that throws (a closed dialog, a dead window) counts as "no"', async () => {
    const guard = new SpendGuard(0n, async () => {
      throw new Error('gone');
    });
    await assert.rejects(guard.allow(send('a', 1n)), /gone/);
    assert.strictEqual(guard.declined, true);
    assert.strictEqual(await guard.allow(send('b', 1n)), false);
  });

  it('always asks about an amount that came from a reply, even at 1 sat under a huge approval', async () => {
    const asked: SpendQuestion[] = [];
    const guard = new SpendGuard(1_000_000n, async (question) => (asked.push(question), true));
    assert.strictEqual(await guard.allow(send('pay', 1n, { amountFrom: 'quote' })), true);
    assert.deepStrictEqual(
      asked.map((question) => question.kind),
      ['replyAmount'],
    );
  });

  it('begin asks once per run; askFirst asks even under the limit, but not when there is nothing to send', async () => {
    const asked: SpendQuestion[] = [];
    const guard = new SpendGuard(100n, async (question) => (asked.push(question), true), { askFirst: true });
    assert.strictEqual(await guard.begin([send('a', 1n)], 2, 3), true);
    assert.strictEqual(await guard.begin([send('x', 500n)], 0), true);
    assert.deepStrictEqual(asked, [{ kind: 'run', sends: [send('a', 1n)], total: 1n, limit: 100n, later: 2, files: 3, askFirst: true }]);
    const idle = new SpendGuard(100n, async () => assert.fail('nothing to send, nothing to ask'), { askFirst: true });
    assert.strictEqual(await idle.begin([], 0), true);
  });

  it('an approved opening total raises the budget to it, and no further', async () => {
    const asked: SpendQuestion[] = [];
    const guard = new SpendGuard(100n, async (question) => (asked.push(question), true));
    await guard.begin([send('a', 150n)], 0);
    assert.strictEqual(await guard.allow(send('a', 150n)), true);
    assert.strictEqual(asked.length, 1);
    await guard.allow(send('b', 1n));
    assert.deepStrictEqual(
      asked.map((question) => question.kind),
      ['run', 'overBudget'],
    );
  });
});

describe('spend questions as the dialog words them', () => {
  it('lists each send with its shortened recipient and amount, and the total against the limit', () => {
    const { message, detail } = spendQuestionText({
      kind: 'run',
      sends: [send('a', 60n), send('b', 41n, { recipient: BOB })],
      total: 101n,
      limit: 100n,
      later: 1,
      files: 1,
      askFirst: false,
    });
    assert.strictEqual(message, 'This run sends 3 messages: 101 sat in total, against a limit of 100 sat per run. Send them?');
    const lines = detail.split('\n');
    assert.deepStrictEqual(lines.slice(0, 2), ['• 0378f1…c8b9a: 60 sat ("a")', '• 02bbbb…bbbbb: 41 sat ("b")']);
    assert.match(lines[2]!, /^1 more send depends on a reply/);
  });

  it('past ten sends, counts them instead of listing them', () => {
    const sends = Array.from({ length: LISTED_SENDS + 1 }, (_, i) => send(`b${i}`, 10n, { recipient: i % 2 ? ALICE : BOB }));
    const { detail } = spendQuestionText({ kind: 'run', sends, total: 110n, limit: 100n, later: 0, files: 1, askFirst: false });
    assert.strictEqual(detail.split('\n')[0], '11 sends to 2 recipients.');
  });

  it('names how many sends in how many files when Run All Tests reaches request files', () => {
    const { message, detail } = spendQuestionText({ kind: 'run', sends: [send('a', 1n, { file: 'x/a.imp' }), send('b', 1n, { file: 'b.imp' })], total: 2n, limit: 100n, later: 0, files: 2, askFirst: true });
    assert.strictEqual(message, 'Running all tests runs request files too: 2 sends from 2 request files, 2 sat in total (limit 100 sat per run). Send them?');
    assert.match(detail, /^• 0378f1…c8b9a: 1 sat \("a" in x\/a\.imp\)$/m);
  });

  it('names the reply an amount came from, and the recipient a reply chose', () => {
    const question: SpendQuestion = { kind: 'replyAmount', send: send('pay', 999_999_999n, { amountFrom: 'quote', recipientFrom: 'quote' }), total: 1_000_000_000n, approved: 100n };
    const { message, detail } = spendQuestionText(question);
    assert.strictEqual(message, 'The amount of the next send, 999,999,999 sat, came from the reply to "quote". Send it?');
    assert.strictEqual(detail.split('\n')[0], '• 0378f1…c8b9a: 999,999,999 sat ("pay"); the recipient came from the reply to "quote"');
    assert.match(detail, /would have spent 1,000,000,000 sat with it \(approved so far: 100 sat\)/);
  });

  it('keeps hostile block names, file names and recipients to one line of plain text', () => {
    const hostile = 'x"\n• 03aaaa…: 1 sat ("fake")\u202e[link](command:evil)';
    const { message, detail } = spendQuestionText({
      kind: 'overBudget',
      send: send(hostile, 5n, { recipient: `03${'c'.repeat(64)}\nforged`, file: hostile }),
      total: 105n,
      approved: 100n,
    });
    assert.strictEqual(message.includes('\n'), false);
    const lines = detail.split('\n');
    assert.strictEqual(lines.length, 2, 'one line for the send and one for Cancel');
    assert.ok(!lines[0]!.includes('\u202e'));
    assert.match(lines[0]!, /x\\"\\n• 03aaaa/);
  });
});

describe('block keys', () => {
  it('are unique within a file, whatever the titles and names repeat, and stable for the first of each', () => {
    const file = parseRequestFile([`### same`, `SEND ${ALICE}`, `### same`, `SEND ${ALICE}`, `### other`, `# @name same`, `SEND ${ALICE}`, `###`, `SEND ${ALICE}`, `### a\0b`, `SEND ${ALICE}`].join('\n'));
    const keys = blockKeys(file);
    assert.deepStrictEqual(keys, ['same', 'same\n2', 'same\n3', '#4', 'a\ufffdb']);
  });

  it('a fingerprint tells a moved block from the one a lens was made for', () => {
    const before = parseRequestFile(`###\nSEND ${ALICE}\n###\nSEND ${BOB}\n`);
    const after = parseRequestFile(`###\nSEND {{x}}\n###\nSEND ${ALICE}\n###\nSEND ${BOB}\n`);
    const made = blockFingerprint(blockKeys(before)[1]!, before.blocks[1]!);
    assert.notStrictEqual(blockFingerprint(blockKeys(after)[1]!, after.blocks[1]!), made, 'another block now stands at index 1');
    assert.strictEqual(blockFingerprint(blockKeys(before)[1]!, before.blocks[1]!), made);
  });
});
