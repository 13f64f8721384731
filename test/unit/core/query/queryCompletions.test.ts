import * as assert from 'assert';
import { nodeMessage } from '../../helpers/messages';
import { MAX_QUERY_COMPLETIONS, parseQuery, queryCompletions, QUERY_FIELD_COMPLETIONS, type QueryVocabulary } from '../../../../src/core/query/query';

const VOCABULARY: QueryVocabulary = {
  senders: ['02' + 'ab'.repeat(32), 'did:key:z6MkAlice', 'did:key:z6MkBob'],
  serviceTypes: ['invoice', 'Chat Message', 'say "hi"', 'line\nbreak', 'x'.repeat(500)],
  nodes: ['local', 'Remote'],
};

function complete(text: string, cursor = text.length): { replaceFrom: number; items: readonly string[] } {
  return queryCompletions(text, cursor, VOCABULARY);
}

describe('query completions', () => {
  it('offers every field name at an empty term, and those the word starts', () => {
    assert.deepStrictEqual(complete(''), { replaceFrom: 0, items: [...QUERY_FIELD_COMPLETIONS] });
    assert.deepStrictEqual(complete('ok ty'), { replaceFrom: 3, items: ['type:'] });
    assert.deepStrictEqual(complete('is:r'), { replaceFrom: 0, items: ['is:reply', 'is:root'] });
    assert.deepStrictEqual(complete('(-am'), { replaceFrom: 2, items: ['amount>'] }, 'after a parenthesis and a negation');
    assert.deepStrictEqual(complete('zzz'), { replaceFrom: 0, items: [] });
  });

  it('completes at the cursor, not at the end', () => {
    assert.deepStrictEqual(complete('fr ok', 2), { replaceFrom: 0, items: ['from:'] });
  });

  it('offers known senders, service types and nodes by case-insensitive prefix, quoted where needed', () => {
    assert.deepStrictEqual(complete('from:DID:'), { replaceFrom: 0, items: ['from:did:key:z6MkAlice', 'from:did:key:z6MkBob'] });
    assert.deepStrictEqual(complete('x type:'), { replaceFrom: 2, items: ['type:invoice', 'type:"Chat Message"', 'type:"say \\"hi\\""'] }, 'no control characters, nothing overlong');
    assert.deepStrictEqual(complete('node:"r'), { replaceFrom: 0, items: ['node:Remote'] });
  });

  it('every item it offers parses, and matches what it names', () => {
    const items = complete('type:').items;
    VOCABULARY.serviceTypes.slice(0, items.length).forEach((serviceType, i) => {
      const result = parseQuery(items[i]!);
      assert.ok(result.ok && result.query.matches(nodeMessage({ id: 'm', serviceType }), 0), items[i]);
    });
  });

  it(`offers at most ${MAX_QUERY_COMPLETIONS} items, whatever the vocabulary holds`, () => {
    const senders = Array.from({ length: 100_000 }, (_, i) => `did:key:${i}`);
    const found = queryCompletions('from:', 5, { senders, serviceTypes: [], nodes: [] });
    assert.strictEqual(found.items.length, MAX_QUERY_COMPLETIONS);
    assert.strictEqual(queryCompletions('from:', 5, { senders: Array(1000).fill('same'), serviceTypes: [], nodes: [] }).items.length, 1, 'duplicates once');
  });

  it('a cursor outside the text is clamped', () => {
    assert.deepStrictEqual(complete('ty', 99).items, ['type:']);
    assert.deepStrictEqual(complete('ty', -5).replaceFrom, 0);
  });
});
