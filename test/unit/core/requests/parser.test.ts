import * as assert from 'assert';
import { parseRequestFile, MAX_PROBLEMS } from '../../../../src/core/requests/parser';
import { displayName, type RequestFile } from '../../../../src/core/requests/requestFile';
import { ALICE, SAMPLE } from './sampleFile';

function messages(file: RequestFile): string[] {
  return file.problems.map((problem) => problem.message);
}

function only(text: string): string {
  const problems = messages(parseRequestFile(text));
  assert.strictEqual(problems.length, 1, `one problem, got ${JSON.stringify(problems)}`);
  return problems[0]!;
}

describe('request file parser', () => {
  it('reads the documented example: variables, meta, SEND, headers, body and expectations', () => {
    const file = parseRequestFile(SAMPLE);
    assert.deepStrictEqual(file.problems, []);
    assert.strictEqual(file.variables.get('alice')?.value, ALICE);
    assert.strictEqual(file.blocks.length, 2);
    const [ping, follow] = file.blocks;
    assert.strictEqual(ping!.title, 'ping alice');
    assert.strictEqual(ping!.name, 'ping');
    assert.strictEqual(ping!.timeoutMs, 10_000);
    assert.strictEqual(ping!.pubkey!.text, '{{alice}}');
    assert.deepStrictEqual(ping!.pubkey!.references[0]!.target, { kind: 'variable', name: 'alice' });
    assert.deepStrictEqual(ping!.headers.map((h) => [h.name, h.value.text]), [['Amount', '10']]);
    assert.strictEqual(ping!.body!.text, 'hello alice');
    assert.deepStrictEqual(ping!.expectations.map((e) => e.assertion), [
      { kind: 'replyWithin', ms: 10_000 },
      { kind: 'dataContains', value: 'pong' },
    ]);
    assert.strictEqual(follow!.name, undefined);
    assert.strictEqual(displayName(follow!), 'follow up in reply to her reply');
    assert.deepStrictEqual(follow!.headers[0]!.value.references[0]!.target, { kind: 'reply', block: 'ping', field: 'id' });
    assert.deepStrictEqual(follow!.body!.references.map((r) => r.target), [{ kind: 'id', block: 'ping' }]);
    const json = follow!.expectations[0]!.assertion;
    assert.deepStrictEqual(json, { kind: 'json', path: ['status'], pathText: 'status', operator: '==', value: 'ok' });
  });

  it('gives source ranges for the block, SEND, headers, expectations and references', () => {
    const [ping, follow] = parseRequestFile(SAMPLE).blocks;
    assert.deepStrictEqual(ping!.range.start, { line: 1, character: 0 });
    assert.strictEqual(ping!.range.end.line, 11);
    assert.deepStrictEqual(ping!.sendRange, { start: { line: 4, character: 0 }, end: { line: 4, character: 14 } });
    assert.deepStrictEqual(ping!.pubkey!.references[0]!.range, { start: { line: 4, character: 5 }, end: { line: 4, character: 14 } });
    assert.strictEqual(ping!.headers[0]!.range.start.line, 5);
    assert.deepStrictEqual(ping!.expectations.map((e) => e.range.start.line), [9, 10]);
    assert.strictEqual(ping!.nameRange!.start.character, 8);
    const inBody = follow!.body!.references[0]!;
    assert.deepStrictEqual(inBody.range, { start: { line: 16, character: 23 }, end: { line: 16, character: 34 } });
    assert.strictEqual(follow!.body!.text.slice(inBody.offset, inBody.offset + inBody.length), '{{ping.id}}');
  });

  it('gives the range of a reference in a reply.from expectation', () => {
    const text = `@a = ${ALICE}\n### b\nSEND {{a}}\n\nx\n>  expect   reply.from ==   {{a}}  \n`;
    const expectation = parseRequestFile(text).blocks[0]!.expectations[0]!;
    const assertion = expectation.assertion;
    assert.ok(assertion.kind === 'fromEquals');
    assert.deepStrictEqual(assertion.pubkey.references[0]!.range, { start: { line: 5, character: 28 }, end: { line: 5, character: 33 } });
  });

  it('reads CRLF files the same as LF ones', () => {
    const lf = parseRequestFile(SAMPLE);
    const crlf = parseRequestFile(SAMPLE.replace(/\n/g, '\r\n'));
    assert.deepStrictEqual(crlf.problems, []);
    assert.deepStrictEqual(JSON.stringify(crlf.blocks), JSON.stringify(lf.blocks));
  });

  it('keeps multi-line bodies with LF line ends, drops trailing blank lines and takes ">" lines that are not expects', () => {
    const file = parseRequestFile(`### b\nSEND ${ALICE}\n\nline one\n\n> quoted, not an expect\n# not a comment here\n\n\n### next\nSEND ${ALICE}\n`);
    assert.strictEqual(file.blocks[0]!.body!.text, 'line one\n\n> quoted, not an expect\n# not a comment here');
    assert.strictEqual(file.blocks[1]!.body, undefined);
    assert.deepStrictEqual(file.problems, []);
  });

  it('reads every assertion of the grammar', () => {
    const lines = [
      'reply within 250ms',
      'no reply within 2m',
      'reply.data == "exact"',
      'reply.json.items[0].id != 42',
      'reply.json.a.b == {"x":[1,null]}',
      `reply.from == ${ALICE}`,
      'reply.from == {{alice}}',
      'reply.amount >= 5',
      'reply.amount == 0',
    ];
    const file = parseRequestFile(`@alice = ${ALICE}\n### b\nSEND ${ALICE}\n\nbody\n${lines.map((line) => `> expect ${line}`).join('\n')}\n`);
    assert.deepStrictEqual(file.problems, []);
    const kinds = file.blocks[0]!.expectations.map((e) => e.assertion);
    assert.deepStrictEqual(kinds.map((a) => a.kind), ['replyWithin', 'noReplyWithin', 'dataEquals', 'json', 'json', 'fromEquals', 'fromEquals', 'amount', 'amount']);
    assert.deepStrictEqual(kinds[0], { kind: 'replyWithin', ms: 250 });
    assert.deepStrictEqual(kinds[1], { kind: 'noReplyWithin', ms: 120_000 });
    assert.deepStrictEqual((kinds[3] as { path: unknown }).path, ['items', 0, 'id']);
    assert.deepStrictEqual((kinds[4] as { value: unknown }).value, { x: [1, null] });
    assert.strictEqual((kinds[7] as { value: bigint }).value, 5n);
  });

  it('reads message matching QUERY within D; the query may hold the word within', () => {
    const file = parseRequestFile(`### b\nSEND ${ALICE}\n\nbody\n> expect message matching type:invoice json.note:"within reach" within 2s\n> expect message matching within within 500ms\n`);
    assert.deepStrictEqual(file.problems, []);
    const [invoice, word] = file.blocks[0]!.expectations.map((e) => e.assertion);
    assert.ok(invoice?.kind === 'messageMatching' && word?.kind === 'messageMatching');
    assert.strictEqual(invoice.ms, 2000);
    assert.strictEqual(invoice.query.text, 'type:invoice json.note:"within reach"');
    assert.strictEqual(word.query.text, 'within', 'a query of the word itself');
    assert.strictEqual(word.ms, 500);
  });

  it('points a malformed query at its column in the line', () => {
    const line = '> expect message matching type:invoice amount> within 10s';
    const file = parseRequestFile(`### b\nSEND ${ALICE}\n\nbody\n${line}\n`);
    assert.strictEqual(file.problems.length, 1);
    const problem = file.problems[0]!;
    assert.strictEqual(problem.message, "Query: expected a value after 'amount>' (a whole number of satoshis)");
    const at = line.indexOf('amount>');
    assert.deepStrictEqual(problem.range, { start: { line: 4, character: at }, end: { line: 4, character: at + 'amount>'.length } });
    assert.deepStrictEqual(file.blocks[0]!.expectations, [], 'the expectation is not kept');
  });

  it('reads JSON-path references and Node headers; headers are case-insensitive', () => {
    const file = parseRequestFile(`### b\n# @name b\nSEND ${ALICE}\nnode: sim\n\n{{b.reply.json.list[2].name}}{{ b.reply.from }}\n`);
    assert.deepStrictEqual(file.blocks[0]!.headers.map((h) => h.name), ['Node']);
    assert.deepStrictEqual(file.blocks[0]!.body!.references.map((r) => r.target), [
      { kind: 'json', block: 'b', path: ['list', 2, 'name'] },
      { kind: 'reply', block: 'b', field: 'from' },
    ]);
  });

  describe('diagnostics', () => {
    const send = `SEND ${ALICE}`;
    const cases: [string, string, RegExp][] = [
      ['a stray line before the first block', 'hello\n', /Before the first "###"/],
      ['a bad variable name', '@1x = y\n', /not a variable name/],
      ['a block without SEND', '### b\n# @name b\n', /no "SEND <pubkey>" line/],
      ['a SEND without pubkey', '### b\nSEND\n', /SEND needs a pubkey/],
      ['an invalid pubkey', '### b\nSEND 04abc\n', /"04abc" is not a node pubkey/],
      ['a bad block name', `### b\n# @name 9lives\n${send}\n`, /not a block name/],
      ['a bad timeout', `### b\n# @timeout soon\n${send}\n`, /not a timeout/],
      ['a zero timeout', `### b\n# @timeout 0s\n${send}\n`, /not a timeout/],
      ['a timeout past a day', `### b\n# @timeout 1441m\n${send}\n`, /not a timeout .*at most 24 hours/],
      ['a line before SEND', `### b\nhello\n${send}\n`, /Expected "SEND <pubkey>"/],
      ['a variable inside a block', `### b\n@x = 1\n${send}\n`, /Variables go before the first/],
      ['an unknown header', `### b\n${send}\nX-Thing: 1\n`, /Unknown header "X-Thing"/],
      ['a body without the blank line', `### b\n${send}\nhello there\n`, /Expected a header/],
      ['a bad amount', `### b\n${send}\nAmount: ten\n`, /"ten" is not an amount/],
      ['a header twice', `### b\n${send}\nAmount: 1\nAmount: 2\n`, /given twice/],
      ['a header without value', `### b\n${send}\nNode:\n`, /needs a value/],
      ['meta after SEND', `### b\n${send}\n# @name late\n`, /go before the SEND line/],
      ['an unknown assertion', `### b\n${send}\n\nx\n> expect reply.speed > 3\n`, /Unknown assertion/],
      ['a bad duration', `### b\n${send}\n\nx\n> expect reply within 3 hours\n`, /not a duration/],
      ['a non-string for contains', `### b\n${send}\n\nx\n> expect reply.data contains pong\n`, /JSON string literal/],
      ['a bad JSON value', `### b\n${send}\n\nx\n> expect reply.json.a == {oops\n`, /takes a JSON value/],
      ['a bad JSON path', `### b\n${send}\n\nx\n> expect reply.json.a[x] == 1\n`, /not a JSON path/],
      ['a bad reply.from', `### b\n${send}\n\nx\n> expect reply.from == bob\n`, /"bob" is not a node pubkey/],
      ['a bad reply.amount', `### b\n${send}\n\nx\n> expect reply.amount >= lots\n`, /not an amount/],
      ['message matching without a time', `### b\n${send}\n\nx\n> expect message matching type:invoice\n`, /message matching takes a query and a time/],
      ['message matching without a query', `### b\n${send}\n\nx\n> expect message matching within 5s\n`, /needs a query before "within"/],
      ['message matching with a bad duration', `### b\n${send}\n\nx\n> expect message matching x within 2h\n`, /"2h" is not a duration/],
      ['message matching with an unknown field', `### b\n${send}\n\nx\n> expect message matching foo:bar within 1s\n`, /^Query: unknown field 'foo'/],
      ['text after the expects', `### b\n${send}\n\nx\n> expect reply within 1s\nmore body\n`, /only "> expect/],
      ['{{ without }}', `### b\n${send}\n\nhi {{alice\n`, /"\{\{" without a closing "\}\}"/],
      ['a malformed reference', `### b\n${send}\n\nhi {{a.b.c}}\n`, /Not a reference: \{\{a\.b\.c\}\}/],
      ['a duplicate block name', `### a\n# @name x\n${send}\n### b\n# @name x\n${send}\n`, /already named "x"/],
    ];
    for (const [what, text, expected] of cases) {
      it(`reports ${what}`, () => {
        assert.match(only(text), expected);
      });
    }

    it('places a problem on the offending text', () => {
      const file = parseRequestFile(`### b\nSEND   zz\n`);
      assert.deepStrictEqual(file.problems[0]!.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 9 } });
      assert.strictEqual(file.problems[0]!.severity, 'error');
    });

    it('warns, not errs, for a variable set twice, and the later value wins', () => {
      const file = parseRequestFile('@a = 1\n@a = 2\n');
      assert.strictEqual(file.problems[0]!.severity, 'warning');
      assert.strictEqual(file.variables.get('a')!.value, '2');
    });
  });

  describe('hostile input', () => {
    it('parses a 1 MiB line of "{{" with one problem, not one per brace', () => {
      const line = '{{'.repeat(512 * 1024);
      const file = parseRequestFile(`### b\nSEND ${ALICE}\n\n${line}\n`);
      assert.strictEqual(file.problems.length, 1);
      assert.strictEqual(file.blocks[0]!.body!.text.length, line.length);
    });

    it('parses a 1 MiB line of references and a 1 MiB SEND line', () => {
      const refs = '{{a}}'.repeat(200_000);
      const file = parseRequestFile(`@a = x\n### b\nSEND ${'f'.repeat(1 << 20)}\n\n${refs}\n`);
      assert.strictEqual(file.blocks[0]!.body!.references.length, 200_000);
      assert.match(file.problems[0]!.message, /is not a node pubkey/);
      assert.ok(file.problems[0]!.message.length < 300, 'the message shows the value cut');
    });

    it('parses 10,000 blocks, and caps the problems of a file broken throughout', () => {
      const good = Array.from({ length: 10_000 }, (_, i) => `### ${i}\n# @name b${i}\nSEND ${ALICE}\n\nbody ${i}\n> expect reply within 1s\n`).join('');
      assert.strictEqual(parseRequestFile(good).blocks.length, 10_000);
      const bad = Array.from({ length: 10_000 }, (_, i) => `### ${i}\nSEND nope\n`).join('');
      const file = parseRequestFile(bad);
      assert.strictEqual(file.blocks.length, 10_000);
      assert.strictEqual(file.problems.length, MAX_PROBLEMS + 1);
      assert.match(file.problems[MAX_PROBLEMS]!.message, /^9000 more problems are not shown$/);
    });

    it('says one problem not shown in the singular', () => {
      const file = parseRequestFile('x\n'.repeat(MAX_PROBLEMS + 1));
      assert.strictEqual(file.problems.length, MAX_PROBLEMS + 1);
      assert.strictEqual(file.problems[MAX_PROBLEMS]!.message, '1 more problem is not shown');
    });

    it('survives NUL bytes, lone surrogates and lone CRs, and keeps them as data', () => {
      const body = 'a\u0000b \ud800 c\udfff';
      const file = parseRequestFile(`### b\rSEND ${ALICE}\r\n\r\n${body}\n`);
      assert.deepStrictEqual(file.problems, []);
      assert.strictEqual(file.blocks[0]!.body!.text, body);
      assert.match(only(`### b\nSEND 03\u0000${'a'.repeat(63)}\n`), /is not a node pubkey/);
    });

    it('escapes control characters in messages, so a file cannot forge lines in a problem list', () => {
      const message = only('### b\nSEND \u001b[31mred\u2028x\n');
      const raw = [...message].filter((char) => char.charCodeAt(0) < 0x20 || char === '\u2028');
      assert.deepStrictEqual(raw, [], message);
      assert.ok(message.includes('\\u001b[31mred\\u2028x'), message);
    });
  });
});
