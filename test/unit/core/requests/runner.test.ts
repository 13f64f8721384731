import * as assert from 'assert';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { parseRequestFile } from '../../../../src/core/requests/parser';
import type { RequestFile } from '../../../../src/core/requests/requestFile';
import { publicResult, RequestRunner, type RequestPort, type RequestSend, type RunOptions, type RunProgress } from '../../../../src/core/requests/runner';
import { SpendGuard, type ConfirmSpend, type SpendQuestion } from '../../../../src/core/requests/spendGuard';
import { minimumAmount } from '../../../../src/core/sending/amount';
import { FakeClock } from '../../helpers/fakeClock';
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
  /** What `waitForMessage` finds: the first of these that matches, as if it came at once. */
  incoming: NodeMessage[] = [];
  readonly messageWaits: { timeoutMs: number; aborted: () => boolean }[] = [];

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

  async waitForMessage(matches: (message: NodeMessage) => boolean, timeoutMs: number, signal: AbortSignal): Promise<NodeMessage | undefined> {
    this.messageWaits.push({ timeoutMs, aborted: () => signal.aborted });
    await Promise.resolve();
    return signal.aborted ? undefined : this.incoming.find(matches);
  }

  minimumAmount(bytes: number): bigint {
    return minimumAmount(bytes);
  }

  nodeNames(): readonly string[] {
    return this.nodes;
  }
}

const OPTIONS = { defaultTimeoutMs: 30_000 };

type TestRunOptions = Omit<RunOptions, 'spend'> & { readonly spend?: SpendGuard };

/** A runner whose every call is its own run, with a budget of `limit` sats unless the call brings one. */
function runnerFor(port: FakeRequestPort, confirm: ConfirmSpend = async () => true, limit = 100n) {
  const runner = new RequestRunner(port);
  const withSpend = (options: TestRunOptions): RunOptions => ({ ...options, spend: options.spend ?? new SpendGuard(limit, confirm) });
  return {
    results: runner.results,
    estimate: runner.estimate.bind(runner),
    runRequest: (key: string, file: RequestFile, index: number, options: TestRunOptions) => runner.runRequest(key, file, index, withSpend(options)),
    runAllRequests: (key: string, file: RequestFile, options: TestRunOptions) => runner.runAllRequests(key, file, withSpend(options)),
  };
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

  it('runs chosen blocks with what they reference, tells each result as it is decided, and stops when asked', async () => {
    const port = new FakeRequestPort();
    const file = parseRequestFile(`### a\n# @name a\nSEND ${ALICE}\n\none\n### b\n# @name b\nSEND ${ALICE}\nReply-To: {{a.id}}\n\ntwo\n### c\n# @name c\nSEND ${ALICE}\n\nthree\n`);
    const told: [string, number][] = [];
    const runner = new RequestRunner(port);
    const spend = new SpendGuard(100n, async () => true);
    const chosen = await runner.runBlocks('f', file, [1], { ...OPTIONS, spend, onResult: (result, index) => told.push([result.name, index]) });
    assert.deepStrictEqual(chosen.map((result) => result.name), ['a', 'b']);
    assert.deepStrictEqual(told, [['a', 0], ['b', 1]]);

    let results = 0;
    const stopped = await new RequestRunner(port).runAllRequests('g', file, { ...OPTIONS, spend, onResult: () => results++, stopped: () => results >= 2 });
    assert.deepStrictEqual(stopped.map((result) => result.name), ['a', 'b'], 'c is left out of the results, not sent');
    assert.strictEqual(port.sent.length, 4);
  });

  describe('message matching QUERY within D', () => {
    const invoice = (fields: Partial<NodeMessage> = {}): NodeMessage => ({
      node: 'sim',
      id: 'inv1',
      replyToId: '',
      fromPubkey: ALICE,
      data: Buffer.from('{"status":"paid"}'),
      serviceType: 'invoice',
      amount: 5n,
      receivedAt: 0,
      ...fields,
    });
    const file = (...expects: string[]) => parseRequestFile(`### b\nSEND ${ALICE}\n\nbuy\n${expects.map((line) => `> expect ${line}`).join('\n')}\n`);

    it('passes on a matching message that is not a reply, without waiting for a reply', async () => {
      const port = new FakeRequestPort(() => undefined);
      port.incoming = [invoice({ serviceType: 'chat' }), invoice()];
      const progress: RunProgress[] = [];
      const [result] = await runnerFor(port).runAllRequests('m.imp', file('message matching type:invoice json.status=paid within 2s'), { ...OPTIONS, onProgress: (event) => progress.push(event) });
      assert.deepStrictEqual(publicResult(result!), { name: 'b', id: 'id1', passed: true, failures: [] });
      assert.deepStrictEqual(port.waits, [], 'no reply is awaited');
      assert.deepStrictEqual(port.messageWaits.map((wait) => wait.timeoutMs), [2000]);
      assert.deepStrictEqual(progress.map((event) => event.kind), ['sent', 'waiting']);
    });

    it('fails when no message matches, saying which expectation and how long', async () => {
      const port = new FakeRequestPort(() => undefined);
      port.incoming = [invoice({ amount: 1n })];
      const [result] = await runnerFor(port).runAllRequests('m.imp', file('message matching type:invoice amount>=5 within 1500ms'), OPTIONS);
      assert.strictEqual(result!.passed, false);
      assert.deepStrictEqual(result!.failures, ['message matching type:invoice amount>=5 within 1500ms: no matching message within 1.5 s']);
      assert.deepStrictEqual(result!.failedExpectations.map((failure) => failure.expectation), [0]);
    });

    it('checks reply expectations and message expectations of one block side by side', async () => {
      const port = new FakeRequestPort(STATUS_OK);
      port.incoming = [invoice()];
      const [result] = await runnerFor(port).runAllRequests(
        'm.imp',
        file('reply within 1s', 'message matching is:root type:invoice within 2s', 'message matching type:refund within 2s', 'reply.data contains "pong"'),
        OPTIONS,
      );
      assert.strictEqual(result!.replyId, 're-id1');
      assert.deepStrictEqual(result!.failures, ['message matching type:refund within 2s: no matching message within 2 s']);
      assert.deepStrictEqual(port.waits.map((wait) => wait.timeoutMs), [30_000], 'the reply wait is the timeout, not the message durations');
      assert.strictEqual(port.messageWaits.length, 2);
    });

    it('stops watching when the send fails', async () => {
      const port = new FakeRequestPort();
      port.failSends = 'node down';
      port.incoming = [invoice()];
      const [result] = await runnerFor(port).runAllRequests('m.imp', file('message matching type:invoice within 2s'), OPTIONS);
      assert.deepStrictEqual(result!.failures, ['send failed: node down']);
      assert.strictEqual(port.messageWaits.length, 1, 'watching started before the send');
      assert.ok(port.messageWaits[0]!.aborted());
    });
  });

  describe('spending: one budget per run', () => {
    const NOT_CONFIRMED = 'not sent: the amount for this run was not confirmed';
    const BOB = `02${'b'.repeat(64)}`;
    const quoteAndPay = (price: string) => ({
      port: new FakeRequestPort((request) => (request.amount === 1n ? { data: `{"price":${price}}`, afterMs: 5 } : { data: 'paid', afterMs: 5 })),
      file: parseRequestFile(`### quote\n# @name quote\nSEND ${ALICE}\nAmount: 1\n\nprice?\n### pay\n# @name pay\nSEND {{quote.reply.from}}\nAmount: {{quote.reply.json.price}}\n\npay\n`),
    });
    const recording = (answer: boolean | ((question: SpendQuestion) => boolean), asked: SpendQuestion[]): ConfirmSpend => async (question) => {
      asked.push(question);
      return typeof answer === 'boolean' ? answer : answer(question);
    };

    it('asks before sending an amount a peer quoted, naming it and the reply, and sends nothing more on Cancel', async () => {
      const { port, file } = quoteAndPay('"999999999999999999"');
      const asked: SpendQuestion[] = [];
      const results = await runnerFor(port, recording(false, asked)).runAllRequests('f', file, OPTIONS);
      assert.strictEqual(port.sent.length, 1, 'only the quote went out');
      assert.deepStrictEqual(asked.map((question) => question.kind), ['replyAmount']);
      const question = asked[0]!;
      assert.ok(question.kind === 'replyAmount');
      assert.deepStrictEqual(question.send, { block: 'pay', recipient: ALICE, amount: 999999999999999999n, amountFrom: 'quote', recipientFrom: 'quote' });
      assert.strictEqual(question.total, 1000000000000000000n);
      assert.deepStrictEqual(results[1]!.failures, [NOT_CONFIRMED]);
    });

    it('a block that expects a message matching a query spends under the same budget: a quoted amount is asked about, a run past the limit asks first', async () => {
      const { port } = quoteAndPay('"250"');
      port.incoming = [];
      const quoted = parseRequestFile(
        `### quote\n# @name quote\nSEND ${ALICE}\nAmount: 1\n\nprice?\n> expect message matching is:reply within 1s\n### pay\n# @name pay\nSEND {{quote.reply.from}}\nAmount: {{quote.reply.json.price}}\n\npay\n`,
      );
      const asked: SpendQuestion[] = [];
      const results = await runnerFor(port, recording(false, asked)).runAllRequests('f', quoted, OPTIONS);
      assert.deepStrictEqual(port.sent.map((send) => send.amount), [1n], 'only the quote went out');
      assert.deepStrictEqual(asked.map((question) => question.kind), ['replyAmount']);
      assert.deepStrictEqual(results[1]!.failures, [NOT_CONFIRMED]);

      const overLimit = new FakeRequestPort();
      const refused: SpendQuestion[] = [];
      const big = parseRequestFile(`### a\nSEND ${ALICE}\nAmount: 101\n\nx\n> expect message matching type:invoice within 1s\n`);
      const [result] = await runnerFor(overLimit, recording(false, refused)).runAllRequests('f', big, OPTIONS);
      assert.deepStrictEqual(overLimit.sent, []);
      assert.deepStrictEqual(refused.map((question) => question.kind), ['run']);
      assert.deepStrictEqual(result!.failures, [NOT_CONFIRMED]);
    });

    it('asks about an amount from a reply even when it is within the budget', async () => {
      const { port, file } = quoteAndPay('5');
      const asked: SpendQuestion[] = [];
      const results = await runnerFor(port, recording(true, asked)).runAllRequests('f', file, OPTIONS);
      assert.deepStrictEqual(asked.map((question) => question.kind), ['replyAmount']);
      assert.deepStrictEqual(port.sent.map((send) => send.amount), [1n, 5n]);
      assert.ok(results.every((result) => result.passed));
    });

    it('asks before the first send when the run passes the limit, listing every send, and sends nothing on Cancel', async () => {
      const port = new FakeRequestPort();
      const asked: SpendQuestion[] = [];
      const text = `### a\nSEND ${ALICE}\nAmount: 60\n\nx\n### b\nSEND ${BOB}\nAmount: 41\n\ny\n`;
      const results = await runnerFor(port, recording(false, asked)).runAllRequests('f', parseRequestFile(text), OPTIONS);
      assert.deepStrictEqual(port.sent, []);
      assert.deepStrictEqual(asked, [
        {
          kind: 'run',
          sends: [
            { block: 'a', recipient: ALICE, amount: 60n },
            { block: 'b', recipient: BOB, amount: 41n },
          ],
          total: 101n,
          limit: 100n,
          later: 0,
          files: 1,
          askFirst: false,
        },
      ]);
      assert.deepStrictEqual(results.map((result) => result.failures), [[NOT_CONFIRMED], [NOT_CONFIRMED]]);
    });

    it('does not ask up to the limit', async () => {
      const port = new FakeRequestPort();
      const asked: SpendQuestion[] = [];
      await runnerFor(port, recording(true, asked)).runAllRequests('f', parseRequestFile(`### a\nSEND ${ALICE}\nAmount: 60\n\nx\n### b\nSEND ${BOB}\nAmount: 40\n\ny\n`), OPTIONS);
      assert.deepStrictEqual(asked, []);
      assert.strictEqual(port.sent.length, 2);
    });

    it('has an absolute limit: 999 sends at the minimum and one of 9,000 sats are asked about', async () => {
      const blocks = Array.from({ length: 999 }, (_, i) => `### m${i}\nSEND ${ALICE}\n\nx\n`).join('') + `### big\nSEND ${ALICE}\nAmount: 9000\n\nx\n`;
      const port = new FakeRequestPort(() => undefined);
      const asked: SpendQuestion[] = [];
      await runnerFor(port, recording(false, asked)).runAllRequests('f', parseRequestFile(blocks), OPTIONS);
      assert.strictEqual(asked.length, 1);
      assert.ok(asked[0]!.kind === 'run' && asked[0]!.total === 9999n && asked[0]!.sends.length === 1000);
      assert.strictEqual(port.sent.length, 0);
    });

    it('asks again before a send that takes the run past what was approved: a body grown by a reply raises the minimum', async () => {
      // The reply is 95 KB: quoting it makes the next body's minimum 106 sats, past the limit of 100.
      const port = new FakeRequestPort((request) => (request.amount === 1n && !request.replyToId ? { data: 'z'.repeat(95_000), afterMs: 5 } : undefined));
      const asked: SpendQuestion[] = [];
      const text = `### echo\n# @name echo\nSEND ${ALICE}\n\nhi\n### quote back\nSEND ${BOB}\n\n{{echo.reply.data}}\n### after\nSEND ${ALICE}\n\nbye\n`;
      const results = await runnerFor(port, recording(false, asked)).runAllRequests('f', parseRequestFile(text), OPTIONS);
      assert.deepStrictEqual(asked.map((question) => question.kind), ['overBudget']);
      const question = asked[0]!;
      assert.ok(question.kind === 'overBudget');
      assert.deepStrictEqual([question.send.block, question.send.recipient, question.send.amount, question.total, question.approved], ['quote back', BOB, 106n, 107n, 100n]);
      assert.strictEqual(port.sent.length, 1, 'nothing after the refused send');
      assert.deepStrictEqual(results.map((result) => result.failures), [[], [NOT_CONFIRMED], [NOT_CONFIRMED]]);
    });

    it('approving the opening question approves that total, not more', async () => {
      const port = new FakeRequestPort((request) => (request.amount === 70n ? { data: 'x'.repeat(45_000), afterMs: 5 } : undefined));
      const asked: SpendQuestion[] = [];
      const text = `### a\n# @name a\nSEND ${ALICE}\nAmount: 70\n\nx\n> expect reply within 1s\n### b\nSEND ${ALICE}\nAmount: 40\n\nx\n### c\nSEND ${ALICE}\n\n{{a.reply.data}}\n`;
      await runnerFor(port, recording(true, asked)).runAllRequests('f', parseRequestFile(text), OPTIONS);
      assert.deepStrictEqual(
        asked.map((question) => [question.kind, question.total]),
        [
          ['run', 110n],
          ['overBudget', 160n],
        ],
      );
      assert.deepStrictEqual(port.sent.map((send) => send.amount), [70n, 40n, 50n]);
    });

    it('a recipient from a reply at the minimum is a normal reply: no question', async () => {
      const port = new FakeRequestPort();
      const asked: SpendQuestion[] = [];
      const text = `### ping\n# @name ping\nSEND ${ALICE}\n\nping\n### answer\nSEND {{ping.reply.from}}\n\nthanks\n`;
      const results = await runnerFor(port, recording(true, asked)).runAllRequests('f', parseRequestFile(text), OPTIONS);
      assert.deepStrictEqual(asked, []);
      assert.ok(results.every((result) => result.passed));
    });

    it('one budget spans every call of a run: a second file of the same test run cannot start over', async () => {
      const port = new FakeRequestPort(() => undefined);
      const asked: SpendQuestion[] = [];
      const runner = runnerFor(port, recording(false, asked));
      const spend = new SpendGuard(100n, recording(false, asked));
      const file = parseRequestFile(`### a\nSEND ${ALICE}\nAmount: 60\n\nx\n`);
      await runner.runAllRequests('one.imp', file, { ...OPTIONS, spend });
      await runner.runAllRequests('two.imp', file, { ...OPTIONS, spend });
      assert.deepStrictEqual(asked.map((question) => [question.kind, question.total]), [['overBudget', 120n]]);
      assert.strictEqual(port.sent.length, 1);
    });

    it('estimates a run without sending: the sends it can name and the ones only replies reveal', () => {
      const { port, file } = quoteAndPay('1');
      const estimate = runnerFor(port).estimate('f', file, [1], 'a.imp');
      assert.deepStrictEqual(estimate, { sends: [{ block: 'quote', file: 'a.imp', recipient: ALICE, amount: 1n }], later: 1 });
      assert.deepStrictEqual(port.sent, []);
    });
  });
});
