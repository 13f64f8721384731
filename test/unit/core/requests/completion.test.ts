import * as assert from 'assert';
import { completeAt, MAX_PUBKEY_CANDIDATES } from '../../../../src/core/requests/completion';
import { parseRequestFile } from '../../../../src/core/requests/parser';
import { ALICE, SAMPLE } from './sampleFile';

const BOB = '02' + 'b'.repeat(64);
const context = { knownSenders: [BOB, BOB.toUpperCase().replace('0X', '0x'), 'did:peer:2.abc', ALICE], nodeNames: ['sim', 'lab'] };

function labelsAt(text: string, line: number, character?: number): string[] {
  const lines = text.split('\n');
  const lineText = lines[line]!;
  return completeAt(parseRequestFile(text), lineText, { line, character: character ?? lineText.length }, context).map((c) => c.label);
}

describe('request file completion', () => {
  it('offers known senders and pubkey variables after SEND, each once and only real pubkeys', () => {
    assert.deepStrictEqual(labelsAt(`${SAMPLE}### new\nSEND `, 20), ['{{alice}}', BOB, ALICE]);
  });

  it('caps the pubkeys offered', () => {
    const many = Array.from({ length: 1000 }, (_, i) => '02' + i.toString(16).padStart(64, '0'));
    const file = parseRequestFile('### b\nSEND ');
    assert.strictEqual(completeAt(file, 'SEND ', { line: 1, character: 5 }, { knownSenders: many, nodeNames: [] }).length, MAX_PUBKEY_CANDIDATES);
  });

  it('offers variables and block names inside {{, then fields after a dot', () => {
    const text = `${SAMPLE}### new\nSEND ${ALICE}\n\n{{`;
    const line = 22;
    assert.deepStrictEqual(labelsAt(text, line), ['alice', 'ping']);
    const dotted = completeAt(parseRequestFile(text), '{{ping.', { line, character: 7 }, context);
    assert.deepStrictEqual(dotted.map((c) => c.label), ['id', 'reply.id', 'reply.data', 'reply.from', 'reply.json.']);
    assert.strictEqual(dotted[0]!.replaceFrom, 7);
    const reply = completeAt(parseRequestFile(text), 'x {{ping.reply.d', { line, character: 16 }, context);
    assert.deepStrictEqual(reply.map((c) => c.label), ['id', 'data', 'from', 'json.']);
    assert.strictEqual(reply[0]!.replaceFrom, 15);
    assert.deepStrictEqual(completeAt(parseRequestFile(text), '{{ping.id}} ', { line, character: 12 }, context), [], 'a closed reference offers nothing');
  });

  it('offers node names after Node:, headers at a header line and assertions after > expect', () => {
    const text = `### b\nSEND ${ALICE}\nNode: \nAm\n\nbody\n> expect `;
    assert.deepStrictEqual(labelsAt(text, 2), ['sim', 'lab']);
    assert.deepStrictEqual(labelsAt(text, 3), ['Amount:', 'Node:', 'Reply-To:']);
    assert.deepStrictEqual(labelsAt(text, 5), [], 'no headers in the body');
    assert.deepStrictEqual(labelsAt(`### b\nSEND ${ALICE}\n\nbody\n`, 2), ['Amount:', 'Node:', 'Reply-To:'], 'on the blank line after SEND');
    assert.ok(labelsAt(text, 6).includes('reply.json.status == "ok"'));
  });
});
