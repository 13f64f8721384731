import * as assert from 'assert';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { MAX_QUERY_JSON_BYTES, parseQuery, type MessageQuery } from '../../../../src/core/query/query';
import { MAX_JSON_DEPTH } from '../../../../src/core/requests/jsonPath';
import { Prng } from '../../../../src/core/simulator/prng';
import { nodeMessage } from '../../helpers/messages';

const NOW = 1_800_000_000_000;

/** One term of every kind, each also negated: every predicate a message can meet. */
const TERMS = [
  'x',
  '"a b"',
  'from:x',
  'type:x',
  'node:x',
  'id:x',
  'reply:x',
  'is:reply',
  'is:root',
  'is:json',
  'amount>1',
  'amount=0',
  'after:-1d',
  'before:2026-01-01',
  'json.a=1',
  'json.a="x"',
  'json.a!=1',
  'json.a:x',
  'json.a[0]:x',
  'json.a.b.c=null',
];

function compile(text: string): MessageQuery {
  const result = parseQuery(text);
  assert.ok(result.ok, text);
  return result.query;
}

/** A sender with one character from each Unicode plane, and a lone surrogate. */
const EVERY_PLANE = Array.from({ length: 17 }, (_, plane) => String.fromCodePoint(plane * 0x10000 + 0x41)).join('') + '\ud800İ';

function hostileMessages(): Record<string, NodeMessage> {
  const random = new Prng(0xbad);
  const fourMiB = 4 * 1024 * 1024;
  return {
    'huge JSON (4 MiB)': nodeMessage({ id: 'huge', data: Buffer.from(`{"a":"${'x'.repeat(fourMiB)}"}`) }),
    'JSON just under the parse bound': nodeMessage({ id: 'bound', data: Buffer.from(`{"a":"${'x'.repeat(MAX_QUERY_JSON_BYTES - 10)}"}`) }),
    '100,000-deep array': nodeMessage({ id: 'deep', data: Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)) }),
    '100,000-deep value under a key': nodeMessage({ id: 'deep-key', data: Buffer.from(`{"a":${'['.repeat(100_000)}"x"${']'.repeat(100_000)}}`) }),
    '100,000 unclosed brackets': nodeMessage({ id: 'unclosed', data: Buffer.from('['.repeat(100_000)) }),
    'invalid UTF-8': nodeMessage({ id: 'bytes', data: random.bytes(4096) }),
    'truncated UTF-8 sequence': nodeMessage({ id: 'cut', data: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x82]) }),
    'empty everything': nodeMessage({ id: '', replyToId: '', fromPubkey: '', serviceType: '', node: '', data: new Uint8Array() }),
    'every Unicode plane': nodeMessage({ id: EVERY_PLANE, replyToId: EVERY_PLANE, fromPubkey: EVERY_PLANE, serviceType: EVERY_PLANE, node: EVERY_PLANE, data: Buffer.from(JSON.stringify({ a: EVERY_PLANE })) }),
    'negative and huge amounts': nodeMessage({ id: 'amount', amount: -(2n ** 63n), receivedAt: Number.NaN }),
    'a prototype key': nodeMessage({ id: 'proto', data: Buffer.from('{"__proto__":{"a":1},"constructor":{"a":"x"}}') }),
  };
}

describe('queries on hostile messages', function () {
  this.timeout(60_000);
  const messages = hostileMessages();
  const queries = [...TERMS, ...TERMS.map((term) => `-${term}`), TERMS.join(' OR '), TERMS.join(' ')].map(compile);

  it('every predicate answers every hostile message, without throwing, in bounded time', () => {
    for (const [name, message] of Object.entries(messages)) {
      const started = performance.now();
      for (const query of queries) {
        assert.strictEqual(typeof query.matches(message, NOW), 'boolean', `${query.text} on ${name}`);
      }
      const ms = performance.now() - started;
      // Data over 64 KiB is read again at each match: the deep array's parse is the slowest part.
      assert.ok(ms < 10_000, `${name}: ${ms.toFixed(0)} ms for ${queries.length} queries`);
    }
  });

  it('data over the parse bound is not JSON, but its text is still searched', () => {
    const huge = messages['huge JSON (4 MiB)']!;
    assert.ok(!compile('is:json').matches(huge, NOW));
    assert.ok(!compile('json.a:x').matches(huge, NOW));
    assert.ok(compile('json.a!=1').matches(huge, NOW));
    assert.ok(compile('xxxx').matches(huge, NOW));
    assert.ok(compile('is:json json.a:xxx').matches(messages['JSON just under the parse bound']!, NOW));
  });

  it(`data nested deeper than ${MAX_JSON_DEPTH} counts as not JSON, and is refused before it is parsed`, () => {
    for (const name of ['100,000-deep array', '100,000-deep value under a key', '100,000 unclosed brackets']) {
      const message = messages[name]!;
      const started = performance.now();
      assert.ok(!compile('is:json').matches(message, NOW), name);
      assert.ok(!compile('json.a:x').matches(message, NOW), name);
      assert.ok(performance.now() - started < 200, `${name}: refused by a scan, not a parse`);
    }
    const nested = (depth: number) => nodeMessage({ id: 'n', data: Buffer.from(String.raw`{"s":"[[[[{{{{\"}\\","a":` + '['.repeat(depth - 1) + ']'.repeat(depth - 1) + '}') });
    assert.ok(compile('is:json').matches(nested(MAX_JSON_DEPTH), NOW), 'brackets inside strings do not count');
    assert.ok(!compile('is:json').matches(nested(MAX_JSON_DEPTH + 1), NOW));
  });

  it('invalid bytes read as U+FFFD; text around them still matches', () => {
    assert.ok(compile('"\ufffd"').matches(messages['invalid UTF-8']!, NOW));
    assert.ok(compile('"{\\"a\\":\\"\ufffd"').matches(messages['truncated UTF-8 sequence']!, NOW));
    assert.ok(!compile('is:json').matches(messages['truncated UTF-8 sequence']!, NOW));
  });

  it('empty fields: is:root holds, prefixes of nothing hold, values do not', () => {
    const empty = messages['empty everything']!;
    assert.ok(compile('is:root from:"" id:"" type:""').matches(empty, NOW));
    assert.ok(!compile('is:reply').matches(empty, NOW));
    assert.ok(!compile('x').matches(empty, NOW));
    assert.ok(compile('""').matches(empty, NOW), 'the empty phrase is in every text');
  });

  it('senders from every plane match by prefix and by word, case-insensitively', () => {
    const planes = messages['every Unicode plane']!;
    const upper = String.fromCodePoint(0x10041) + String.fromCodePoint(0x20041);
    assert.ok(compile(`from:"a${upper}"`).matches(planes, NOW));
    assert.ok(compile(`type:"${EVERY_PLANE}"`).matches(planes, NOW));
    assert.ok(compile(`json.a="${EVERY_PLANE}"`).matches(planes, NOW), 'an escaped lone surrogate is itself');
    assert.ok(compile(String.fromCodePoint(0x100041)).matches(planes, NOW));
  });

  it('a NaN time and a negative amount compare false, not throw', () => {
    const odd = messages['negative and huge amounts']!;
    assert.ok(!compile('after:-1d').matches(odd, NOW));
    assert.ok(!compile('before:-1d').matches(odd, NOW));
    assert.ok(compile('amount<1').matches(odd, NOW));
  });

  it('json paths read own properties only', () => {
    const proto = messages['a prototype key']!;
    assert.ok(compile('json.__proto__.a=1').matches(proto, NOW));
    assert.ok(compile('json.constructor.a=x').matches(proto, NOW));
    assert.ok(!compile('json.toString:function').matches(proto, NOW));
  });
});
