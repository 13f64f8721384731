import * as assert from 'assert';
import { formatDuration } from '../../../../src/core/text/duration';
import { escapeMarkdown } from '../../../../src/core/text/safeText';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { replyLatencyMs, type ReplyWatch } from '../../../../src/core/watches/replyLatency';
import { replySender, replyStateText } from '../../../../src/core/watches/replyState';
import { WatchRegistry } from '../../../../src/core/watches/watches';
import { FakeClock } from '../../helpers/fakeClock';
import { nodeMessage } from '../../helpers/messages';

const SENDER = '03ab12' + 'cd'.repeat(29) + '0d0e0';

describe('formatDuration', () => {
  it('writes milliseconds, then seconds, then minutes, then hours', () => {
    const cases: [number, string][] = [
      [0, '0 ms'],
      [820, '820 ms'],
      [999.4, '999 ms'],
      [999.6, '1 s'],
      [1000, '1 s'],
      [1449, '1.4 s'],
      [2100, '2.1 s'],
      [9949, '9.9 s'],
      [9950, '10 s'],
      [12_000, '12 s'],
      [30_000, '30 s'],
      [59_499, '59 s'],
      [59_500, '1 m'],
      [125_000, '2 m 5 s'],
      [599_400, '9 m 59 s'],
      [599_600, '10 m'],
      [47 * 60_000 + 12_000, '47 m'],
      [3_600_000, '1 h'],
      [3_900_000, '1 h 5 m'],
      [49 * 3_600_000, '49 h'],
    ];
    for (const [ms, text] of cases) {
      assert.strictEqual(formatDuration(ms), text, String(ms));
    }
  });

  it('reads a negative or impossible span as none rather than printing garbage', () => {
    for (const ms of [-5, -Infinity, Number.NaN, Infinity]) {
      assert.strictEqual(formatDuration(ms), '0 ms', String(ms));
    }
  });
});

describe('replyState', () => {
  const clock = new FakeClock();
  /** Replies the registry finds already held, by the ID they answer. */
  const held = new Map<string, NodeMessage>();
  let registry: WatchRegistry;

  beforeEach(() => {
    held.clear();
    registry = new WatchRegistry((id) => held.get(id), clock);
  });

  it('reads a live watch: waiting, then replied in N ms by the sender', () => {
    const watch = registry.watch('sent', { timeoutMs: 30_000 });
    clock.advance(12_000);
    assert.strictEqual(replyStateText(watch, clock.now()), 'waiting 12 s');
    assert.strictEqual(replyLatencyMs(watch), undefined);
    clock.advance(820);
    registry.handle(nodeMessage({ id: 'reply', replyToId: 'sent', fromPubkey: SENDER }));
    assert.strictEqual(replyLatencyMs(watch), 12_820);
    assert.strictEqual(replyStateText(watch, clock.now() + 60_000), 'replied in 13 s by 03ab12…0d0e0');
  });

  it('reads a timed-out watch by its timeout, however late it is asked', () => {
    const watch = registry.watch('sent', { timeoutMs: 30_000 });
    clock.advance(30_000);
    assert.strictEqual(watch.state, 'timedOut');
    assert.strictEqual(replyStateText(watch, clock.now() + 99_000), 'timed out after 30 s');
  });

  it('reads a cancelled watch and no watch at all', () => {
    const watch = registry.watch('sent');
    clock.advance(4_500);
    registry.cancel(watch);
    assert.strictEqual(replyStateText(watch, clock.now() + 10_000), 'stopped waiting after 4.5 s');
    assert.strictEqual(replyStateText(undefined, clock.now()), 'no reply yet');
    assert.strictEqual(replyStateText(undefined, clock.now(), { fromPubkey: SENDER }), 'replied by 03ab12…0d0e0');
  });

  it('gives no latency for a reply that was held before the watch was made', () => {
    held.set('sent', nodeMessage({ id: 'reply', replyToId: 'sent', fromPubkey: SENDER }));
    const watch = registry.watch('sent');
    assert.strictEqual(watch.state, 'answered');
    assert.strictEqual(replyLatencyMs(watch), undefined);
    assert.strictEqual(replyStateText(watch, clock.now()), 'already replied by 03ab12…0d0e0');
  });

  it('gives a reply that arrives within the millisecond of watching its latency: 0 ms, not "already replied"', () => {
    const watch = registry.watch('quick');
    registry.handle(nodeMessage({ id: 'fast', replyToId: 'quick', fromPubkey: SENDER }));
    assert.strictEqual(watch.state, 'answered');
    assert.strictEqual(watch.settledAt, watch.createdAt, 'the fake clock did not move');
    assert.strictEqual(replyLatencyMs(watch), 0);
    assert.match(replyStateText(watch, clock.now()), /^replied in 0 ms by 03ab12…0d0e0$/);
  });

  it('counts from the send returning when the watch knows it', () => {
    const sentAt = clock.now();
    clock.advance(5);
    const watch: ReplyWatch = { state: 'waiting', createdAt: clock.now(), sentAt };
    assert.strictEqual(replyStateText(watch, clock.now() + 995), 'waiting 1 s');
    const answered: ReplyWatch = { ...watch, state: 'answered', settledAt: sentAt + 820, reply: { fromPubkey: SENDER } };
    assert.strictEqual(replyLatencyMs(answered), 820);
    assert.strictEqual(replyStateText(answered, 0), 'replied in 820 ms by 03ab12…0d0e0');
    const heldAtOnce: ReplyWatch = { ...answered, settledAt: sentAt + 5 };
    assert.strictEqual(replyLatencyMs(heldAtOnce), 5, 'a reply that beat the watch still timed from the send');
  });

  it('reads a restored watch whose reply is no longer held', () => {
    const watch: ReplyWatch = { state: 'answered', createdAt: 1000, settledAt: 3100 };
    assert.strictEqual(replyStateText(watch, 5000), 'replied in 2.1 s');
    assert.strictEqual(replyStateText({ state: 'answered', createdAt: 1000 }, 5000), 'replied');
    assert.strictEqual(replyStateText({ state: 'timedOut', createdAt: 1000, settledAt: 4000 }, 9000), 'timed out after 3 s');
  });

  it('never lets a sender add a line, a control, a bidi override, a half surrogate or a link', () => {
    const hostile = [
      `03ab\n# Heading\r\n[click](command:impervious.sendMessage)`,
      `\u202e${SENDER}\u202c`,
      `\u0000\u0007${SENDER}\u001b[31m`,
      `😀😀😀😀😀😀😀😀`,
      `did:peer:\ud83d`,
      `${'\ud800'.repeat(20)}`,
      `x\u2028y\u2029z${'q'.repeat(1024 * 1024)}`,
      '',
    ];
    for (const sender of hostile) {
      const text = replyStateText({ state: 'answered', createdAt: 0, settledAt: 10, reply: { fromPubkey: sender } }, 20);
      assert.ok(text.startsWith('replied in 10 ms by '), text);
      assert.ok(text.length < 80, `${text.length} characters`);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      assert.doesNotMatch(text, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      assert.doesNotMatch(escapeMarkdown(text), /(?<!\\)[[\]()]/, 'the caller can make it inert Markdown');
    }
    assert.strictEqual(replySender(''), '(unknown sender)');
    assert.strictEqual(replySender('did:peer:2Ez6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc'), 'did:peer:2Ez6…3KCc');
  });
});
