import * as assert from 'assert';
import { idAtCursor, idTokenAt, idTokensIn, isIdInText, looksLikeNodeMessageId, MAX_ID_LENGTH, MIN_ID_LENGTH, type IdToken } from '../../../../src/core/ids/messageIdTokens';
import { didCommId } from '../../../../src/core/simulator/didComm';
import { Prng } from '../../../../src/core/simulator/prng';
import { sampleMessageId } from '../../../../src/core/simulator/samplePeers';

const HEX = '6f1c2a9b'.repeat(8);
const UUID = '123e4567-e89b-42d3-a456-426614174000';
const PUBKEY = '03' + 'ed'.repeat(32);
const TOKEN_SHAPE = /^[A-Za-z0-9_](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_])?$/;

/**
 * A line that counts how often the tokenizer reads a character, so "bounded work" is asserted as a
 * number of reads rather than a time.
 */
function countingLine(text: string): { line: string; reads: () => number } {
  let reads = 0;
  const probe = {
    length: text.length,
    charCodeAt(index: number): number {
      reads++;
      return text.charCodeAt(index);
    },
    slice(start?: number, end?: number): string {
      return text.slice(start, end);
    },
  };
  return { line: probe as unknown as string, reads: () => reads };
}

function at(line: string, character: number): string | undefined {
  return idTokenAt(line, character)?.text;
}

function assertWellFormed(line: string, token: IdToken): void {
  assert.strictEqual(token.text, line.slice(token.start, token.end));
  assert.match(token.text, TOKEN_SHAPE);
  assert.ok(token.text.length >= MIN_ID_LENGTH && token.text.length <= MAX_ID_LENGTH, token.text);
  assert.ok(isIdInText(token.text), token.text);
}

describe('messageIdTokens', () => {
  describe('idTokenAt', () => {
    it('finds the ID under the cursor at its start, inside it and just after it', () => {
      const line = `watch ${HEX} now`;
      const start = line.indexOf(HEX);
      for (const character of [start, start + 1, start + 32, start + HEX.length]) {
        assert.deepStrictEqual(idTokenAt(line, character), { start, end: start + HEX.length, text: HEX });
      }
      assert.strictEqual(at(line, start - 1), undefined);
      assert.strictEqual(at(line, start + HEX.length + 1), undefined);
    });

    it('finds an ID inside JSON quotes, as curl prints it', () => {
      const line = `{"id":"${HEX}","replyToId":"${UUID}"}`;
      assert.strictEqual(at(line, line.indexOf(HEX) + 10), HEX);
      assert.strictEqual(at(line, line.indexOf(UUID) + 10), UUID);
      assert.strictEqual(at(line, 2), undefined, '"id" is too short to be an ID');
    });

    it('leaves the punctuation of a sentence out of the ID', () => {
      assert.strictEqual(at(`The reply to ${HEX}.`, 20), HEX);
      assert.strictEqual(at(`See ${HEX}...`, 10), HEX);
      assert.strictEqual(at(`ID ${UUID}:`, 10), UUID);
      assert.strictEqual(at(`--${HEX}--`, 10), HEX);
      assert.strictEqual(at(`::${UUID}`, 10), UUID);
      const line = `replied to ${HEX}.`;
      assert.strictEqual(at(line, line.length - 1), HEX, 'the cursor on the closing "." still means the ID');
    });

    it('keeps inner dots, colons, dashes and underscores: IDs of other shapes match exactly', () => {
      assert.strictEqual(at('id urn:uuid:6f1c2a9b-aaaa done', 10), 'urn:uuid:6f1c2a9b-aaaa');
      assert.strictEqual(at('msg_2024.11.30_0001', 3), 'msg_2024.11.30_0001');
    });

    it('bounds the length: under 8 or over 128 characters is no ID', () => {
      assert.strictEqual(at('abc1234', 3), undefined);
      assert.strictEqual(at('abc12345', 3), 'abc12345');
      const longest = 'a1'.repeat(MAX_ID_LENGTH / 2);
      assert.strictEqual(at(` ${longest} `, 1), longest);
      const tooLong = `${longest}a`;
      for (const character of [0, 1, 64, MAX_ID_LENGTH + 1]) {
        assert.strictEqual(at(tooLong, character), undefined);
      }
      assert.strictEqual(at(`${longest}${'.'.repeat(8)}`, 1), longest, 'an ellipsis after the longest ID still trims away');
      assert.strictEqual(at(`${longest}${'.'.repeat(9)}`, 1), undefined, 'a run far longer than an ID is none, trimmed or not');
    });

    it('never takes a plain word, identifier, number, date or address for an ID, whatever a peer named its messages', () => {
      const words = ['undefined', 'localhost', 'constructor', '__proto__', 'null', 'true', 'hasOwnProperty', 'deadbeefcafe', 'some_variable', 'kebab-case-name', 'os.path.join', 'std::string'];
      const numbers = ['12345678', '127.0.0.1', '2026-12-02', '11:20:53', '11:20:53.123', '1_000_000', '3.14159265'];
      for (const word of [...words, ...numbers]) {
        assert.strictEqual(isIdInText(word), false, word);
        const line = `connect to ${word} now`;
        assert.strictEqual(at(line, line.indexOf(word) + 2), undefined, line);
        assert.deepStrictEqual(idTokensIn(line), [], line);
        assert.strictEqual(idAtCursor(line, line.indexOf(word) + 2), undefined, line);
      }
    });

    it('takes node IDs of any digits, and made-up IDs with a letter and a digit', () => {
      for (const id of [HEX, UUID, 'f'.repeat(64), '9'.repeat(64), '12345678-1234-1234-1234-123456789012', 'client-order-7731:ack', 'msg_2024.11.30_0001', 'abc12345', 'localhost:8881']) {
        assert.ok(isIdInText(id), id);
        const line = `connect to ${id} now`;
        assert.strictEqual(at(line, line.indexOf(id) + 2), id);
      }
      for (const text of ['', ' abc12345', 'abc12345.', '"abc12345"', 'abc 12345', 'abc1234', `${'a1'.repeat(64)}x`]) {
        assert.strictEqual(isIdInText(text), false, JSON.stringify(text));
      }
    });

    it('takes no window out of a longer run: a 66-digit pubkey is not a 64-digit ID', () => {
      assert.strictEqual(at(PUBKEY, 10), PUBKEY, 'a pubkey is a token of its own; only an exact lookup can match it');
      assert.strictEqual(at(`${HEX}${HEX}${HEX}`, 70), undefined);
    });

    it('rejects positions that are not in the line', () => {
      for (const character of [-1, HEX.length + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.strictEqual(at(HEX, character), undefined, String(character));
      }
      assert.strictEqual(at('', 0), undefined);
    });

    it('stops at any character outside the ID alphabet: NUL, bidi overrides, surrogates, Markdown', () => {
      const cases: [string, string][] = [
        [`\u0000${HEX}\u0000`, HEX],
        [`\u202e${HEX}\u202c`, HEX],
        [`\u2066${HEX}\u2069`, HEX],
        [`\ud800${HEX}\udc00`, HEX],
        [`😀${HEX}😀`, HEX],
        [`[${HEX}](command:impervious.sendMessage?${UUID})`, HEX],
        [`<${HEX}>`, HEX],
        [`\`${HEX}\``, HEX],
        [`**${HEX}**`, HEX],
        [`${HEX}\n${UUID}`, HEX],
        [`${HEX}\u00a0x`, HEX],
      ];
      for (const [line, expected] of cases) {
        const token = idTokenAt(line, line.indexOf(expected) + 3);
        assert.ok(token, JSON.stringify(line));
        assert.strictEqual(token.text, expected);
        assertWellFormed(line, token);
      }
      assert.strictEqual(at(`${HEX.slice(0, 4)}\u202e${HEX.slice(4, 12)}`, 2), undefined, 'an override splits a token; the left part is too short');
    });

    it('never gives a token that is not an exact, plain slice of the line (generated hostile lines)', () => {
      const prng = new Prng(7);
      const alphabet = ['a', 'F', '0', '9', '_', '.', ':', '-', ' ', '"', '(', ']', '\u0000', '\u202e', '\ud800', '\udfff', 'é', '\n', '`', '#'];
      for (let round = 0; round < 300; round++) {
        let line = '';
        const length = prng.int(0, 400);
        for (let index = 0; index < length; index++) {
          line += prng.next() < 0.6 ? prng.pick(['a', 'b', '1', '7', 'f']) : prng.pick(alphabet);
        }
        for (let character = 0; character <= line.length; character += 3) {
          const token = idTokenAt(line, character);
          if (token) {
            assertWellFormed(line, token);
            assert.ok(character >= token.start && character <= token.end);
          }
        }
        for (const token of idTokensIn(line, () => true, Number.MAX_SAFE_INTEGER)) {
          assertWellFormed(line, token);
          assert.deepStrictEqual(idTokenAt(line, token.start), token);
          assert.deepStrictEqual(idTokenAt(line, token.end), token);
        }
      }
    });

    it('reads a bounded number of characters whatever the line: a 1 MiB run, a 1 MiB line of IDs', () => {
      const run = countingLine('a'.repeat(1024 * 1024));
      assert.strictEqual(idTokenAt(run.line, 512 * 1024), undefined);
      assert.ok(run.reads() <= 2 * (MAX_ID_LENGTH + 10), `read ${run.reads()} characters`);

      const ids = countingLine(`${HEX} `.repeat(Math.ceil((1024 * 1024) / (HEX.length + 1))));
      for (let character = 0; character < 1024 * 1024; character += 4099) {
        idTokenAt(ids.line, character);
      }
      const lookups = Math.ceil((1024 * 1024) / 4099);
      assert.ok(ids.reads() <= lookups * 2 * (MAX_ID_LENGTH + 10), `read ${ids.reads()} characters for ${lookups} lookups`);
    });
  });

  describe('idTokensIn', () => {
    it('lists the IDs of a terminal line, left to right', () => {
      const line = `$ curl -s localhost:8881/v1/message/send -d '{"pubkey":"${PUBKEY}"}' → {"id":"${HEX}"} (reply to ${UUID}).`;
      const texts = idTokensIn(line).map((token) => token.text);
      assert.deepStrictEqual(texts, ['localhost:8881', PUBKEY, HEX, UUID]);
      assert.deepStrictEqual(
        idTokensIn(line, looksLikeNodeMessageId).map((token) => token.text),
        [HEX, UUID],
        'only node-shaped IDs when that is the filter: the pubkey and the host are not links',
      );
    });

    it('stops after maxTokens accepted tokens and counts only accepted ones', () => {
      const line = `${'wordword '.repeat(50)}${HEX} ${UUID} ${HEX}`;
      assert.deepStrictEqual(
        idTokensIn(line, looksLikeNodeMessageId, 2).map((token) => token.text),
        [HEX, UUID],
      );
      assert.strictEqual(idTokensIn(line, () => true, 3).length, 3);
      assert.deepStrictEqual(idTokensIn(line, () => true, 0), []);
    });

    it('skips runs too long to be IDs without losing the IDs after them', () => {
      const line = `${'f'.repeat(5000)} ${HEX} ${'0'.repeat(MAX_ID_LENGTH + 1)}x ${UUID}`;
      assert.deepStrictEqual(idTokensIn(line).map((token) => token.text), [HEX, UUID]);
    });

    it('does one pass over a 1 MiB line, however it is made', () => {
      const lines = [
        'a'.repeat(1024 * 1024),
        'ab.cd:ef-'.repeat(116_509),
        `${HEX} `.repeat(16_132),
        '.:-'.repeat(349_525),
        '\u0000\u202e'.repeat(524_288),
      ];
      for (const text of lines) {
        const counted = countingLine(text);
        const accepted = idTokensIn(counted.line, () => false);
        assert.deepStrictEqual(accepted, []);
        assert.ok(counted.reads() <= 2 * text.length + 2, `read ${counted.reads()} characters of ${text.length}`);
      }
    });
  });

  describe('idAtCursor', () => {
    const line = `const sent = "${HEX}"; // reply expected`;
    const inside = line.indexOf(HEX) + 5;

    it('takes the token at the cursor when nothing is selected', () => {
      assert.strictEqual(idAtCursor(line, inside), HEX);
      assert.strictEqual(idAtCursor(line, inside, ''), HEX);
      assert.strictEqual(idAtCursor(line, inside, '  \t'), HEX, 'a selection of blanks is no selection');
      assert.strictEqual(idAtCursor(line, 2), undefined, '"const" is no ID');
    });

    it('takes the selection as the user chose it, trimmed of spaces and copied quotes', () => {
      assert.strictEqual(idAtCursor(line, 0, ` "${UUID}" `), UUID);
      assert.strictEqual(idAtCursor(line, 0, `'${HEX}'`), HEX);
      assert.strictEqual(idAtCursor(line, inside, 'msg 1'), 'msg 1', 'the selection wins over the token under the cursor');
      assert.strictEqual(idAtCursor(line, inside, `"${HEX}`), `"${HEX}`, 'an unmatched quote is part of what was chosen');
    });

    it('refuses a selection that is no ID: empty quotes, several lines, too long, hidden characters', () => {
      for (const selection of ['""', "' '", `${HEX}\n${UUID}`, `${HEX}\u2028${UUID}`, 'x'.repeat(MAX_ID_LENGTH + 1), 'x'.repeat(1024 * 1024), `\u202e${HEX}`, `${HEX}\u0000`, `a\u0007b`]) {
        assert.strictEqual(idAtCursor(line, inside, selection), undefined, JSON.stringify(selection.slice(0, 80)));
      }
    });
  });

  describe('looksLikeNodeMessageId', () => {
    it('knows the IDs the simulator hands out, for v0.1.x and v1 nodes', () => {
      const prng = new Prng(42);
      for (let index = 0; index < 50; index++) {
        assert.ok(looksLikeNodeMessageId(sampleMessageId(prng)));
        assert.ok(looksLikeNodeMessageId(didCommId(prng)));
      }
    });

    it('takes 64 hex digits or a UUID, in either case, and nothing near them', () => {
      assert.ok(looksLikeNodeMessageId(HEX));
      assert.ok(looksLikeNodeMessageId(HEX.toUpperCase()));
      assert.ok(looksLikeNodeMessageId(UUID));
      assert.ok(looksLikeNodeMessageId(UUID.toUpperCase()));
      const not = [
        '',
        HEX.slice(1),
        `${HEX}0`,
        PUBKEY,
        'a'.repeat(40),
        UUID.replace(/-/g, ''),
        `{${UUID}}`,
        ` ${HEX}`,
        `${HEX}\n`,
        `${UUID}-`,
        HEX.replace('6', 'g'),
        'hello world, how are you doing this fine day my friend?',
        `urn:uuid:${UUID}`,
        `${HEX.slice(0, 32)}\u0000${HEX.slice(33)}`,
        'f'.repeat(1024 * 1024),
      ];
      for (const text of not) {
        assert.ok(!looksLikeNodeMessageId(text), JSON.stringify(text.slice(0, 80)));
      }
    });
  });
});
