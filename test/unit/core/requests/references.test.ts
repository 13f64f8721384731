import * as assert from 'assert';
import { cycleProblems, planRun } from '../../../../src/core/requests/dependencies';
import { requestDiagnostics } from '../../../../src/core/requests/diagnostics';
import { hoverAt } from '../../../../src/core/requests/hover';
import { parseRequestFile } from '../../../../src/core/requests/parser';
import { checkReferences, parseReferenceText, resolveSpan, type BlockOutcome } from '../../../../src/core/requests/references';
import { minimumAmount } from '../../../../src/core/sending/amount';
import { ALICE, reply, SAMPLE } from './sampleFile';

function block(name: string, refs: string): string {
  return `### ${name}\n# @name ${name}\nSEND ${ALICE}\n\n${refs || 'x'}\n`;
}

describe('request file references', () => {
  it('parses every reference form and rejects the rest', () => {
    assert.deepStrictEqual(parseReferenceText(' alice '), { kind: 'variable', name: 'alice' });
    assert.deepStrictEqual(parseReferenceText('ping.id'), { kind: 'id', block: 'ping' });
    assert.deepStrictEqual(parseReferenceText('ping.reply.data'), { kind: 'reply', block: 'ping', field: 'data' });
    assert.deepStrictEqual(parseReferenceText('p.reply.json.a[0].b'), { kind: 'json', block: 'p', path: ['a', 0, 'b'] });
    for (const bad of ['', '1a', 'p.reply', 'p.reply.json.', 'p.reply.json.a[', 'p.reply.json.a..b', 'p.name', 'a b']) {
      assert.strictEqual(parseReferenceText(bad), undefined, bad);
    }
  });

  it('resolves variables and block results, and substituted values are data, never expanded again', () => {
    const file = parseRequestFile(`@x = {{y}}\n@y = boom\n${block('a', '{{x}} {{a.id}} {{a.reply.from}} {{a.reply.json.list[1]}} {{a.reply.json.obj}}')}`);
    const outcomes = new Map<string, BlockOutcome>([['a', { id: 'ID1', reply: reply('{"list":["z",{"k":1}],"obj":{"n":2}}') }]]);
    const resolved = resolveSpan(file.blocks[0]!.body!, { variables: file.variables, outcomes });
    assert.deepStrictEqual(resolved.failures, []);
    assert.strictEqual(resolved.text, `{{y}} ID1 ${ALICE} {"k":1} {"n":2}`);
  });

  it('says why a reference has no value, and leaves it as written', () => {
    const file = parseRequestFile(`${block('a', '{{a.reply.id}} {{a.reply.json.k}} {{b.id}}')}${block('b', '')}`);
    const variables = file.variables;
    const none = resolveSpan(file.blocks[0]!.body!, { variables, outcomes: new Map() });
    assert.strictEqual(none.text, '{{a.reply.id}} {{a.reply.json.k}} {{b.id}}');
    assert.deepStrictEqual(none.failures, [
      '{{a.reply.id}}: a has no result in this window yet',
      '{{a.reply.json.k}}: a has no result in this window yet',
      '{{b.id}}: b has no result in this window yet',
    ]);
    const noReply = resolveSpan(file.blocks[0]!.body!, { variables, outcomes: new Map([['a', { id: 'i', reply: undefined }]]) });
    assert.match(noReply.failures[0]!, /a has no reply/);
    const notJson = resolveSpan(file.blocks[0]!.body!, { variables, outcomes: new Map([['a', { id: 'i', reply: reply('nope') }]]) });
    assert.match(notJson.failures[0]!, /the reply of a is not JSON/);
    const missing = resolveSpan(file.blocks[0]!.body!, { variables, outcomes: new Map([['a', { id: 'i', reply: reply('{"other":1}') }]]) });
    assert.match(missing.failures[0]!, /has no k$/);
  });

  it('finds nothing inherited through a JSON path', () => {
    const file = parseRequestFile(block('a', '{{a.reply.json.constructor}}'));
    const resolved = resolveSpan(file.blocks[0]!.body!, { variables: file.variables, outcomes: new Map([['a', { id: 'i', reply: reply('{}') }]]) });
    assert.match(resolved.failures[0]!, /has no constructor/);
  });

  it('reports unknown variables and blocks', () => {
    const problems = checkReferences(parseRequestFile(`@known = 1\n${block('a', '{{known}} {{nope}} {{ghost.id}}')}`));
    assert.deepStrictEqual(problems.map((p) => p.message), ['Unknown variable "nope"', 'No block is named "ghost" (name one with "# @name ghost")']);
    assert.deepStrictEqual(problems[0]!.range.start, { line: 5, character: 10 });
  });

  it('orders referenced blocks first and skips those with a result', () => {
    const file = parseRequestFile(`${block('a', '{{c.id}} {{b.id}}')}${block('b', '{{c.reply.id}}')}${block('c', '')}`);
    assert.deepStrictEqual(planRun(file, [0]).order, [2, 1, 0]);
    assert.deepStrictEqual(planRun(file, [0, 1, 2]).order, [2, 1, 0]);
    assert.deepStrictEqual(planRun(file, [0], (name) => name === 'c').order, [1, 0]);
    assert.deepStrictEqual(planRun(file, [2, 0], () => true).order, [2, 0], 'a target runs even with a result');
  });

  it('detects reference cycles, including a block referencing itself, as problems and not hangs', () => {
    const file = parseRequestFile(`${block('a', '{{b.id}}')}${block('b', '{{c.reply.data}}')}${block('c', '{{a.id}}')}${block('d', '{{d.id}}')}${block('e', '{{a.id}}')}`);
    const plan = planRun(file, [4, 3]);
    assert.deepStrictEqual([...plan.cyclic.keys()].sort(), [0, 1, 2, 3]);
    assert.strictEqual(plan.cyclic.get(0)!.description, 'a → b → c → a');
    assert.deepStrictEqual(cycleProblems(file).map((p) => p.message), ['Reference cycle: a → b → c → a', 'Reference cycle: d → d']);
  });

  it('plans a chain of 10,000 blocks without overflowing the stack', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => block(`b${i}`, i + 1 < 10_000 ? `{{b${i + 1}.id}}` : '')).join('');
    const file = parseRequestFile(text);
    const plan = planRun(file, [0]);
    assert.strictEqual(plan.order.length, 10_000);
    assert.strictEqual(plan.order[0], 9_999);
    assert.deepStrictEqual(cycleProblems(file), []);
  });

  it('gives the editor its diagnostics: pubkey variables, node names, amounts below the minimum', () => {
    const text = `@v = notakey\n### a\nSEND {{v}}\nNode: http://evil.example\n\nx\n### b\nSEND ${ALICE}\nNode: lab\nAmount: 1\n\n${'y'.repeat(2000)}\n`;
    const messages = requestDiagnostics(parseRequestFile(text), { nodeNames: ['sim'], minimumAmount }).map((p) => p.message);
    assert.deepStrictEqual(messages, [
      'Variable "v" holds "notakey", not a node pubkey',
      'Node: "http://evil.example" looks like a URL; name a configured node (configured: "sim")',
      'Node: no configured node is named "lab" (configured: "sim")',
      "Amount 1 is below the node's minimum of 3 for this body",
    ]);
    assert.deepStrictEqual(requestDiagnostics(parseRequestFile(SAMPLE), { nodeNames: [], minimumAmount }), []);
  });

  it('hovers a reference with its current value, or why it has none', () => {
    const file = parseRequestFile(SAMPLE);
    const outcomes = new Map<string, BlockOutcome>();
    const at = { line: 14, character: 14 };
    assert.strictEqual(hoverAt(file, at, { variables: file.variables, outcomes })!.text, '{{ping.reply.id}}: ping has no result in this window yet');
    outcomes.set('ping', { id: 'abc', reply: reply('pong\nforged line') });
    assert.strictEqual(hoverAt(file, at, { variables: file.variables, outcomes })!.text, `{{ping.reply.id}} = "${'r'.repeat(64)}"`);
    assert.strictEqual(hoverAt(file, { line: 4, character: 7 }, { variables: file.variables, outcomes })!.text, `{{alice}} = "${ALICE}"`);
    assert.strictEqual(hoverAt(file, { line: 7, character: 2 }, { variables: file.variables, outcomes }), undefined);
  });
});
