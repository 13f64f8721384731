import * as assert from 'assert';
import { decodeId, encodeId } from '../../../../src/core/ids/idEncoding';
import { findAddressed, formatMessageAddress, parseMessageAddress } from '../../../../src/core/ids/messageAddress';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import { Prng } from '../../../../src/core/simulator/prng';
import { HOSTILE_IDS } from '../../helpers/hostileBodies';
import { nodeMessage } from '../../helpers/messages';

describe('ID encoding', () => {
  it('round-trips any string, lone surrogates included, to letters, digits, - _ and escapes', () => {
    for (const id of HOSTILE_IDS) {
      const encoded = encodeId(id);
      assert.match(encoded, /^[A-Za-z0-9_%-]*$/, JSON.stringify(id));
      assert.strictEqual(decodeId(encoded), id, JSON.stringify(id));
    }
  });

  it('round-trips random UTF-16, and distinct strings encode differently', () => {
    const random = new Prng(0x1d);
    const seen = new Map<string, string>();
    for (let i = 0; i < 20_000; i++) {
      const id = String.fromCharCode(...Array.from({ length: random.int(0, 6) }, () => random.pick([random.int(0, 0x7f), random.int(0xd7f0, 0xe010), random.int(0, 0xffff)])));
      const encoded = encodeId(id);
      assert.strictEqual(decodeId(encoded), id);
      const other = seen.get(encoded);
      assert.ok(other === undefined || other === id);
      seen.set(encoded, id);
    }
  });

  it('rejects text it cannot have written', () => {
    for (const text of ['a/b', '%zz', '%C3', '%uD80', 'a b', '%FF']) {
      assert.strictEqual(decodeId(text), undefined, text);
    }
  });
});

describe('message addresses', () => {
  it('round-trip node, ID, arrival number and time for any ID', () => {
    for (const id of HOSTILE_IDS) {
      const address = { node: `node ${id}`, id, sequence: 7, receivedAt: 1_700_000_000_123 };
      const { path, query } = formatMessageAddress(address);
      assert.deepStrictEqual(parseMessageAddress(path, query), address);
      // What VS Code's Uri does to a path: percent-encodes it for the string and decodes it back.
      assert.deepStrictEqual(parseMessageAddress(decodeURIComponent(encodeURI(path)), query), address);
    }
  });

  it('name exactly one copy of a repeated ID, and no other message once that copy is gone', () => {
    const first = nodeMessage({ id: 'd', receivedAt: 1 });
    const second = nodeMessage({ id: 'd', receivedAt: 2 });
    const held = new MessageStore(10);
    [first, second].forEach((message) => held.append(message));
    assert.deepStrictEqual(findAddressed({ node: 'n', id: 'd', sequence: 1, receivedAt: 2 }, held), second);
    assert.deepStrictEqual(findAddressed({ node: 'n', id: 'd', sequence: 0, receivedAt: 1 }, held), first);
    assert.deepStrictEqual(findAddressed({ node: 'n', id: 'd', sequence: 9, receivedAt: 2 }, held), second, 'renumbered after a reload: the time still names it');
    assert.strictEqual(findAddressed({ node: 'n', id: 'd', sequence: 0, receivedAt: 3 }, held), undefined);
    assert.strictEqual(findAddressed({ node: 'n', id: 'e', sequence: 1, receivedAt: 2 }, held), undefined, 'the number and time alone name no other ID');
    assert.strictEqual(parseMessageAddress('/n/a/b.json', 'seq=1&at=1'), undefined);
  });
});
