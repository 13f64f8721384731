import * as assert from 'assert';
import type { NodeSubscriptions } from '../../../../src/core/nodeSubscriptions';
import { subscriptionsRequestPort } from '../../../../src/core/requests/subscriptionsPort';
import { parseRequestFile } from '../../../../src/core/requests/parser';
import { RequestRunner, type RequestSend, type RunProgress } from '../../../../src/core/requests/runner';
import { SpendGuard, type SpendQuestion } from '../../../../src/core/requests/spendGuard';
import { SIMULATED_QUOTE_SATS } from '../../../../src/core/simulator/restEndpoint';
import { connectedSimulator } from '../../helpers/connectedNode';
import { nextEvent } from '../../helpers/waitFor';
import type { SimulatedNode } from '../../../../src/core/simulator/simulatedNode';

const PEER = '02' + '5a'.repeat(32);

const FILE = `@peer = ${PEER}
### ping the peer
# @name ping
# @timeout 5s
SEND {{peer}}

hello sim

> expect reply within 5s
> expect reply.data contains "hello sim"
> expect reply.from == {{peer}}
> expect reply.amount >= 1

### follow up
SEND {{peer}}
Node: sim
Reply-To: {{ping.reply.id}}

about {{ping.id}}

> expect reply.data contains "about"
> expect reply.data == "nothing like this"
`;

describe('request runner against the simulated node', () => {
  let simulator: SimulatedNode;
  let subscriptions: NodeSubscriptions;

  beforeEach(async () => {
    ({ simulator, subscriptions } = await connectedSimulator(7));
  });

  afterEach(async () => {
    subscriptions.dispose();
    await simulator.close();
  });

  it('runs a file end to end over loopback: sends, awaits the replies, chains and checks them', async () => {
    const progress: RunProgress[] = [];
    const port = subscriptionsRequestPort(subscriptions);
    const sent: RequestSend[] = [];
    const recording = { ...port, send: (request: RequestSend) => (sent.push(request), port.send(request)) };
    const runner = new RequestRunner(recording);
    const spend = new SpendGuard(100n, async () => assert.fail('no confirmation for minimum amounts'));
    const [ping, follow] = await runner.runAllRequests('file:///sim.imp', parseRequestFile(FILE), { defaultTimeoutMs: 5000, spend, onProgress: (event) => progress.push(event) });

    assert.strictEqual(ping!.name, 'ping');
    assert.deepStrictEqual(ping!.failures, []);
    assert.strictEqual(ping!.passed, true);
    assert.match(ping!.id, /^[0-9a-f]{64}$/);
    const pingReply = subscriptions.find(ping!.replyId!);
    assert.strictEqual(pingReply?.replyToId, ping!.id);
    assert.ok(ping!.latencyMs! >= 0);

    assert.strictEqual(follow!.name, 'follow up');
    assert.strictEqual(follow!.passed, false, 'the last expectation cannot hold');
    assert.deepStrictEqual(follow!.failures, [`reply.data: expected "nothing like this", got "re: about ${ping!.id}"`]);
    assert.strictEqual(sent[1]!.replyToId, ping!.replyId, 'Reply-To came from the first reply');
    assert.strictEqual(sent[1]!.node, 'sim');
    assert.deepStrictEqual(sent.map((request) => request.amount), [1n, 1n], 'the minimum for the size');
    assert.strictEqual(subscriptions.find(follow!.replyId!)?.replyToId, follow!.id);
    assert.deepStrictEqual(progress.map((event) => event.kind), ['sent', 'waiting', 'replied', 'sent', 'waiting', 'replied']);
  });

  it('a price a simulated peer quotes is asked about before it is paid; Cancel sends nothing more', async () => {
    const port = subscriptionsRequestPort(subscriptions);
    const sent: RequestSend[] = [];
    const recording = { ...port, send: (request: RequestSend) => (sent.push(request), port.send(request)) };
    const asked: SpendQuestion[] = [];
    const spend = new SpendGuard(100_000n, async (question) => (asked.push(question), false));
    const file = parseRequestFile(
      [`@peer = ${PEER}`, '### quote', '# @name quote', 'SEND {{peer}}', '', '{"action":"quote"}', '', '### pay', 'SEND {{quote.reply.from}}', 'Amount: {{quote.reply.json.price_sat}}', '', 'paid', '', '### thanks', 'SEND {{peer}}', '', 'thanks'].join('\n'),
    );
    const results = await new RequestRunner(recording).runAllRequests('file:///quote.imp', file, { defaultTimeoutMs: 5000, spend });
    assert.strictEqual(asked.length, 1, 'asked once, although the price is far under the limit');
    const question = asked[0]!;
    assert.ok(question.kind === 'replyAmount');
    assert.strictEqual(question.send.amount, BigInt(SIMULATED_QUOTE_SATS));
    assert.strictEqual(question.send.amountFrom, 'quote');
    assert.strictEqual(question.send.recipient, PEER);
    assert.strictEqual(sent.length, 1, 'only the quote request went out');
    assert.deepStrictEqual(
      results.map((result) => [result.name, result.failures]),
      [
        ['quote', []],
        ['pay', ['not sent: the amount for this run was not confirmed']],
        ['thanks', ['not sent: the amount for this run was not confirmed']],
      ],
    );
  });

  it('message matching passes on a message that is not a reply, sent after the block; one sent before does not count', async () => {
    const invoice = { serviceType: 'invoice', data: '{"status":"paid","for":"coffee"}', replyToId: '' };
    const held = nextEvent(subscriptions.onDidReceiveMessage, (message) => message.serviceType === 'invoice');
    simulator.emit(invoice);
    await held;
    const port = subscriptionsRequestPort(subscriptions);
    const sent: string[] = [];
    const following = {
      ...port,
      send: async (request: RequestSend) => {
        const id = await port.send(request);
        sent.push(id);
        if (sent.length === 2) {
          // The peer's follow-up: not a reply, and after a chat message that matches nothing.
          setTimeout(() => {
            simulator.emit({ serviceType: 'chat', data: 'invoice coming' });
            simulator.emit(invoice);
          }, 100);
        }
        return id;
      },
    };
    const file = parseRequestFile(
      [
        `@peer = ${PEER}`,
        '### nothing follows',
        'SEND {{peer}}',
        '',
        'hello',
        '',
        '> expect message matching type:invoice within 400ms',
        '',
        '### an invoice follows',
        'SEND {{peer}}',
        '',
        'buy coffee',
        '',
        '> expect reply within 3s',
        '> expect message matching type:invoice is:root json.status=paid json.for:COFFEE within 3s',
        '> expect message matching is:reply within 3s',
      ].join('\n'),
    );
    const spend = new SpendGuard(100n, async () => assert.fail('no confirmation for minimum amounts'));
    const [quiet, followed] = await new RequestRunner(following).runAllRequests('file:///matching.imp', file, { defaultTimeoutMs: 5000, spend });
    assert.deepStrictEqual(quiet!.failures, ['message matching type:invoice within 400ms: no matching message within 400 ms'], 'the invoice held before the send does not count');
    assert.deepStrictEqual(followed!.failures, []);
    assert.strictEqual(followed!.passed, true);
    assert.strictEqual(subscriptions.find(followed!.replyId!)?.replyToId, followed!.id, 'the reply answered its own expectations');
  });
});
