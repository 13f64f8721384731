import * as assert from 'assert';
import { commandLineAnswer, commandLineSpendGuard, refusalLines } from '../../../src/cli/spendRules';
import type { PlannedSend, SpendQuestion } from '../../../src/core/requests/spendGuard';

const PEER = '02' + '5a'.repeat(32);
const send = (amount: bigint, fields: Partial<PlannedSend> = {}): PlannedSend => ({ block: 'pay', recipient: PEER, amount, ...fields });

describe('command line: spend rules without a prompt', () => {
  it('answers no past the limit, and to an amount a reply chose unless --allow-reply-amounts (and even then within the limit)', () => {
    const run: SpendQuestion = { kind: 'run', sends: [send(150n)], total: 150n, limit: 100n, later: 0, files: 1, askFirst: false };
    const over: SpendQuestion = { kind: 'overBudget', send: send(60n), total: 120n, approved: 100n };
    const reply = (total: bigint): SpendQuestion => ({ kind: 'replyAmount', send: send(20n, { amountFrom: 'quote' }), total, approved: 100n });
    for (const allowReplyAmounts of [false, true]) {
      assert.strictEqual(commandLineAnswer(run, { allowReplyAmounts }), false);
      assert.strictEqual(commandLineAnswer(over, { allowReplyAmounts }), false);
    }
    assert.strictEqual(commandLineAnswer(reply(21n), { allowReplyAmounts: false }), false);
    assert.strictEqual(commandLineAnswer(reply(21n), { allowReplyAmounts: true }), true);
    assert.strictEqual(commandLineAnswer(reply(101n), { allowReplyAmounts: true }), false);
  });

  it('says what it refused and which option allows it, as statements, not questions', () => {
    const lines = refusalLines({ kind: 'replyAmount', send: send(250n, { amountFrom: 'quote' }), total: 251n, approved: 100n }, { allowReplyAmounts: false, limit: 100n });
    assert.strictEqual(lines[0], 'Not sent (spend rules): The amount of the next send, 250 sat, came from the reply to "quote".');
    assert.ok(lines.some((line) => line.includes('250 sat ("pay")')), lines.join('\n'));
    assert.ok(lines.at(-1)!.includes('--allow-reply-amounts'));
    assert.ok(!lines.some((line) => /\?$|^\s*Cancel/.test(line)), lines.join('\n'));
    const run = refusalLines({ kind: 'run', sends: [send(150n)], total: 150n, limit: 100n, later: 0, files: 1, askFirst: false }, { allowReplyAmounts: false, limit: 100n });
    assert.strictEqual(run[0], 'Not sent (spend rules): This run sends 1 message: 150 sat, against a limit of 100 sat per run.');
    assert.ok(run.at(-1)!.includes('--spend-limit'));
  });

  it('a run past the limit is stopped before its first send; within it, a send that would cross it is refused', async () => {
    const said: string[][] = [];
    const guard = commandLineSpendGuard({ limit: 100n, allowReplyAmounts: false, refused: (lines) => said.push([...lines]) });
    assert.strictEqual(await guard.begin([send(60n), send(30n)], 1), true);
    assert.strictEqual(await guard.allow(send(60n)), true);
    assert.strictEqual(await guard.allow(send(30n)), true);
    assert.strictEqual(said.length, 0);
    assert.strictEqual(await guard.allow(send(20n)), false);
    assert.strictEqual(guard.declined, true);
    assert.strictEqual(said.length, 1);
    assert.match(said[0]![0]!, /takes this run to 110 sat, past the 100 sat approved/);

    const over = commandLineSpendGuard({ limit: 100n, allowReplyAmounts: true, refused: () => undefined });
    assert.strictEqual(await over.begin([send(101n)], 0), false);
    assert.strictEqual(await over.allow(send(1n)), false, 'nothing is sent after a refusal');
  });
});
