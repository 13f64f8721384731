import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { describeQueryError, MAX_QUERY_DEPTH, MAX_QUERY_LENGTH, parseQuery, QuerySyntaxError, type MessageQuery, type QueryError } from '../../../../src/core/query/query';
import { nodeMessage } from '../../helpers/messages';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const ALICE = '02' + 'a1'.repeat(32);
const BOB_DID = 'did:key:z6MkBob';

/** A small stream with one of each kind the fields tell apart. */
const MESSAGES: readonly NodeMessage[] = [
  nodeMessage({ id: 'a1', node: 'local', fromPubkey: ALICE, serviceType: 'invoice', amount: 1n, data: Buffer.from('{"status":"ok","total":12,"items":[{"sku":"X-1"}],"paid":true,"note":null}'), receivedAt: NOW - 60_000 }),
  nodeMessage({ id: 'b2', node: 'local', replyToId: 'a1', fromPubkey: BOB_DID, serviceType: 'Chat Message', amount: 50n, data: Buffer.from('Hello World, status: busy'), receivedAt: NOW - 3 * 3_600_000 }),
  nodeMessage({ id: 'c3', node: 'Remote', replyToId: 'b2', fromPubkey: ALICE, serviceType: 'invoice', amount: 10n, data: Buffer.from('{"status":"Error","total":"12"}'), receivedAt: Date.parse('2026-11-30T08:00:00Z') }),
  nodeMessage({ id: 'd4', node: 'local', fromPubkey: BOB_DID, serviceType: 'message', amount: 0n, data: new Uint8Array([0xff, 0xfe, 0x68, 0x69]), receivedAt: NOW - 1000 }),
];

function compile(text: string): MessageQuery {
  const result = parseQuery(text);
  assert.ok(result.ok, `${text}: ${result.ok ? '' : describeQueryError(result.error)}`);
  return result.query;
}

/** The IDs of the messages the query matches. */
function matching(text: string): string[] {
  const query = compile(text);
  return MESSAGES.filter((message) => query.matches(message, NOW)).map((message) => message.id);
}

function failure(text: string): QueryError {
  const result = parseQuery(text);
  assert.ok(!result.ok, `${text} should not parse`);
  return result.error;
}

describe('queries', () => {
  describe('terms', () => {
    it('a blank query is empty and matches everything', () => {
      for (const text of ['', '   ', '\t\n']) {
        const query = compile(text);
        assert.strictEqual(query.empty, true);
        assert.strictEqual(query.text, '');
        assert.deepStrictEqual(MESSAGES.filter((message) => query.matches(message, NOW)).length, MESSAGES.length);
      }
      assert.strictEqual(compile('  ok ').text, 'ok');
      assert.strictEqual(compile('  ok ').empty, false);
    });

    it('a bare word is a case-insensitive substring of the text, the IDs, the sender or the service type', () => {
      assert.deepStrictEqual(matching('WORLD'), ['b2']);
      assert.deepStrictEqual(matching('status'), ['a1', 'b2', 'c3']);
      assert.deepStrictEqual(matching('a1'), ['a1', 'b2', 'c3'], 'its ID, a reply-to ID, the sender pubkey');
      assert.deepStrictEqual(matching('z6mkbob'), ['b2', 'd4']);
      assert.deepStrictEqual(matching('chat'), ['b2']);
      assert.deepStrictEqual(matching('hi'), ['d4'], 'invalid bytes are replaced, the rest still reads');
      assert.deepStrictEqual(matching('nothing-like-this'), []);
    });

    it('a quoted phrase keeps its spaces, and \\" and \\\\ are its escapes', () => {
      assert.deepStrictEqual(matching('"hello world"'), ['b2']);
      assert.deepStrictEqual(matching('"world hello"'), []);
      assert.deepStrictEqual(matching('"\\"status\\":\\"ok\\""'), ['a1']);
      assert.deepStrictEqual(matching('"status: busy"'), ['b2'], 'a colon inside quotes is text, not a field');
      assert.deepStrictEqual(matching('"OR"'), ['b2', 'c3'], 'a quoted OR is a word');
      const backslash = [nodeMessage({ id: 'x', data: Buffer.from('C:\\path') })];
      assert.ok(compile('"c:\\\\path"').matches(backslash[0]!, NOW));
    });

    it('from: is a case-insensitive prefix of the sender pubkey or DID', () => {
      assert.deepStrictEqual(matching(`from:${ALICE.slice(0, 10).toUpperCase()}`), ['a1', 'c3']);
      assert.deepStrictEqual(matching('from:did:key:z6mk'), ['b2', 'd4']);
      assert.deepStrictEqual(matching('from:"did:key:z6MkBob"'), ['b2', 'd4']);
      assert.deepStrictEqual(matching('from:z6mk'), [], 'a prefix, not a substring');
    });

    it('type: and node: are case-insensitive equality; quotes allow spaces', () => {
      assert.deepStrictEqual(matching('type:INVOICE'), ['a1', 'c3']);
      assert.deepStrictEqual(matching('type:invo'), []);
      assert.deepStrictEqual(matching('type:"chat message"'), ['b2']);
      assert.deepStrictEqual(matching('node:remote'), ['c3']);
      assert.deepStrictEqual(matching('node:LOCAL'), ['a1', 'b2', 'd4']);
    });

    it('id: and reply: are case-insensitive prefixes', () => {
      assert.deepStrictEqual(matching('id:A'), ['a1']);
      assert.deepStrictEqual(matching('reply:a'), ['b2']);
      assert.deepStrictEqual(matching('reply:b2'), ['c3']);
      assert.deepStrictEqual(matching('id:1'), []);
    });

    it('is:reply, is:root and is:json', () => {
      assert.deepStrictEqual(matching('is:reply'), ['b2', 'c3']);
      assert.deepStrictEqual(matching('is:root'), ['a1', 'd4']);
      assert.deepStrictEqual(matching('is:JSON'), ['a1', 'c3']);
      assert.ok(compile('is:json').matches(nodeMessage({ id: 'n', data: Buffer.from(' 42 ') }), NOW), 'any JSON value');
      assert.ok(!compile('is:json').matches(nodeMessage({ id: 'n', data: new Uint8Array() }), NOW), 'empty data is not JSON');
    });

    it('is:json reads every kind of JSON value, after any whitespace, and no text that only starts like one', () => {
      const isJson = compile('is:json');
      const json = (text: string): boolean => isJson.matches(nodeMessage({ id: `j-${text}`, data: Buffer.from(text) }), NOW);
      for (const text of ['{}', '[1]', '"s"', '-1', '0.5', 'true', 'false', 'null', ' \t\r\n{"a":1}']) {
        assert.ok(json(text), `${JSON.stringify(text)} is JSON`);
      }
      for (const text of ['thanks', 'nope', 'free', '-', '12 apples', '{oops', 'hello', '   ', '\u00a0{}']) {
        assert.ok(!json(text), `${JSON.stringify(text)} is not JSON`);
      }
    });

    it('amount compares as a whole number with >, >=, <, <= and =', () => {
      assert.deepStrictEqual(matching('amount>10'), ['b2']);
      assert.deepStrictEqual(matching('amount>=10'), ['b2', 'c3']);
      assert.deepStrictEqual(matching('amount<10'), ['a1', 'd4']);
      assert.deepStrictEqual(matching('amount<=1'), ['a1', 'd4']);
      assert.deepStrictEqual(matching('amount=0'), ['d4']);
      const huge = nodeMessage({ id: 'h', amount: 9_223_372_036_854_775_807n });
      assert.ok(compile('amount>9223372036854775806').matches(huge, NOW), 'compared exactly, as bigint');
      assert.ok(!compile('amount>9223372036854775807').matches(huge, NOW));
    });

    it('after: and before: take an ISO time or a span back from now, on receivedAt', () => {
      assert.deepStrictEqual(matching('after:-15m'), ['a1', 'd4']);
      assert.deepStrictEqual(matching('after:-30s'), ['d4']);
      assert.deepStrictEqual(matching('after:-1d'), ['a1', 'b2', 'd4']);
      assert.deepStrictEqual(matching('before:-2h'), ['b2', 'c3']);
      assert.deepStrictEqual(matching('before:2026-12-01'), ['c3']);
      assert.deepStrictEqual(matching('after:2026-12-02T11:00Z before:2026-12-02T11:59:30Z'), ['a1']);
      assert.deepStrictEqual(matching('after:"2026-11-30T08:00:00Z"'), ['a1', 'b2', 'c3', 'd4'], 'after: includes its instant');
      assert.deepStrictEqual(matching('before:2026-11-30T08:00:00Z'), [], 'before: excludes it');
      const query = compile('after:-1m');
      const message = MESSAGES[3]!;
      assert.ok(query.matches(message, NOW));
      assert.ok(!query.matches(message, NOW + 120_000), 'relative to the now of each match');
    });

    it('json.PATH= compares a JSON value; a bare word is a string', () => {
      assert.deepStrictEqual(matching('json.status=ok'), ['a1']);
      assert.deepStrictEqual(matching('json.status="ok"'), ['a1']);
      assert.deepStrictEqual(matching('json.status=OK'), [], '= is exact');
      assert.deepStrictEqual(matching('json.total=12'), ['a1'], 'a number is not the string "12"');
      assert.deepStrictEqual(matching('json.total="12"'), ['c3']);
      assert.deepStrictEqual(matching('json.total=1.2e1'), ['a1']);
      assert.deepStrictEqual(matching('json.paid=true'), ['a1']);
      assert.deepStrictEqual(matching('json.note=null'), ['a1']);
      assert.deepStrictEqual(matching('json.items[0].sku=X-1'), ['a1']);
      assert.deepStrictEqual(matching('json.items=x'), [], 'an array equals no scalar');
    });

    it('json.PATH!= matches what = does not: other values, a missing path, data that is not JSON', () => {
      assert.deepStrictEqual(matching('json.status!=ok'), ['b2', 'c3', 'd4']);
      assert.deepStrictEqual(matching('json.missing!=1'), ['a1', 'b2', 'c3', 'd4']);
    });

    it('json.PATH: is a case-insensitive substring of the value as text', () => {
      assert.deepStrictEqual(matching('json.status:err'), ['c3']);
      assert.deepStrictEqual(matching('json.status:"O"'), ['a1', 'c3']);
      assert.deepStrictEqual(matching('json.total:12'), ['a1', 'c3'], 'a number reads as its JSON text');
      assert.deepStrictEqual(matching('json.items:x-1'), ['a1'], 'an array reads as its JSON text');
      assert.deepStrictEqual(matching('json.status:busy'), [], 'text that is not JSON has no paths');
    });

    it('json paths follow own properties only', () => {
      assert.deepStrictEqual(matching('json.constructor:function'), []);
      assert.deepStrictEqual(matching('json.__proto__!=x'), MESSAGES.map((message) => message.id));
      const own = nodeMessage({ id: 'p', data: Buffer.from('{"__proto__":{"a":1}}') });
      assert.ok(compile('json.__proto__.a=1').matches(own, NOW));
    });
  });

  describe('combining', () => {
    it('juxtaposed terms AND', () => {
      assert.deepStrictEqual(matching('type:invoice is:reply'), ['c3']);
      assert.deepStrictEqual(matching('status ok'), ['a1']);
    });

    it('OR joins alternatives, and binds looser than AND', () => {
      assert.deepStrictEqual(matching('id:a1 OR id:d4'), ['a1', 'd4']);
      assert.deepStrictEqual(matching('type:invoice is:reply OR node:local amount=0'), ['c3', 'd4']);
      assert.deepStrictEqual(matching('type:invoice is:reply OR node:local amount=0'), matching('(type:invoice is:reply) OR (node:local amount=0)'));
      assert.deepStrictEqual(matching('type:invoice (is:reply OR amount=0)'), ['c3']);
      assert.deepStrictEqual(matching('id:a1 or'), [], 'a lowercase or is a word');
    });

    it('- negates a term, a phrase or a group', () => {
      assert.deepStrictEqual(matching('-type:invoice'), ['b2', 'd4']);
      assert.deepStrictEqual(matching('-"hello world"'), ['a1', 'c3', 'd4']);
      assert.deepStrictEqual(matching('-(type:invoice OR amount=0)'), ['b2']);
      assert.deepStrictEqual(matching('--type:invoice'), ['a1', 'c3']);
      assert.deepStrictEqual(matching('is:json -json.status=ok'), ['c3']);
      assert.deepStrictEqual(matching('x-1'), ['a1'], 'a hyphen inside a word is text');
    });

    it('parentheses nest and space is optional around them', () => {
      assert.deepStrictEqual(matching('((id:a1)OR(id:b2))type:invoice'), ['a1']);
      const deep = '('.repeat(MAX_QUERY_DEPTH) + 'id:a1' + ')'.repeat(MAX_QUERY_DEPTH);
      assert.deepStrictEqual(matching(deep), ['a1']);
    });
  });

  describe('errors', () => {
    function error(text: string): [number, number, string] {
      const { position, length, message } = failure(text);
      return [position, length, message];
    }

    it('an unclosed quote points at its opening quote', () => {
      assert.deepStrictEqual(error('ok "half open'), [3, 10, "expected a closing '\"' for this phrase"]);
      assert.deepStrictEqual(error('"a\\"'), [0, 4, "expected a closing '\"' for this phrase"]);
    });

    it('a backslash escapes only a quote or a backslash', () => {
      assert.deepStrictEqual(error('"a\\nb"').slice(0, 2), [2, 2]);
    });

    it('parentheses: unclosed, unopened, empty', () => {
      assert.deepStrictEqual(error('a (b OR c'), [2, 1, "expected ')' to close this '('"]);
      assert.deepStrictEqual(error('(a (b)'), [0, 1, "expected ')' to close this '('"]);
      assert.deepStrictEqual(error('a) b'), [1, 1, "expected a term, not ')' (no '(' before it)"]);
      assert.deepStrictEqual(error('a ( )'), [2, 3, "expected a term between '(' and ')'"]);
      assert.deepStrictEqual(error('('), [0, 1, "expected ')' to close this '('"]);
    });

    it('OR needs a term on each side', () => {
      assert.deepStrictEqual(error('a OR'), [2, 2, "expected a term after 'OR'"]);
      assert.deepStrictEqual(error('a OR  OR b'), [2, 2, "expected a term after 'OR'"]);
      assert.deepStrictEqual(error('OR a'), [0, 2, "expected a term before 'OR'"]);
      assert.deepStrictEqual(error('(a OR)'), [3, 2, "expected a term after 'OR'"]);
      assert.deepStrictEqual(error('( OR a)'), [2, 2, "expected a term before 'OR'"]);
    });

    it('- needs a term right after it', () => {
      assert.deepStrictEqual(error('a - b'), [2, 1, "expected a term right after '-'"]);
      assert.deepStrictEqual(error('a -'), [2, 1, "expected a term right after '-'"]);
      assert.deepStrictEqual(error('(a -)'), [3, 1, "expected a term right after '-'"]);
    });

    it('a field needs a value', () => {
      assert.deepStrictEqual(error('ok amount>'), [3, 7, "expected a value after 'amount>' (a whole number of satoshis)"]);
      assert.deepStrictEqual(error('from: x'), [0, 5, "expected a value after 'from:'"]);
      assert.deepStrictEqual(error('json.status='), [0, 12, "expected a value after 'json.status='"]);
      assert.deepStrictEqual(error('(type:)'), [1, 5, "expected a value after 'type:'"]);
    });

    it('values of the wrong kind say what was expected', () => {
      assert.deepStrictEqual(error('amount>=ten'), [8, 3, "expected a whole number of satoshis after 'amount>=', not 'ten'"]);
      assert.deepStrictEqual(error('amount>-1').slice(0, 2), [7, 2]);
      assert.deepStrictEqual(error('amount>12345678901234567890').slice(0, 2), [7, 20]);
      assert.deepStrictEqual(error('amount:5'), [0, 7, "expected >, >=, <, <= or = after 'amount'"]);
      assert.deepStrictEqual(error('is:maybe'), [3, 5, "expected reply, root or json after 'is:', not 'maybe'"]);
      const [position, length, message] = error('x after:yesterday');
      assert.deepStrictEqual([position, length], [8, 9]);
      assert.match(message, /^expected a time \(an ISO date such as 2026-12-02 .*-15m.*\) after 'after:', not 'yesterday'$/);
      assert.deepStrictEqual(error('before:12:00').slice(0, 2), [7, 5], 'a time needs a date');
      assert.deepStrictEqual(error('before:2026-02-31x').slice(0, 2), [7, 11]);
      assert.deepStrictEqual(error('after:-5w').slice(0, 2), [6, 3]);
    });

    it('json terms: an operator, a path', () => {
      assert.deepStrictEqual(error('json.status'), [0, 11, "expected =, != or : after 'json.status' (text with a colon or = goes in quotes)"]);
      assert.deepStrictEqual(error('json.=1'), [5, 1, "expected a path after 'json.', such as status, a.b or items[0]"]);
      assert.deepStrictEqual(error('json.a[x]=1').slice(0, 2), [5, 4]);
      assert.deepStrictEqual(error('json.a!1'), [6, 1, "expected '!=' (or = or :) after 'json.a'"]);
    });

    it('an unknown field names itself', () => {
      const [position, length, message] = error('ok foo:bar');
      assert.deepStrictEqual([position, length], [3, 3]);
      assert.match(message, /^unknown field 'foo': expected from:, type:/);
      assert.match(error('https://example.com')[2], /^unknown field 'https'/);
      assert.ok(parseQuery('"https://example.com" 12:30 :x').ok, 'quoted, or not a field name before the colon');
    });

    it('nesting deeper than the bound is refused where it goes too deep', () => {
      assert.deepStrictEqual(error('('.repeat(MAX_QUERY_DEPTH + 1) + 'a' + ')'.repeat(MAX_QUERY_DEPTH + 1)), [MAX_QUERY_DEPTH, 1, `expected parentheses and negations to nest at most ${MAX_QUERY_DEPTH} deep`]);
      assert.deepStrictEqual(error('-'.repeat(MAX_QUERY_DEPTH + 1) + 'a').slice(0, 2), [MAX_QUERY_DEPTH, 1]);
      assert.deepStrictEqual(error('('.repeat(100_000)).slice(0, 2), [MAX_QUERY_LENGTH, 100_000 - MAX_QUERY_LENGTH], 'the length bound comes first');
    });

    it('a query longer than the bound is refused, blank or not', () => {
      assert.deepStrictEqual(error('a'.repeat(MAX_QUERY_LENGTH + 5)), [MAX_QUERY_LENGTH, 5, 'expected at most 2,000 characters in a query']);
      assert.deepStrictEqual(error(' '.repeat(MAX_QUERY_LENGTH + 1)).slice(0, 2), [MAX_QUERY_LENGTH, 1]);
      assert.ok(parseQuery('a'.repeat(MAX_QUERY_LENGTH)).ok);
    });

    it('positions are offsets in the text as given, before trimming', () => {
      assert.deepStrictEqual(error('   foo:1').slice(0, 2), [3, 3]);
    });

    it("docs/queries.md's error table is what the parser says", () => {
      const doc = fs.readFileSync(path.resolve(__dirname, '../../../../../docs/queries.md'), 'utf8');
      const rows = [...doc.slice(doc.indexOf('## Errors')).matchAll(/^\| `([^`]+)` \| (Column .+) \|$/gm)];
      assert.ok(rows.length >= 5, 'the table is found');
      for (const [, text, described] of rows) {
        assert.strictEqual(describeQueryError(failure(text!)), described);
      }
    });

    it('describes an error in one line, and as a SyntaxError naming the column', () => {
      const text = 'ok amount>';
      const found = failure(text);
      assert.strictEqual(describeQueryError(found), "Column 4: expected a value after 'amount>' (a whole number of satoshis)");
      const thrown = new QuerySyntaxError(found, text);
      assert.ok(thrown instanceof SyntaxError);
      assert.strictEqual(thrown.position, 3);
      assert.strictEqual(thrown.message, `Query: expected a value after 'amount>' (a whole number of satoshis) at column 4 of "ok amount>"`);
      assert.ok(!new QuerySyntaxError(found, `a\n${'x'.repeat(500)}`).message.includes('\n'), 'one line, bounded');
    });
  });
});
