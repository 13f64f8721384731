import * as assert from 'assert';
import type { NodeMessage } from '../../../src/core/nodeMessage';
import { parseRequestFile } from '../../../src/core/requests/parser';
import { publicResult, RequestRunner, type RequestPort, type RequestSend, type RunProgress } from '../../../src/core/requests/runner';
import { minimumAmount } from '../../../src/core/amount';
import { FakeClock } from '../helpers/fakeClock';
import { ALICE, SAMPLE } from './sampleFile';

interface ScriptedReply {
  readonly data: string;
  readonly afterMs: number;
}

/** A fake port: IDs are counted, replies scripted per send, and time moves only as a reply takes it. */
class FakeRequestPort implements RequestPort {
  readonly clock = new FakeClock();
  readonly sent: (RequestSend & { id: string })[] = [];
  readonly waits: { id: string; timeoutMs: number }[] = [];
  private readonly replies = new Map<string, ScriptedReply>();
  failSends: string | undefined;

  constructor(
    private readonly answer: (request: RequestSend, text: string) => ScriptedReply | undefined = (_, text) => ({ data: `pong: ${text}`, afterMs: 50 }),
    private readonly nodes: readonly string[] = ['sim', 'lab'],
  ) {}

  async send(request: RequestSend): Promise<string> {
    if (this.failSends) {
      throw new Error(this.failSends);
    }
    const id = `id${this.sent.length + 1}`;
    this.sent.push({ ...request, id });
    const reply = this.answer(request, Buffer.from(request.data).toString('utf8'));
    if (reply) {
      this.replies.set(id, reply);
    }
    return id;
  }

  async waitForReply(id: string, timeoutMs: number): Promise<NodeMessage> {
    this.waits.push({ id, timeoutMs });
    const reply = this.replies.get(id);
    if (!reply || reply.afterMs > timeoutMs) {
      this.clock.advance(timeoutMs);
      throw new Error(`No reply to ${id} within ${timeoutMs / 1000} s`);
    }
    this.clock.advance(reply.afterMs);
    return { node: 'sim', id: `re-${id}`, replyToId: id, fromPubkey: ALICE, data: Buffer.from(reply.data), serviceType: 'message', amount: 1n, receivedAt: this.clock.now() };
  }

  minimumAmount(bytes: number): bigint {
    return minimumAmount(bytes);
  }

  nodeNames(): readonly string[] {
    return this.nodes;
  }
}

const OPTIONS = { defaultTimeoutMs: 30_000 };

function runnerFor(port: FakeRequestPort, confirm: (total: bigint, minimum: bigint) => Promise<boolean> = async () => true): RequestRunner {
  return new RequestRunner(port, confirm);
}

const STATUS_OK = (request: RequestSend, text: string): ScriptedReply => ({ data: request.replyToId ? '{"status":"ok"}' : `pong ${text}`, afterMs: 40 });

describe('request runner (fake port)', () => {
  it('runs the documented example: chaining, defaults and results in the command shape', async () => {
    const port = new FakeRequestPort(STATUS_OK);
    const progress: RunProgress[] = [];
    const results = await runnerFor(port).runAllRequests('file:///a.imp', parseRequestFile(SAMPLE), { ...OPTIONS, onProgress: (event) => progress.push(event) });
    assert.deepStrictEqual(results.map(publicResult), [
      { name: 'ping', id: 'id1', replyId: 're-id1', passed: true, latencyMs: 40, failures: [] },
      { name: 'follow up in reply to her reply', id: 'id2', replyId: 're-id2', passed: true, latencyMs: 40, failures: [] },
    ]);
    assert.deepStrictEqual(port.sent.map((s) => [s.pubkey, s.amount, s.replyToId, s.node]), [
      [ALICE, 10n, undefined, undefined],
      [ALICE, 1n, 're-id1', undefined],
    ]);
    assert.strictEqual(Buffer.from(port.sent[1]!.data).toString(), '{"type":"status","of":"id1"}');
    assert.deepStrictEqual(port.waits.map((w) => w.timeoutMs), [10_000, 30_000], '@timeout, then the default');
    assert.deepStrictEqual(progress.map((p) => `${p.name}:${p.kind}:${p.id}:${p.elapsedMs}`), [
      'ping:sent:id1:0',
      'ping:waiting:id1:0',
      'ping:replied:id1:40',
      'follow up in reply to her reply:sent:id2:0',
      'follow up in reply to her reply:waiting:id2:0',
      'follow up in reply to her reply:replied:id2:40',
    ]);
  });

  it('runs a referenced block first when it has no result in this window, and reuses it after', async () => {
    const port = new FakeRequestPort(STATUS_OK);
    const runner = runnerFor(port);
    const file = parseRequestFile(SAMPLE);
    const first = await runner.runRequest('a.imp', file, 1, OPTIONS);
    assert.deepStrictEqual(first.map((r) => r.name), ['ping', 'follow up in reply to her reply']);
    const again = await runner.runRequest('a.imp', file, 1, OPTIONS);
    assert.deepStrictEqual(again.map((r) => r.name), ['follow up in reply to her reply']);
    assert.strictEqual(port.sent[2]!.replyToId, 're-id1', 'the cached reply of ping');
    const otherFile = await runner.runRequest('b.imp', file, 1, OPTIONS);
    assert.strictEqual(otherFile.length, 2, 'results belong to their file');
    runner.results.clear('a.imp');
    assert.strictEqual((await runner.runRequest('a.imp', file, 1, OPTIONS)).length, 2);
  });

  it('fails each expectation that does not hold, with readable texts', async () => {
    const port = new FakeRequestPort(() => ({ data: '{"status":"busy"}', afterMs: 12_000 }));
    const [result] = await runnerFor(port).runAllRequests('f', parseRequestFile(`### b\nSEND ${ALICE}\n\nhi\n> expect reply within 10s\n> expect reply.json.status == "ok"\n`), OPTIONS);
    assert.deepStrictEqual(publicResult(result!), {
      name: 'b',
      id: 'id1',
      replyId: 're-id1',
      passed: false,
      latencyMs: 12_000,
      failures: ['reply within 10 s: the reply came after 12 s', 'reply.json.status: expected "ok", got "busy"'],
    });
    assert.deepStrictEqual(
      result!.failedExpectations.map(({ expectation, comparison }) => [expectation, comparison]),
      [
        [0, undefined],
        [1, { expected: '"ok"', actual: '"busy"' }],
      ],
    );
  });

  it('reports a timeout and a no reply within that holds', async () => {
    const port = new FakeRequestPort(() => undefined);
    const progress: string[] = [];
    const results = await runnerFor(port).runAllRequests('f', parseRequestFile(`### a\nSEND ${ALICE}\n\nx\n> expect reply.data contains "x"\n### b\nSEND ${ALICE}\n\ny\n> expect no reply within 2s\n`), {
      ...OPTIONS,
      onProgress: (event) => progress.push(`${event.kind}@${event.elapsedMs}`),
    });
    assert.deepStrictEqual(results.map((r) => [r.passed, r.failures]), [[false, ['reply.data contains "x": no reply within 30 s']], [true, []]]);
    assert.deepStrictEqual(port.waits.map((w) => w.timeoutMs), [30_000, 2_000]);
    assert.deepStrictEqual(progress, ['sent@0', 'waiting@0', 'timedOut@30000', 'sent@0', 'waiting@0', 'timedOut@2000']);
  });

  it('does not wait for a block without expectations unless another block needs its reply', async () => {
    const port = new FakeRequestPort();
    const text = `### a\nSEND ${ALICE}\n\nx\n### b\n# @name b\nSEND ${ALICE}\n\ny\n### c\nSEND ${ALICE}\n\n{{b.reply.data}}\n`;
    const results = await runnerFor(port).runAllRequests('f', parseRequestFile(text), OPTIONS);
    assert.deepStrictEqual(results.map((r) => [r.name, r.passed, r.replyId]), [['a', true, undefined], ['b', true, 're-id2'], ['c', true, undefined]]);
    assert.deepStrictEqual(port.waits.map((w) => w.id), ['id2']);
    assert.strictEqual(Buffer.from(port.sent[2]!.data).toString(), 'pong: y');
  });

  it('sends a value containing {{y}} as it is, never expanding it again', async () => {
    const port = new FakeRequestPort(() => ({ data: 'evil {{secret}} {{a.id}}', afterMs: 1 }));
    const text = `@secret = hidden\n### a\n# @name a\nSEND ${ALICE}\n\nx\n### b\nSEND ${ALICE}\n\n{{a.reply.data}}\n`;
    await runnerFor(port).runAllRequests('f', parseRequestFile(text), OPTIONS);
    assert.strictEqual(Buffer.from(port.sent[1]!.data).toString(), 'evil {{secret}} {{a.id}}');
  });

  it('fails before sending: a URL or unknown Node, an unresolved reference, a bad substituted pubkey or amount, a cycle', async () => {
    const port = new FakeRequestPort();
    const text = [
      `@bad = 04zz\n@many = lots\n@one = 1`,
      `### url\nSEND ${ALICE}\nNode: https://evil.example:8080\n`,
      `### unknown\nSEND ${ALICE}\nNode: elsewhere\n`,
      `### ref\nSEND ${ALICE}\n\n{{ghost.id}}\n`,
      `### key\nSEND {{bad}}\n`,
      `### amount\nSEND ${ALICE}\nAmount: {{many}}\n`,
      `### cheap\nSEND ${ALICE}\nAmount: {{one}}\n\n${'z'.repeat(1000)}\n`,
      `### x\n# @name x\nSEND ${ALICE}\n\n{{y.id}}\n### y\n# @name y\nSEND ${ALICE}\n\n{{x.id}}\n`,
    ].join('\n');
    const results = await runnerFor(port).runAllRequests('f', parseRequestFile(text), OPTIONS);
    assert.deepStrictEqual(port.sent, []);
    assert.deepStrictEqual(
      results.map((r) => `${r.name}: ${r.failures.join(' | ')}`),
      [
        'url: not sent: Node: "https://evil.example:8080" looks like a URL; name a configured node (configured: "sim", "lab")',
        'unknown: not sent: Node: no configured node is named "elsewhere" (configured: "sim", "lab")',
        'ref: not sent: {{ghost.id}}: ghost has no result in this window yet',
        'key: not sent: SEND: "04zz" is not a node pubkey',
        'amount: not sent: Amount: "lots" is not an amount (a whole number of satoshis)',
        "cheap: not sent: Amount: 1 is below the node's minimum of 2 for this body",
        'y: not sent: reference cycle x → y → x',
        'x: not sent: reference cycle x → y → x',
      ],
    );
    assert.ok(results.every((r) => !r.passed && r.id === ''));
  });

  it('sends NUL bytes as they are and a lone surrogate as U+FFFD, from a CRLF file', async () => {
    const port = new FakeRequestPort();
    await runnerFor(port).runAllRequests('f', parseRequestFile(`### a\r\nSEND ${ALICE}\r\n\r\na\u0000b\r\n\ud800\r\n`), OPTIONS);
    assert.deepStrictEqual([...port.sent[0]!.data], [0x61, 0x00, 0x62, 0x0a, 0xef, 0xbf, 0xbd]);
  });

  it('runs nothing for a block index the file does not have', async () => {
    const port = new FakeRequestPort();
    assert.deepStrictEqual(await runnerFor(port).runRequest('f', parseRequestFile(SAMPLE), 7, OPTIONS), []);
    assert.deepStrictEqual(port.sent, []);
  });

  it('sends through a named node and reports a failed send', async () => {
    const port = new FakeRequestPort();
    await runnerFor(port).runAllRequests('f', parseRequestFile(`### a\nSEND ${ALICE}\nNode: lab\n`), OPTIONS);
    assert.strictEqual(port.sent[0]!.node, 'lab');
    port.failSends = 'The node answered HTTP 500: boom\nforged';
    const [result] = await runnerFor(port).runAllRequests('f', parseRequestFile(`### a\nSEND ${ALICE}\n`), OPTIONS);
    assert.deepStrictEqual(result, { name: 'a', id: '', passed: false, failures: ['send failed: The node answered HTTP 500: boom\\nforged'], failedExpectations: [] });
  });

  describe('spending', () => {
    const expensive = `### a\nSEND ${ALICE}\nAmount: 11\n\nx\n### b\nSEND ${ALICE}\nAmount: 11\n\ny\n`;

    it('asks once, before any send, when the run asks for more than 10x the minimum', async () => {
      const port = new FakeRequestPort();
      const asked: [bigint, bigint][] = [];
      const results = await runnerFor(port, async (total, minimum) => (asked.push([total, minimum]), true)).runAllRequests('f', parseRequestFile(expensive), OPTIONS);
      assert.deepStrictEqual(asked, [[22n, 2n]]);
      assert.strictEqual(port.sent.length, 2);
      assert.ok(results.every((r) => r.passed));
    });

    it('sends nothing when the user declines', async () => {
      const port = new FakeRequestPort();
      const results = await runnerFor(port, async () => false).runAllRequests('f', parseRequestFile(expensive), OPTIONS);
      assert.deepStrictEqual(port.sent, []);
      assert.deepStrictEqual(results.map((r) => r.failures), [['not sent: the amount for this run was not confirmed'], ['not sent: the amount for this run was not confirmed']]);
    });

    it('does not ask at 10x the minimum or below', async () => {
      let asked = 0;
      const port = new FakeRequestPort();
      await runnerFor(port, async () => (asked++, true)).runAllRequests('f', parseRequestFile(`### a\nSEND ${ALICE}\nAmount: 10\n\nx\n`), OPTIONS);
      assert.strictEqual(asked, 0);
      assert.strictEqual(port.sent.length, 1);
    });

    it('asks before the send whose amount only a reply revealed', async () => {
      const port = new FakeRequestPort(() => ({ data: '{"price":500}', afterMs: 5 }));
      const asked: bigint[] = [];
      const text = `### quote\n# @name quote\nSEND ${ALICE}\n\nprice?\n### pay\nSEND ${ALICE}\nAmount: {{quote.reply.json.price}}\n\npay\n`;
      const results = await runnerFor(port, async (total) => (asked.push(total), false)).runAllRequests('f', parseRequestFile(text), OPTIONS);
      assert.deepStrictEqual(asked, [501n]);
      assert.strictEqual(port.sent.length, 1);
      assert.deepStrictEqual(results[1]!.failures, ['not sent: the amount for this run was not confirmed']);
    });
  });
});
