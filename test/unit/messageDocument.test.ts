import * as assert from 'assert';
import { hexDump, renderMessageDocument } from '../../src/core/messageDocument';
import { nodeMessage } from './helpers/messages';

describe('messageDocument', () => {
  it('renders the message document: fields, text, pretty JSON or a hex dump', () => {
    const text = JSON.parse(renderMessageDocument(nodeMessage({ id: 'a', data: Buffer.from('hi'), amount: 12n })));
    assert.strictEqual(text.dataText, 'hi');
    assert.strictEqual(text.amount, '12');
    assert.strictEqual(text.dataBase64, 'aGk=');
    const json = JSON.parse(renderMessageDocument(nodeMessage({ id: 'a', data: Buffer.from('{"k":[1,2]}') })));
    assert.deepStrictEqual(json.dataJson, { k: [1, 2] });
    const binary = JSON.parse(renderMessageDocument(nodeMessage({ id: 'a', data: Buffer.from([0, 0x41, 0xff]) })));
    assert.deepStrictEqual(binary.dataHex, [`00000000  ${'00 41 ff'.padEnd(47)}  .A.`]);
    assert.match(renderMessageDocument(nodeMessage({ id: 'a', data: Buffer.from('{"k":1}') })), /\n {2}"dataJson": \{\n {4}"k": 1/);
  });
  it('dumps hex 16 bytes a row and says how much it left out', () => {
    const dump = hexDump(Buffer.alloc(40, 0x61), 32).split('\n');
    assert.strictEqual(dump.length, 3);
    assert.match(dump[1]!, /^00000010 {2}(61 ){15}61 {2}a{16}$/);
    assert.strictEqual(dump[2], '… 8 more bytes');
  });
});
