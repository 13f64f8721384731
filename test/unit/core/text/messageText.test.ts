import * as assert from 'assert';
import { previewData, shortId, shortSender, tellingJsonField, viewData } from '../../../../src/core/text/messageText';
import { notificationText, singleLine } from '../../../../src/core/text/safeText';
import { messageTooltipMarkdown } from '../../../../src/vscode/messages/messageMarkdown';
import { deepArray, deepObject, EVERY_PLANE, longLine, NOT_QUITE_JSON } from '../../helpers/hostileBodies';
import { nodeMessage } from '../../helpers/messages';

const HOSTILE = '[click me](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> \u202Eevil\u202C';

describe('messageText', () => {
  it('previews text, JSON, DIDComm basic messages and binary', () => {
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.from('hello\n  world') })), 'hello world');
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.from('{ "a": 1 }') })), '{"a":1}');
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.from([0, 1, 2, 255]) })), '4 bytes');
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.alloc(0) })), '(empty)');
    const didComm = Buffer.from(JSON.stringify({ id: 'x', type: 'https://didcomm.org/basicmessage/2.0/message', body: { content: 'hi there' } }));
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: didComm, serviceType: 'https://didcomm.org/basicmessage/2.0/message' })), 'hi there');
    assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.from('x'.repeat(200)) }), 10), 'xxxxxxxxx…');
  });
  it('previews a JSON object by its most telling field: text, message, body, then type', () => {
    const preview = (value: unknown) => previewData(nodeMessage({ id: 'a', data: Buffer.from(JSON.stringify(value)) }));
    assert.strictEqual(preview({ type: 'chat', seq: 4, text: 'gm', lang: 'en' }), 'gm');
    assert.strictEqual(preview({ type: 'error', message: 'route failed', body: 'b' }), 'route failed');
    assert.strictEqual(preview({ type: 'invoice', body: 'lnbc1…' }), 'lnbc1…');
    assert.strictEqual(preview({ type: 'order', order_id: 'f00d', items: [] }), 'order');
    // Empty or non-string fields say nothing: the next one, or the raw JSON, is shown.
    assert.strictEqual(preview({ text: '  ', message: 7, body: { content: 'x' }, type: 'ping' }), 'ping');
    assert.strictEqual(preview({ action: 'quote', price_sat: 10 }), '{"action":"quote","price_sat":10}');
    assert.strictEqual(preview([{ text: 'in an array' }]), '[{"text":"in an array"}]');
    // The field is peer text like any other: one line, no bidi overrides, bounded.
    assert.strictEqual(preview({ text: 'two\nlines \u202Eevil' }), 'two lines evil');
    assert.strictEqual(preview({ text: 'z'.repeat(5000) }).length, 80);
  });

  it('reads only a JSON object\'s own fields for the preview', () => {
    assert.strictEqual(tellingJsonField(JSON.parse('{"__proto__": {"text": "inherited"}, "type": "own"}')), 'own');
    assert.strictEqual(tellingJsonField({}), undefined);
    assert.strictEqual(tellingJsonField(null), undefined);
    assert.strictEqual(tellingJsonField('text'), undefined);
  });

  it('keeps the raw JSON in the tooltip when the label shows a field', () => {
    const raw = '{"type":"chat","seq":4,"text":"gm"}';
    const message = nodeMessage({ id: 'a', data: Buffer.from(raw) });
    assert.strictEqual(previewData(message), 'gm');
    const tooltip = messageTooltipMarkdown(message);
    assert.strictEqual(tooltip.split('\n')[0]?.replace(/\\(.)/g, '$1'), raw);
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
  it('breaks link syntax in notification text', () => {
    const text = notificationText(HOSTILE);
    assert.doesNotMatch(text, /\]\(/);
    assert.match(text, /\]\u200b\(command:/);
    assert.ok(notificationText('z'.repeat(1000), 200).length <= 200);
  });
  it('shortens IDs and senders', () => {
    assert.strictEqual(shortId('6f1c2a9b0d3e4f5a'), '6f1c2a9b…');
    assert.strictEqual(shortId('short'), 'short');
    assert.strictEqual(shortSender('03' + 'ab'.repeat(32)), '03abab…babab');
    assert.strictEqual(shortSender('did:peer:2Ez6LSabcdefghijkXk3'), 'did:peer:2Ez6…kXk3');
  });
  it('previews any body within bounds: deep nesting, 4 MiB lines, not-quite JSON, every plane', () => {
    const preview = (data: string, serviceType = 'message') => previewData(nodeMessage({ id: 'a', data: Buffer.from(data), serviceType }));
    assert.strictEqual(preview(deepArray(20_000)), `${'['.repeat(79)}…`);
    assert.strictEqual(preview(deepObject(3)), '{"a":{"a":{"a":"end"}}}');
    assert.strictEqual(preview(longLine(4 * 1024 * 1024)).length, 80);
    assert.strictEqual(preview('{ "a" : "b  c" ,}'), '{"a":"b  c",}'.replace('  ', ' '));
    for (const text of NOT_QUITE_JSON) {
      assert.ok(preview(text).length > 0);
    }
    assert.strictEqual(preview(EVERY_PLANE), EVERY_PLANE);
    const basic = 'https://didcomm.org/basicmessage/2.0/message';
    assert.strictEqual(preview(`{"body":{"content":"deep"},"x":${deepArray(20_000)}}`, basic), 'deep');
    assert.match(preview(`{"body":{"content":"big"},"x":"${'y'.repeat(100_000)}"}`, basic), /^\{"body"/, 'too big to parse for a preview');
  });
});
