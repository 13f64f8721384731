import * as assert from 'assert';
import { checkExpectations, replyWaitMs } from '../../../../src/core/requests/expectations';
import { parseRequestFile } from '../../../../src/core/requests/parser';
import type { Expectation } from '../../../../src/core/requests/requestFile';
import { ALICE, reply } from './sampleFile';

const BOB = '02' + 'b'.repeat(64);

function expectations(...lines: string[]): Expectation[] {
  const file = parseRequestFile(`@alice = ${ALICE}\n### b\nSEND ${ALICE}\n\nx\n${lines.map((line) => `> expect ${line}`).join('\n')}\n`);
  assert.deepStrictEqual(file.problems, []);
  return [...file.blocks[0]!.expectations];
}

const variables = parseRequestFile(`@alice = ${ALICE}\n`).variables;
const context = { variables, outcomes: new Map() };

function failures(lines: string[], data: string | undefined, latencyMs = 100, fields = {}): string[] {
  const outcome = data === undefined ? { reply: undefined, latencyMs: undefined, waitedMs: 30_000 } : { reply: reply(data, fields), latencyMs, waitedMs: 30_000 };
  return checkExpectations(expectations(...lines), outcome, context).map((failure) => failure.text);
}

describe('request expectations', () => {
  it('passes when every assertion holds', () => {
    const all = ['reply within 1s', 'reply.data contains "ok"', 'reply.data == "{\\"status\\":\\"ok\\",\\"n\\":[1,{\\"a\\":null}]}"', 'reply.json.status == "ok"', 'reply.json.status != "busy"', 'reply.json.n[1] == {"a":null}', 'reply.json.missing != 1', `reply.from == ${ALICE}`, 'reply.from == {{alice}}', 'reply.amount >= 1', 'reply.amount == 1'];
    assert.deepStrictEqual(failures(all, '{"status":"ok","n":[1,{"a":null}]}'), []);
  });

  it('shows expected against actual', () => {
    assert.deepStrictEqual(failures(['reply.json.status == "ok"'], '{"status":"busy"}'), ['reply.json.status: expected "ok", got "busy"']);
    assert.deepStrictEqual(failures(['reply.json.status != "busy"'], '{"status":"busy"}'), ['reply.json.status: expected anything but "busy", got "busy"']);
    assert.deepStrictEqual(failures(['reply.json.a.b == 1'], '{"a":{}}'), ['reply.json.a.b: expected 1, but the reply has no a.b']);
    assert.deepStrictEqual(failures(['reply.json.a == 1'], 'plain'), ['reply.json.a: expected 1, but the reply is not JSON: "plain"']);
    assert.deepStrictEqual(failures(['reply.data contains "pong"'], 're: ping'), ['reply.data: expected to contain "pong", got "re: ping"']);
    assert.deepStrictEqual(failures(['reply.data == "a"'], 'b'), ['reply.data: expected "a", got "b"']);
    assert.deepStrictEqual(failures([`reply.from == ${BOB}`], 'x'), [`reply.from: expected "${BOB}", got "${ALICE}"`]);
    assert.deepStrictEqual(failures(['reply.amount >= 10', 'reply.amount == 2'], 'x'), ['reply.amount: expected >= 10, got 1', 'reply.amount: expected 2, got 1']);
  });

  it('gives each failed == its two values and its expectation, and no other failure a comparison', () => {
    const outcome = { reply: reply('{"status":"busy","n":2}'), latencyMs: 100, waitedMs: 30_000 };
    const lines = ['reply.data contains "ok"', 'reply.json.status == "ok"', 'reply.json.status != "busy"', 'reply.json.gone == 1', 'reply.amount == 3', 'reply.amount >= 3', `reply.from == ${BOB}`, 'reply.data == "x"'];
    const found = checkExpectations(expectations(...lines), outcome, context);
    assert.deepStrictEqual(
      found.map(({ expectation, comparison }) => [expectation, comparison]),
      [
        [0, undefined],
        [1, { expected: '"ok"', actual: '"busy"' }],
        [2, undefined],
        [3, undefined],
        [4, { expected: '3', actual: '1' }],
        [5, undefined],
        [6, { expected: `"${BOB}"`, actual: `"${ALICE}"` }],
        [7, { expected: '"x"', actual: JSON.stringify('{"status":"busy","n":2}') }],
      ],
    );
    // The values shown side by side are the ones the sentence names, cut and on one line alike.
    for (const { text, comparison } of found.filter((failure) => failure.comparison)) {
      assert.ok(text.endsWith(`expected ${comparison!.expected}, got ${comparison!.actual}`), text);
    }
    const [long] = checkExpectations(expectations('reply.data == "a"'), { ...outcome, reply: reply(`x\n${'z'.repeat(10_000)}`) }, context);
    assert.ok(long!.comparison!.actual.length < 130 && !long!.comparison!.actual.includes('\n'), long!.comparison!.actual);
  });

  it('judges reply within and no reply within by the latency', () => {
    assert.deepStrictEqual(failures(['reply within 1s'], 'x', 1500), ['reply within 1 s: the reply came after 1.5 s']);
    assert.deepStrictEqual(failures(['reply within 1s'], undefined), ['reply within 1s: no reply within 30 s']);
    assert.deepStrictEqual(failures(['no reply within 2s'], undefined), []);
    assert.deepStrictEqual(failures(['no reply within 2s'], 'x', 2500), []);
    assert.match(failures(['no reply within 2s'], 'x', 300)[0]!, /^no reply within 2s: a reply came after 300 ms \(ID "r+"\)$/);
    assert.deepStrictEqual(failures(['reply.data contains "a"', 'reply.amount >= 1'], undefined), ['reply.data contains "a": no reply within 30 s', 'reply.amount >= 1: no reply within 30 s']);
  });

  it('waits the timeout, longer when an assertion asks, and only D for a lone no reply within', () => {
    assert.strictEqual(replyWaitMs([], 30_000), 30_000);
    assert.strictEqual(replyWaitMs(expectations('reply within 5s'), 10_000), 10_000);
    assert.strictEqual(replyWaitMs(expectations('reply within 1m'), 10_000), 60_000);
    assert.strictEqual(replyWaitMs(expectations('no reply within 2s'), 30_000), 2_000);
    assert.strictEqual(replyWaitMs(expectations('no reply within 2s', 'reply.amount >= 1'), 30_000), 30_000);
  });

  it('keeps hostile reply data on one line and short', () => {
    const [failure] = failures(['reply.data contains "x"'], `evil\n[error] forged\u2028${'z'.repeat(10_000)}`);
    assert.ok(!/[\n\r\u2028]/.test(failure!), failure);
    assert.ok(failure!.length < 200, `${failure!.length} chars`);
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    assert.match(failures(['reply.json.a == 1'], `{"a":${deep}}`)[0]!, /^reply\.json\.a: expected 1, got /);
  });
});
