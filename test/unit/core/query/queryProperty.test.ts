import * as assert from 'assert';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { describeQueryError, MAX_QUERY_LENGTH, parseQuery, type MessageQuery } from '../../../../src/core/query/query';
import { Prng } from '../../../../src/core/simulator/prng';
import { nodeMessage } from '../../helpers/messages';

const SEED = 0x9e7a;
const STRINGS = 10_000;
const PAIRS = 500;
const MESSAGES = 200;
const NOW = 1_800_000_000_000;

/** The characters queries are made of, weighted towards what makes the grammar branch. */
const ALPHABET = ['a', 'b', 'O', 'R', 'OR', ' ', ' ', '(', ')', '"', '\\', '-', ':', '.', '=', '!', '>', '<', '[', ']', '0', '9', 'from:', 'type:', 'is:', 'amount', 'json.', 'after:', '-15m', 'T', '\t', '\n'];

function randomUnicode(random: Prng): string {
  const plane = random.int(0, 16);
  const code = plane * 0x10000 + random.int(0, 0xffff);
  // Lone surrogates too: a query box can hand over any UTF-16.
  return code <= 0xffff ? String.fromCharCode(code) : String.fromCodePoint(code);
}

function randomText(random: Prng): string {
  const length = random.int(0, 60);
  let text = '';
  for (let i = 0; i < length; i++) {
    text += random.chance(0.85) ? random.pick(ALPHABET) : randomUnicode(random);
  }
  return text;
}

const SENDERS = ['02' + 'ab'.repeat(32), '03' + 'cd'.repeat(32), 'did:key:z6MkAlice', 'did:peer:2.Ez6'];
const TYPES = ['message', 'invoice', 'Chat Message', ''];
const IDS = ['a1', 'A2', 'b3', 'c4', ''];
const DATA = ['{"status":"ok","n":3}', '{"status":"busy","n":"3","tags":["x","y"]}', '[1,2,3]', 'plain ok text', '', '"ok"', '{"a":{"b":null}}', 'Über ÖK'];

function randomMessage(random: Prng, index: number): NodeMessage {
  const data = random.chance(0.1) ? random.bytes(random.int(0, 12)) : Buffer.from(random.pick(DATA));
  return nodeMessage({
    id: random.pick(IDS) + index,
    node: random.pick(['local', 'Remote']),
    replyToId: random.chance(0.5) ? '' : random.pick(IDS),
    fromPubkey: random.pick(SENDERS),
    serviceType: random.pick(TYPES),
    amount: BigInt(random.int(0, 20)),
    receivedAt: NOW - random.int(0, 3 * 86_400_000),
    data,
  });
}

/** A random well-formed query of at most `depth` levels. */
function randomQuery(random: Prng, depth: number): string {
  if (depth > 0 && random.chance(0.3)) {
    const parts = Array.from({ length: random.int(2, 3) }, () => randomQuery(random, depth - 1));
    const joined = parts.join(random.chance(0.5) ? ' OR ' : ' ');
    return random.chance(0.3) ? `-(${joined})` : `(${joined})`;
  }
  const term = random.pick<() => string>([
    () => random.pick(['ok', 'status', 'a1', 'z6mk', 'x', '"plain ok"', '"\\"ok\\""', 'über']),
    () => `from:${random.pick(['02ab', 'did:key', '03', 'did:peer:2', '"did:key:z6MkAlice"'])}`,
    () => `type:${random.pick(['message', 'INVOICE', '"chat message"', '""'])}`,
    () => `node:${random.pick(['local', 'remote'])}`,
    () => `id:${random.pick(['a', 'b3', 'C'])}`,
    () => `reply:${random.pick(['a', 'b3', 'A2'])}`,
    () => `is:${random.pick(['reply', 'root', 'json'])}`,
    () => `amount${random.pick(['>', '>=', '<', '<=', '='])}${random.int(0, 20)}`,
    () => `${random.pick(['after', 'before'])}:${random.pick(['-15m', '-2h', '-1d', '-30s', new Date(NOW - random.int(0, 3 * 86_400_000)).toISOString()])}`,
    () => `json.${random.pick(['status', 'n', 'tags[0]', 'a.b', 'missing'])}${random.pick(['=', '!=', ':'])}${random.pick(['ok', '3', '"3"', 'null', 'x', 'true'])}`,
  ])();
  return random.chance(0.2) ? `-${term}` : term;
}

function compile(text: string): MessageQuery {
  const result = parseQuery(text);
  assert.ok(result.ok, `${JSON.stringify(text)}: ${result.ok ? '' : describeQueryError(result.error)}`);
  return result.query;
}

describe('queries over random input', function () {
  this.timeout(120_000);
  const random = new Prng(SEED);
  const drawn = random.fork('messages');
  const messages = Array.from({ length: MESSAGES }, (_, index) => randomMessage(drawn, index));

  it(`parseQuery never throws on ${STRINGS.toLocaleString('en-US')} random strings, and every error is inside the text`, () => {
    const texts = random.fork('strings');
    let errors = 0;
    for (let i = 0; i < STRINGS; i++) {
      const text = randomText(texts);
      const result = parseQuery(text);
      if (result.ok) {
        for (const message of messages.slice(0, 5)) {
          assert.strictEqual(typeof result.query.matches(message, NOW), 'boolean');
        }
      } else {
        errors++;
        const { position, length, message } = result.error;
        assert.ok(position >= 0 && length >= 1 && position + length <= Math.max(text.length, 1), `${JSON.stringify(text)}: ${position}+${length}`);
        assert.match(message, /^(expected|unknown field)/, JSON.stringify(text));
      }
    }
    assert.ok(errors > STRINGS / 10 && errors < STRINGS, `both outcomes are drawn (${errors} errors)`);
    assert.ok(!parseQuery('x'.repeat(MAX_QUERY_LENGTH * 50)).ok);
  });

  it('random well-formed queries parse', () => {
    const queries = random.fork('well-formed');
    for (let i = 0; i < 2_000; i++) {
      compile(randomQuery(queries, 3));
    }
  });

  it(`a OR b matches exactly the union of a and b, and -(a) the complement of a (${PAIRS} pairs over ${MESSAGES} messages)`, () => {
    const queries = random.fork('pairs');
    let union = 0;
    let some = 0;
    for (let i = 0; i < PAIRS; i++) {
      const a = randomQuery(queries, 3);
      const b = randomQuery(queries, 3);
      const [qa, qb, qor, qand, qnot] = [a, b, `${a} OR ${b}`, `${a} ${b}`, `-(${a})`].map(compile) as [MessageQuery, MessageQuery, MessageQuery, MessageQuery, MessageQuery];
      for (const message of messages) {
        const inA = qa.matches(message, NOW);
        const inB = qb.matches(message, NOW);
        assert.strictEqual(qor.matches(message, NOW), inA || inB, `${a} OR ${b} on ${message.id}`);
        assert.strictEqual(qand.matches(message, NOW), inA && inB, `${a} ${b} on ${message.id}`);
        assert.strictEqual(qnot.matches(message, NOW), !inA, `-(${a}) on ${message.id}`);
        union += inA || inB ? 1 : 0;
        some += inA ? 1 : 0;
      }
    }
    const total = PAIRS * MESSAGES;
    assert.ok(some > total / 20 && some < total - total / 20, `queries match some messages and not others (${some} of ${total})`);
    assert.ok(union > some, 'b adds matches');
  });
});
