import * as assert from 'assert';
import { decodeBase64 } from '../../../../src/core/wire/frameDecoder';

/** The definition: padded standard base64, as the decoder first checked it. */
const REFERENCE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Characters outside the alphabet, among them those Node's decoder does not simply skip. */
const STRANGERS = ['=', '-', '_', ' ', '\n', '\r', '\t', '!', '.', '\0', 'é', 'ÿ', '\u0080', 'ł', 'т', 'е', 'с', 'Ł', '中', '😀', 'Ā', 'ī', 'š', 'а'];

function reference(value: string): Buffer | undefined {
  return value.length % 4 === 0 && REFERENCE.test(value) ? Buffer.from(value, 'base64') : undefined;
}

function check(value: string): void {
  const expected = reference(value);
  const actual = decodeBase64(value);
  assert.strictEqual(actual !== undefined, expected !== undefined, `${JSON.stringify(value.slice(0, 80))}… (${value.length})`);
  if (expected && actual) {
    assert.ok(Buffer.compare(actual, expected) === 0, `different bytes for ${JSON.stringify(value.slice(0, 80))}`);
  }
}

describe('decodeBase64 (the frame decoder’s base64 check)', () => {
  const long = (text: string) => text.repeat(Math.ceil(300 / text.length));

  it('takes padded standard base64 and nothing else, short or long', () => {
    const cases = ['aGVsbG8=', 'YQ==', 'YWI=', 'YWJj', 'a===', 'ab=c', '====', 'YQ==YQ==', 'hello, world!', 'ab-_', 'YW Jj', 'тест', 'łódź', 'YWJ\u0142'];
    for (const value of cases) {
      check(value);
      check(long('YWJj') + value);
      check(value + long('YWJj'));
    }
    assert.ok(decodeBase64(long('YWJj'))?.equals(Buffer.from('abc'.repeat(75))));
    assert.strictEqual(decodeBase64(long('тест')), undefined, 'Cyrillic whose low bytes are base64 digits is text');
    assert.strictEqual(decodeBase64(long('YWJj') + 'a-_='), undefined, 'base64url is not what the gateway sends');
  });

  it('agrees with the regex on strings with a stranger or two in them', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 4000; round++) {
      const length = 4 * (1 + random(round % 2 === 0 ? 64 : 160));
      const chars = Array.from({ length }, () => ALPHABET[random(64)] as string);
      for (let i = random(3); i > 0; i--) {
        chars[length - i] = '=';
      }
      for (let i = random(3); i > 0; i--) {
        chars[random(length)] = STRANGERS[random(STRANGERS.length)] as string;
      }
      check(chars.join(''));
    }
  });
});
