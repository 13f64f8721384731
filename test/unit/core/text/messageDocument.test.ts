import * as assert from 'assert';
import { DOCUMENT_LIMITS, hexDump, renderMessageDocument } from '../../../../src/core/text/messageDocument';
import { deepArray, EVERY_PLANE, HOSTILE_IDS, longLine, NOT_QUITE_JSON } from '../../helpers/hostileBodies';
import { nodeMessage } from '../../helpers/messages';

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

describe('messageDocument with hostile payloads', () => {
  const render = (data: string | Buffer) => renderMessageDocument(nodeMessage({ id: 'a', data: Buffer.from(data) }));

  it('pretty-prints deep nesting as valid JSON, and 20,000 levels as text when laid out it would be too long', () => {
    const deep = JSON.parse(render(deepArray(1000)));
    assert.ok(Array.isArray(deep.dataJson));
    const text = deepArray(20_000);
    const document = JSON.parse(render(text));
    assert.strictEqual(document.dataByteLength, text.length);
    assert.strictEqual(document.dataText, text);
    assert.match(document.dataNote, /^JSON, shown as text: laid out it would be over 256\.0 KiB$/);
  });

  it('bounds a 4 MiB one-line message and says what it left out', () => {
    const text = longLine(4 * 1024 * 1024);
    const rendered = render(text);
    assert.ok(rendered.length < 600 * 1024, `${rendered.length} characters`);
    const document = JSON.parse(rendered);
    assert.strictEqual(document.dataText.length, DOCUMENT_LIMITS.textChars);
    assert.match(document.dataOmitted, /^… 3\.8 MiB more not shown; Copy Data copies all$/);
    assert.match(document.dataBase64Omitted, /more not shown/);
    const binary = JSON.parse(render(Buffer.alloc(4 * 1024 * 1024, 1)));
    assert.strictEqual(binary.dataHex.length, DOCUMENT_LIMITS.hexBytes / 16 + 1);
  });

  it('shows invalid JSON that looks like JSON as text', () => {
    for (const text of NOT_QUITE_JSON) {
      const document = JSON.parse(render(text));
      assert.strictEqual(document.dataText, text);
      assert.strictEqual(document.dataJson, undefined);
    }
  });

  it('keeps every Unicode plane, and any ID, lone surrogates included', () => {
    assert.strictEqual(JSON.parse(render(EVERY_PLANE)).dataText, EVERY_PLANE);
    for (const id of HOSTILE_IDS) {
      const document = JSON.parse(renderMessageDocument(nodeMessage({ id, replyToId: id, fromPubkey: id, serviceType: id, node: id })));
      assert.deepStrictEqual([document.id, document.replyToId, document.fromPubkey, document.serviceType, document.node], [id, id, id, id, id]);
    }
  });
});
