import * as assert from 'assert';
import * as l10n from '@vscode/l10n';
import { minimumAmount } from '../../../src/core/sending/amount';
import { completeAt } from '../../../src/core/requests/completion';
import { requestDiagnostics } from '../../../src/core/requests/diagnostics';
import { checkExpectations, shownValue } from '../../../src/core/requests/expectations';
import { hoverAt } from '../../../src/core/requests/hover';
import { MAX_PROBLEMS, parseRequestFile } from '../../../src/core/requests/parser';
import { resolveReference, type BlockOutcome } from '../../../src/core/requests/references';
import type { Reference } from '../../../src/core/requests/requestFile';
import { nodeProblem, RequestRunner, type RequestPort } from '../../../src/core/requests/runner';
import { SpendGuard } from '../../../src/core/requests/spendGuard';
import { sampleRequestText } from '../../../src/vscode/requests/sampleRequestFile';
import { FakeClock } from '../helpers/fakeClock';
import { pseudo, withPseudoLocale } from '../helpers/pseudoLocale';
import { ALICE, reply } from '../core/requests/sampleFile';

/** The whole text went through `l10n.t`. */
const LOOKED_UP = /^⟦.*⟧$/s;

function messages(text: string): string[] {
  return parseRequestFile(text).problems.map((problem) => problem.message);
}

/** A port whose sends fail with `failSends`, or get `id1`, `id2`…, and whose replies never come. */
function port(nodes: readonly string[] = ['sim'], failSends?: string): RequestPort {
  let sent = 0;
  return {
    send: async () => {
      if (failSends !== undefined) {
        throw new Error(failSends);
      }
      return `id${++sent}`;
    },
    waitForReply: async () => Promise.reject(new Error('no reply')),
    waitForMessage: async () => undefined,
    minimumAmount,
    nodeNames: () => nodes,
    clock: new FakeClock(),
  };
}

async function failures(text: string, options: { nodes?: readonly string[]; failSends?: string; confirm?: boolean } = {}): Promise<string[]> {
  const runner = new RequestRunner(port(options.nodes, options.failSends));
  const spend = new SpendGuard(100n, async () => options.confirm ?? true);
  const results = await runner.runAllRequests('file:///l10n.imp', parseRequestFile(text), { defaultTimeoutMs: 1000, spend });
  return results.flatMap((result) => result.failures);
}

describe('request files in the display language', () => {
  it('parser problems', () =>
    withPseudoLocale(() => {
      const found = messages(
        [
          'junk before the first block',
          '@1bad = x',
          '@a = 1',
          '@a = 2',
          '### one',
          '# @name dup',
          '# @name 9bad',
          '# @name renamed',
          '# @timeout forever',
          '@v = 1',
          'stray',
          'SEND',
          'X-Thing: 1',
          'not a header',
          'Amount: lots',
          'Amount: 2',
          'Reply-To: a b',
          'Node:',
          '# @name late',
          '',
          '{{unclosed',
          '{{1x}}',
          '> expect reply within forever',
          '> expect reply.data contains pong',
          '> expect reply.json.a..b == 1',
          '> expect reply.json.a == nope',
          '> expect reply.from == 04zz',
          '> expect reply.amount >= lots',
          '> expect something else',
          'trailing text',
          '### two',
          '# @name dup',
          '### three',
          '# @name dup',
          'SEND 02zz',
        ].join('\n'),
      );
      // Every message of the parser, the assertion syntax and the reference scan, at least once.
      assert.strictEqual(found.length, 29, found.join('\n'));
      assert.deepStrictEqual(found.filter((message) => !LOOKED_UP.test(message)), []);
      assert.ok(found.includes(pseudo('This block has no "SEND <pubkey>" line')));
      assert.ok(found.includes('⟦Not a reference: {{1x}} (expected {{variable}}, {{block.id}}, {{block.reply.id|data|from}} or {{block.reply.json.path}})⟧'));
    }));

  it('the line that says how many problems are not shown, one or more', () =>
    withPseudoLocale(() => {
      const found = messages('x\n'.repeat(MAX_PROBLEMS + 5));
      assert.strictEqual(found[MAX_PROBLEMS], '⟦5 more problems are not shown⟧');
      assert.strictEqual(messages('x\n'.repeat(MAX_PROBLEMS + 1))[MAX_PROBLEMS], pseudo('1 more problem is not shown'));
    }));

  it('diagnostics of references, cycles, variables, nodes and amounts', () =>
    withPseudoLocale(() => {
      const file = parseRequestFile(
        [
          '@key = not a pubkey',
          '### a',
          '# @name a',
          'SEND {{key}}',
          'Node: elsewhere',
          '',
          '{{b.id}} {{nobody}} {{ghost.id}}',
          '### b',
          '# @name b',
          `SEND ${ALICE}`,
          'Node: ws://host',
          '',
          '{{a.id}}',
          '### c',
          `SEND ${ALICE}`,
          'Amount: 1',
        ].join('\n'),
      );
      const found = requestDiagnostics(file, { nodeNames: ['sim'], minimumAmount: () => 5n }).map((problem) => problem.message);
      assert.strictEqual(found.length, 7, found.join('\n'));
      assert.deepStrictEqual(found.filter((message) => !LOOKED_UP.test(message)), []);
      assert.ok(found.includes(pseudo('Reference cycle: a → b → a')), found.join('\n'));
      assert.strictEqual(nodeProblem('x', []), pseudo(`Node: no configured node is named "x" (configured: ${pseudo('none')})`));
    }));

  it('reference values and hovers', () =>
    withPseudoLocale(() => {
      const file = parseRequestFile(`### a\nSEND ${ALICE}\n\n{{1x}} {{v}} {{a.id}} {{b.reply.id}} {{c.reply.json.n}} {{d.reply.json.n}}\n`);
      const references: readonly Reference[] = file.blocks[0]!.body!.references;
      const outcomes = new Map<string, BlockOutcome>([
        ['b', { id: 'b1', reply: undefined }],
        ['c', { id: 'c1', reply: reply('plain') }],
        ['d', { id: 'd1', reply: reply('{}') }],
      ]);
      const problems = references.map((reference) => {
        const value = resolveReference(reference, { variables: file.variables, outcomes });
        return value.ok ? value.value : value.problem;
      });
      assert.deepStrictEqual(problems, [
        pseudo('not a reference'),
        pseudo('unknown variable'),
        pseudo('a has no result in this window yet'),
        pseudo('b has no reply'),
        pseudo('the reply of c is not JSON'),
        pseudo('the reply of d has no n'),
      ]);
      const hover = hoverAt(file, references[1]!.range.start, { variables: file.variables, outcomes });
      assert.strictEqual(hover?.text, `{{v}}: ${pseudo('unknown variable')}`);
    }));

  it('expectation failures', () =>
    withPseudoLocale(() => {
      // Deeper than jsonEqual compares.
      const deep = `${'['.repeat(1100)}${']'.repeat(1100)}`;
      const expectations = parseRequestFile(
        [
          '### a',
          `SEND ${ALICE}`,
          '',
          '> expect reply within 1s',
          '> expect reply.data contains "x"',
          '> expect reply.data == "x"',
          '> expect reply.from == {{nobody}}',
          `> expect reply.from == 02${'b'.repeat(64)}`,
          '> expect reply.amount >= 5',
          '> expect reply.amount == 5',
          '> expect reply.json.a == 1',
          '> expect reply.json.a != 2',
          '> expect reply.json.b == 1',
          `> expect reply.json.c == ${deep}`,
        ].join('\n'),
      ).blocks[0]!.expectations;
      const context = { variables: new Map(), outcomes: new Map() };
      const got = [
        ...checkExpectations(expectations, { reply: reply(`{"a":2,"c":${deep}}`), latencyMs: 1500, waitedMs: 2000 }, context),
        ...checkExpectations(expectations.slice(7, 9), { reply: reply('plain'), latencyMs: 10, waitedMs: 2000 }, context),
        ...checkExpectations(expectations.slice(0, 1), { reply: undefined, latencyMs: undefined, waitedMs: 2000 }, context),
        ...checkExpectations(parseRequestFile(`### a\nSEND ${ALICE}\n> expect no reply within 1s`).blocks[0]!.expectations, { reply: reply('x'), latencyMs: 10, waitedMs: 1000 }, context),
      ].map((failure) => failure.text);
      // Every failure text expectations have, once each.
      assert.strictEqual(got.length, 15, got.join('\n'));
      assert.deepStrictEqual(got.filter((failure) => !LOOKED_UP.test(failure)), []);
      assert.strictEqual(got[5], pseudo('reply.amount: expected >= 5, got 1'));
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      assert.strictEqual(shownValue(circular), pseudo('(too deeply nested to show)'));
    }));

  it('why a block was not sent, or its send failed', () =>
    withPseudoLocale(async () => {
      const found = await failures(
        [
          '### no send',
          '### bad key',
          'SEND 04zz',
          '### cheap',
          `SEND ${ALICE}`,
          'Amount: 0',
          '### url',
          `SEND ${ALICE}`,
          'Node: http://host',
          '### cycle',
          '# @name x',
          `SEND ${ALICE}`,
          'Reply-To: {{x.id}}',
        ].join('\n'),
      );
      assert.deepStrictEqual(found, [
        pseudo(`not sent: ${pseudo('the block has no SEND line')}`),
        pseudo(`not sent: ${pseudo('SEND: "04zz" is not a node pubkey')}`),
        pseudo(`not sent: ${pseudo(`Amount: 0 is below the node's minimum of ${minimumAmount(0)} for this body`)}`),
        pseudo(`not sent: ${pseudo('Node: "http://host" looks like a URL; name a configured node (configured: "sim")')}`),
        pseudo('not sent: reference cycle x → x'),
      ]);
      const expensive = `### rich\nSEND ${ALICE}\nAmount: 1000000\n`;
      assert.deepStrictEqual(await failures(expensive, { confirm: false }), [pseudo('not sent: the amount for this run was not confirmed')]);
      assert.deepStrictEqual(await failures(expensive, { failSends: 'refused' }), [pseudo('send failed: refused')]);
    }));

  it("completion's detail of a known sender", () =>
    withPseudoLocale(() => {
      const candidates = completeAt(parseRequestFile('### a\nSEND '), 'SEND ', { line: 1, character: 5 }, { knownSenders: [ALICE], nodeNames: [] });
      assert.deepStrictEqual(candidates.map((candidate) => candidate.detail), [pseudo('sent you a message')]);
    }));

  it("the sample file's comments and titles, its grammar untouched", () =>
    withPseudoLocale(() => {
      const text = sampleRequestText([{ name: 'alice', pubkey: ALICE }]);
      const lines = text.split('\n');
      assert.match(lines[0]!, /^# ⟦A request file: each ### block .*⟧$/);
      assert.match(lines[1]!, /^# ⟦Nothing is sent .*⟧$/);
      assert.ok(lines.includes(`### ${pseudo('ping alice')}`), text);
      assert.ok(lines.includes(`### ${pseudo("answer alice's reply (runs ping first if it has not run yet)")}`), text);
      const file = parseRequestFile(text);
      assert.deepStrictEqual([file.problems, file.blocks.map((block) => block.name)], [[], ['ping', 'followUp']]);
    }));

  it('keeps a translated sample comment on its line', () => {
    l10n.config({ contents: { 'Nothing is sent until you click Send or Send and Check above a block.': 'one line\n### and a block\nSEND 02' } });
    try {
      const file = parseRequestFile(sampleRequestText([{ name: 'alice', pubkey: ALICE }]));
      assert.deepStrictEqual([file.problems, file.blocks.length], [[], 2]);
    } finally {
      l10n.config({ contents: {} });
    }
  });

  it('formats a message once: an argument holding a placeholder stays as it is', async () => {
    const english = nodeProblem('{0}{1}', ['sim']);
    assert.strictEqual(english, 'Node: no configured node is named "{0}{1}" (configured: "sim")');
    assert.strictEqual(await withPseudoLocale(() => nodeProblem('{0}{1}', ['sim'])), pseudo(english));
  });
});
