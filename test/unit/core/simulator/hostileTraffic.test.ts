import * as assert from 'assert';
import WebSocket from 'ws';
import { FrameDecoder } from '../../../../src/core/wire/frameDecoder';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { logText, notificationText } from '../../../../src/core/text/safeText';
import { FORGED_LOG_LINE } from '../../../../src/core/simulator/hostileText';
import { HOSTILE_CHAIN_LENGTH, hostileRoundEnd, hostileSchedule } from '../../../../src/core/simulator/hostileTraffic';
import { Prng } from '../../../../src/core/simulator/prng';
import { startSimulatedNode, type SimulatedNode } from '../../../../src/core/simulator/simulatedNode';
import { MAX_LINE_BYTES } from '../../../../src/core/simulator/subscribeFrames';
import { until } from '../../helpers/waitFor';

/** One stream, decoded as the extension decodes it. */
class Stream {
  readonly messages: NodeMessage[] = [];
  readonly errors: { code: number; message: string }[] = [];
  readonly longestFrame: number[] = [0];
  readonly closed: Promise<number>;
  private readonly decoder = new FrameDecoder({ node: 'hostile' });

  constructor(url: string) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('message', (data: Buffer) => {
      this.longestFrame[0] = Math.max(this.longestFrame[0] ?? 0, data.byteLength);
      const result = this.decoder.decode(data.toString('utf8'));
      if (result.kind === 'message') {
        this.messages.push(result.message);
      } else if (result.kind === 'error') {
        this.errors.push({ code: result.code, message: result.message });
      }
    });
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  }
}

describe('the hostile schedule', function () {
  this.timeout(30_000);
  let sim: SimulatedNode | undefined;

  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('has every class, with fresh IDs each round', () => {
    const ids = new Prng(1);
    const first = hostileSchedule(1, ids, 'p');
    const second = hostileSchedule(2, ids, 'p');
    const names = first.map((step) => step.name).join('\n');
    for (const name of ['self-reply', 'loop of two', 'loop of three', 'chain', 'never seen', 'duplicate ID', 'structure', '20000 levels', 'as long as the stream', 'looks like JSON', 'Unicode plane', 'lone surrogates', 'command links', 'newlines', '4 MiB', 'stream error']) {
      assert.match(names, new RegExp(name), name);
    }
    const idsOf = (steps: typeof first) => new Set(steps.flatMap((step) => (step.kind === 'messages' ? step.messages.map((m) => m.id ?? '') : [])).filter((id) => /-r\d/.test(id)));
    const overlap = [...idsOf(first)].filter((id) => idsOf(second).has(id));
    assert.deepStrictEqual(overlap, []);
  });

  it('puts a round on the stream that the decoder takes, then drops it on the 4 MiB line, then sends the hostile error', async () => {
    sim = await startSimulatedNode({ port: 0, faults: { hostile: true }, hostileIntervalMs: 5 });
    const first = new Stream(sim.subscribeUrl);
    await until(() => first.messages.some((m) => Buffer.from(m.data).toString() === hostileRoundEnd(1)), 'the end of round 1', 20_000);
    assert.strictEqual(await first.closed, 1006, 'the 4 MiB line killed the stream, as the node does');
    assert.ok((first.longestFrame[0] ?? 0) <= MAX_LINE_BYTES, 'no frame that arrived was over the line limit');
    assert.ok((first.longestFrame[0] ?? 0) > MAX_LINE_BYTES - 2048, 'the longest body that passes did');

    const received = first.messages;
    const byData = (text: string) => received.filter((m) => Buffer.from(m.data).toString().includes(text));
    const [self] = byData('I reply to myself');
    assert.ok(self && self.id === self.replyToId, 'a self-reply');
    const loop = byData('loop of two');
    assert.strictEqual(loop.length, 2);
    assert.strictEqual(loop[0]?.replyToId, loop[1]?.id);
    assert.strictEqual(loop[1]?.replyToId, loop[0]?.id);
    assert.strictEqual(byData('chain link').length, HOSTILE_CHAIN_LENGTH);
    const duplicates = byData('with this ID').concat(byData('with the same ID'));
    assert.strictEqual(new Set(duplicates.map((m) => m.id)).size, 1, 'two messages, one ID');
    assert.ok(received.some((m) => m.id === 'a/b?c#d%e f'), 'a structured ID arrives as it was sent');
    assert.ok(received.some((m) => m.id === ''), 'an empty ID');
    assert.ok(received.some((m) => /\ud800/.test(m.id)), 'a lone surrogate in an ID');
    assert.ok(received.some((m) => m.data.byteLength === 40_000 && m.data[0] === 0x5b), 'the 20,000-deep JSON body');
    assert.ok(received.some((m) => m.serviceType.includes(`\n${FORGED_LOG_LINE}`)), 'a newline in a service type');
    assert.ok(received.some((m) => m.fromPubkey.includes('](command:')), 'a command link in a sender');
    assert.ok(received.some((m) => [...Buffer.from(m.data).toString()].some((char) => (char.codePointAt(0) ?? 0) >= 0x100000)), 'plane 16');

    // What each surface would show of every field: no link in notifications, one line in the log.
    for (const message of received) {
      for (const field of [message.id, message.replyToId, message.fromPubkey, message.serviceType, Buffer.from(message.data).toString()]) {
        assert.doesNotMatch(notificationText(field), /\]\s*\(/);
        assert.doesNotMatch(logText(field), /[\r\n\u2028\u2029]/);
      }
    }

    const second = new Stream(sim.subscribeUrl);
    assert.strictEqual(await second.closed, 1006, 'the error frame ends the next stream');
    assert.strictEqual(second.errors.length, 1);
    assert.strictEqual(second.errors[0]?.code, 14);
    assert.match(second.errors[0]?.message ?? '', /^route failed: \[Open Fix\]\(command:impervious\.sendMessage/);
    assert.match(second.errors[0]?.message ?? '', /\n\[2026-/);
  });

  it('refuses REST sends with the sendError message', async () => {
    sim = await startSimulatedNode({ port: 0 });
    sim.setFaults({ sendError: 'route failed: [Open Fix](command:x)' });
    const response = await fetch(`${sim.restUrl}/v1/message/send`, {
      method: 'POST',
      body: JSON.stringify({ msg: Buffer.from('hi').toString('base64'), pubkey: `03${'ab'.repeat(32)}` }),
    });
    assert.strictEqual(response.status, 503);
    assert.deepStrictEqual(await response.json(), { code: 14, message: 'route failed: [Open Fix](command:x)', details: [] });
    assert.throws(() => sim!.setFaults({ hostile: 'yes' as unknown as boolean }), RangeError);
  });
});
