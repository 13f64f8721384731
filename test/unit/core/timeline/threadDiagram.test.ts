import * as assert from 'assert';
import { MessageStore } from '../../../../src/core/messages/messageStore';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { diagramText, MAX_DIAGRAM_MESSAGES, MAX_DIAGRAM_SENDERS, threadDiagram, type ReplyTiming } from '../../../../src/core/timeline/threadDiagram';
import { nodeMessage } from '../../helpers/messages';

const ALICE = '02' + 'a1'.repeat(32);
const BOB = '03' + 'b2'.repeat(32);

function storeOf(...messages: NodeMessage[]): MessageStore {
  const store = new MessageStore(100_000);
  messages.forEach((message) => store.append(message));
  return store;
}

function text(id: string, body: string, fields: Partial<NodeMessage> = {}): NodeMessage {
  return nodeMessage({ id, data: Buffer.from(body), ...fields });
}

/** Every line the writer may produce; anything else is peer text that broke out of its label. */
const LINE_SHAPES = [
  /^sequenceDiagram$/,
  /^ {4}participant (N|P\d+|PX) as [^\n]+$/,
  /^ {4}(N|P\d+|PX)(->>|-->>)(N|P\d+|PX): [^\n]+$/,
  /^ {4}Note over N(,(P\d+|PX))?: [^\n]+$/,
  /^ {4}Note right of (P\d+|PX): [^\n]+$/,
];

/** What Mermaid reads as syntax inside a label: none of it may come from a peer. */
const SYNTAX = /[%#;<>&{}`"\\]/;

function checkSafe(diagram: string): string[] {
  const lines = diagram.trimEnd().split('\n');
  for (const line of lines) {
    assert.ok(LINE_SHAPES.some((shape) => shape.test(line)), `an unexpected line: ${JSON.stringify(line)}`);
    const label = line.startsWith('    participant') ? line.replace(/^ {4}participant \w+ as /, '') : line.replace(/^[^:]*: /, '');
    assert.ok(!SYNTAX.test(label), `syntax in a label: ${JSON.stringify(line)}`);
  }
  return lines;
}

describe('thread diagrams (Mermaid)', () => {
  it('draws the node and each sender as participants, one arrow per message with its preview, latencies as notes', () => {
    const root = text('root-id-0000000000', 'hello there', { fromPubkey: ALICE, receivedAt: 1 });
    const reply = text('reply-id-000000000', 'hi back', { fromPubkey: BOB, replyToId: 'root-id-0000000000', receivedAt: 2 });
    const answer = text('answer-id-00000000', '{"text":"pong"}', { fromPubkey: ALICE, replyToId: 'sent-id-0000000000', receivedAt: 3 });
    const store = storeOf(root, reply, answer);
    const timing = (message: NodeMessage): ReplyTiming | undefined => (message.id === answer.id ? { ms: 820, sentId: 'sent-id-0000000000' } : undefined);
    const diagram = threadDiagram(reply, store, { node: 'Local node', timingOf: timing });
    assert.deepStrictEqual(checkSafe(diagram), [
      'sequenceDiagram',
      '    participant N as Local node',
      '    participant P1 as 02a1a1…1a1a1',
      '    participant P2 as 03b2b2…2b2b2',
      '    P1->>N: hello there',
      '    P2-->>N: hi back',
    ]);
    const answered = threadDiagram(answer, store, { node: 'Local node', timingOf: timing });
    assert.deepStrictEqual(checkSafe(answered), [
      'sequenceDiagram',
      '    participant N as Local node',
      '    participant P1 as 02a1a1…1a1a1',
      '    N->>P1: sent sent-id-…',
      '    P1-->>N: pong',
      '    Note over N,P1: reply after 820 ms',
    ]);
  });

  it('keeps hostile senders, service types and bodies inside their labels', () => {
    const hostile = [
      '%%{init: {"theme":"dark","securityLevel":"loose"}}%%',
      'x\nclick P1 call alert(1)',
      'hi\nparticipant Evil\nEvil->>N: pwned',
      'a; Evil->>N: injected; Note over N: owned',
      '<img src=x onerror=alert(1)>',
      '</script><script>alert(1)</script>',
      '#59; #35; &lt;b&gt; `**md**`',
      'line\u2028break\u2029and\rreturn\u202eoverride',
      'end\nloop forever\nrect rgb(0,0,0)',
      'wrap:<br/>text\\nmore',
    ];
    const messages = hostile.map((body, i) =>
      text(`h${i}`, body, { fromPubkey: body, serviceType: body, replyToId: i === 0 ? '' : `h${i - 1}`, receivedAt: i }),
    );
    const diagram = threadDiagram(messages[4]!, storeOf(...messages), {
      node: '%%{init}%%\nparticipant X',
      timingOf: (message) => (message.id === messages[3]!.id ? { ms: 5, sentId: '<b>;%%{init}%%\nclick' } : undefined),
    });
    const lines = checkSafe(diagram);
    assert.strictEqual(lines.filter((line) => line.includes('->>')).length, hostile.length);
    assert.ok(!diagram.includes('%%'));
    assert.ok(!/<|>[^>]|onerror=.*>/.test(diagram.replace(/-->>|->>/g, '')), 'no HTML');
    assert.strictEqual(lines.filter((line) => line.trimStart().startsWith('participant')).length, new Set(hostile).size + 1);
  });

  it('draws a 1,000-deep chain in bounded arrows, marking replies past the nesting depth, and ends', () => {
    const chain: NodeMessage[] = [];
    for (let i = 0; i < 1000; i++) {
      chain.push(text(`c${i}`, `step ${i}`, { replyToId: i === 0 ? '' : `c${i - 1}`, fromPubkey: i % 2 ? ALICE : BOB, receivedAt: i }));
    }
    const diagram = threadDiagram(chain[999]!, storeOf(...chain), { node: 'n' });
    const lines = checkSafe(diagram);
    assert.strictEqual(lines.filter((line) => line.includes('->>')).length, MAX_DIAGRAM_MESSAGES);
    assert.strictEqual(lines.at(-1), `    Note over N: ${1000 - MAX_DIAGRAM_MESSAGES} more messages not shown`);
    assert.ok(lines.includes('    Note right of P2: ↳ 33 deep'));
    assert.ok(lines[4]?.endsWith(': step 0'), 'the root first');
  });

  it('draws a reply loop once, marked, in the order the messages came', () => {
    const a = text('a', 'first', { replyToId: 'c', receivedAt: 1 });
    const b = text('b', 'second', { replyToId: 'a', receivedAt: 2 });
    const c = text('c', 'third', { replyToId: 'b', receivedAt: 3 });
    const lines = checkSafe(threadDiagram(c, storeOf(a, b, c), { node: 'n' }));
    assert.deepStrictEqual(
      lines.filter((line) => line.includes('->>') || line.includes('Note')).map((line) => line.trim()),
      ['P1-->>N: first', 'Note right of P1: ↻ loop', 'P1-->>N: second', 'P1-->>N: third'],
    );
  });

  it('shares one participant among senders past the limit', () => {
    const messages = Array.from({ length: 30 }, (_, i) => text(`s${i}`, `from ${i}`, { fromPubkey: `sender-${i}`, replyToId: i ? 's0' : '', receivedAt: i }));
    const lines = checkSafe(threadDiagram(messages[0]!, storeOf(...messages), { node: 'n' }));
    assert.strictEqual(lines.filter((line) => /^ {4}participant P\d+ /.test(line)).length, MAX_DIAGRAM_SENDERS);
    assert.ok(lines.includes(`    participant PX as ${30 - MAX_DIAGRAM_SENDERS} other senders`));
    assert.ok(lines.indexOf(`    participant PX as ${30 - MAX_DIAGRAM_SENDERS} other senders`) < lines.findIndex((line) => line.includes('->>')));
  });

  it('diagramText: one line, bounded, no Mermaid syntax, never empty', () => {
    assert.strictEqual(diagramText('a%b#c;d<e>f&g{h}i`j"k\\l', 80), 'a％b＃c；d‹e›f＆g｛h｝iˋj＂k⧵l');
    assert.strictEqual(diagramText('\n\n', 80), '-');
    assert.ok(diagramText('x'.repeat(10_000), 60).length <= 60);
    assert.ok(!diagramText('a\nb\u2028c', 60).includes('\n'));
  });
});
