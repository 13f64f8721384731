import * as assert from 'assert';
import { messageJsonLine, messageLine } from '../../../src/cli/messageLines';
import { Terminal, terminalText } from '../../../src/cli/terminal';
import type { NodeMessage } from '../../../src/core/nodeMessage';
import { OutputCapture } from '../helpers/outputCapture';

/** What a terminal acts on: C0 and C1 controls (ESC, CSI, BEL, CR…), DEL, line/paragraph separators, bidi controls. */
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** What still reads as text (no C0 control): a C1 CSI, a bidi override, a line separator. */
const TEXT_HOSTILE = '\u009b2J \u202egnp.exe \u2028 next';
const HOSTILE = '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 \u001b[2J\u009b31m red \r\nforged line \u202egnp.exe \u2028 \u0000';

function message(fields: Partial<NodeMessage> = {}): NodeMessage {
  return {
    node: 'sim',
    id: `id-${HOSTILE}`,
    replyToId: `reply-${HOSTILE}`,
    fromPubkey: `03${HOSTILE}`,
    data: Buffer.from(`hello ${HOSTILE}`, 'utf8'),
    serviceType: `svc${HOSTILE}`,
    amount: 5n,
    receivedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    ...fields,
  };
}

describe('command line: peer text on the terminal', () => {
  it('escapes control characters, escape sequences, line breaks and bidi overrides so that they show and do nothing', () => {
    const shown = terminalText(HOSTILE);
    assert.ok(!TERMINAL_CONTROLS.test(shown), JSON.stringify(shown));
    assert.ok(shown.includes('\\u001b]8;;https://evil.example\\u0007') && shown.includes('\\r\\nforged line') && shown.includes('\\u202e'), shown);
  });

  it('a tail line: every field from the peer is made safe, and it stays one line', () => {
    const line = messageLine(message());
    assert.ok(!TERMINAL_CONTROLS.test(line), JSON.stringify(line));
    assert.ok(!line.includes('\n'));
    assert.match(line, /5 sat/);
    // Data with control characters is binary to a preview; text with a CSI, bidi or separators is text, escaped.
    assert.match(line, /\d+ bytes$/);
    const text = messageLine(message({ data: Buffer.from(`hello ${TEXT_HOSTILE}`, 'utf8') }));
    assert.ok(!TERMINAL_CONTROLS.test(text) && text.includes('hello '), JSON.stringify(text));
  });

  it('an NDJSON line: every field, data as base64 and as text, parsed back to the very same values; nothing a terminal acts on', () => {
    const original = message({ data: Buffer.from(`hello ${TEXT_HOSTILE}`, 'utf8') });
    const line = messageJsonLine(original);
    assert.ok(!TERMINAL_CONTROLS.test(line), JSON.stringify(line));
    const record = JSON.parse(line);
    assert.deepStrictEqual(Object.keys(record), ['node', 'id', 'replyToId', 'fromPubkey', 'data', 'serviceType', 'amount', 'receivedAt', 'text']);
    assert.strictEqual(record.id, original.id);
    assert.strictEqual(record.fromPubkey, original.fromPubkey);
    assert.strictEqual(Buffer.from(record.data, 'base64').toString('utf8'), `hello ${TEXT_HOSTILE}`);
    assert.strictEqual(record.text, `hello ${TEXT_HOSTILE}`);
    assert.strictEqual(record.amount, '5');
    // Data with control characters is binary: no text field, the base64 carries it.
    const binary = JSON.parse(messageJsonLine(message({ data: Buffer.from([0xff, 0x00, 0x1b]) })));
    assert.strictEqual(binary.text, undefined);
    assert.strictEqual(binary.data, '/wAb');
  });

  it('colour and the live line only on a terminal, never with NO_COLOR', () => {
    const tty = new OutputCapture(true);
    const terminal = new Terminal({ stdout: tty, stderr: new OutputCapture(false), env: {} });
    assert.strictEqual(terminal.paint('red', 'FAIL'), '\u001b[31mFAIL\u001b[39m');
    terminal.status('waiting 3 s');
    terminal.line('done');
    assert.strictEqual(tty.text, '\r\u001b[2Kwaiting 3 s\r\u001b[2Kdone\n');

    const noColour = new Terminal({ stdout: new OutputCapture(true), stderr: new OutputCapture(false), env: { NO_COLOR: '1' } });
    assert.strictEqual(noColour.paint('red', 'FAIL'), 'FAIL');
    const pipe = new OutputCapture(false);
    const piped = new Terminal({ stdout: pipe, stderr: new OutputCapture(false), env: {} });
    piped.status('waiting 3 s');
    piped.line('done');
    assert.strictEqual(piped.paint('green', 'PASS'), 'PASS');
    assert.strictEqual(pipe.text, 'done\n');
  });
});
