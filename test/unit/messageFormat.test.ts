import * as assert from 'assert';
import {
  escapeMarkdown,
  hexDump,
  isNodePubkey,
  looksLikeMessageId,
  messageFromJson,
  messageToJson,
  messageTooltipMarkdown,
  notificationText,
  previewData,
  renderMessageDocument,
  shortId,
  shortSender,
  singleLine,
  viewData,
} from '../../src/core/messageFormat';
import { nodeMessage } from './helpers/messages';

const HOSTILE = '[click me](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> \u202Eevil\u202C';

describe('messageFormat', () => {
  it('previews text, JSON, DIDComm basic messages and binary', () => {
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.from('hello\n  world') })), 'hello world');
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.from('{ "a": 1 }') })), '{"a":1}');
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.from([0, 1, 2, 255]) })), '4 bytes');
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.alloc(0) })), '(empty)');
    const didComm = Buffer.from(JSON.stringify({ id: 'x', type: 'https://didcomm.org/basicmessage/2.0/message', body: { content: 'hi there' } }));
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: didComm, serviceType: 'https://didcomm.org/basicmessage/2.0/message' })), 'hi there');
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.from('x'.repeat(200)) }), 10), 'xxxxxxxxx…');
  });

  it('treats text with control characters or invalid UTF-8 as binary', () => {
    assert.strictEqual(viewData(Buffer.from('a\u0001b')).kind, 'binary');
    assert.strictEqual(viewData(Buffer.from([0xc3, 0x28])).kind, 'binary');
    assert.strictEqual(viewData(Buffer.from('tab\tand\nnewline')).kind, 'text');
  });

  it('strips bidi overrides and controls from labels and bounds 100,000-character lines', () => {
    assert.strictEqual(singleLine('a\u202Eb\u2066c\u0007d'), 'abcd');
    const long = previewData(nodeMessage({ id: 'a', data: Buffer.from('y'.repeat(100_000)) }));
    assert.strictEqual(long.length, 80);
  });

  it('escapes peer text in tooltips so nothing becomes a link, HTML or a command', () => {
    const markdown = messageTooltipMarkdown(nodeMessage({ id: 'a', data: Buffer.from(HOSTILE), serviceType: '[x](command:y)' }));
    assert.doesNotMatch(markdown, /\]\(command:/);
    assert.doesNotMatch(markdown, /(?<!\\)<img/, 'no raw HTML');
    assert.doesNotMatch(markdown, /\u202E/);
    assert.match(markdown, /\\\[click me\\\]\\\(command\\:workbench/);
    assert.strictEqual(escapeMarkdown('a_b*c'), 'a\\_b\\*c');
  });

  it('breaks link syntax in notification text', () => {
    const text = notificationText(HOSTILE);
    assert.doesNotMatch(text, /\]\(/);
    assert.match(text, /\]\u200b\(command:/);
    assert.ok(notificationText('z'.repeat(1000)).length <= 200);
  });

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

  it('round-trips messages through JSON, and refuses malformed records', () => {
    const message = nodeMessage({ id: 'a', replyToId: 'b', data: Buffer.from([1, 2, 3]), amount: 9007199254740993n, receivedAt: 5 });
    const back = messageFromJson(JSON.parse(JSON.stringify(messageToJson(message))))!;
    assert.deepStrictEqual({ ...back, data: [...back.data] }, { ...message, data: [1, 2, 3] });
    assert.strictEqual(messageFromJson({ ...messageToJson(message), amount: 'x' }), undefined);
    assert.strictEqual(messageFromJson(null), undefined);
  });

  it('shortens IDs and senders', () => {
    assert.strictEqual(shortId('6f1c2a9b0d3e4f5a'), '6f1c2a9b…');
    assert.strictEqual(shortId('short'), 'short');
    assert.strictEqual(shortSender('03' + 'ab'.repeat(32)), '03abab…babab');
    assert.strictEqual(shortSender('did:peer:2Ez6LSabcdefghijkXk3'), 'did:peer:2Ez6…kXk3');
  });

  it('recognises pubkeys and message IDs', () => {
    assert.ok(isNodePubkey('02' + 'a'.repeat(64)));
    assert.ok(!isNodePubkey('04' + 'a'.repeat(64)));
    assert.ok(!isNodePubkey('02' + 'a'.repeat(63)));
    assert.ok(looksLikeMessageId('a'.repeat(64)));
    assert.ok(looksLikeMessageId('123e4567-e89b-12d3-a456-426614174000'));
    assert.ok(!looksLikeMessageId('hello world, how are you'));
  });
});
