import * as assert from 'assert';
import { minimumAmount } from '../../../../src/core/sending/amount';
import type { NodeSubscriptions } from '../../../../src/core/nodeSubscriptions';
import { requestDiagnostics } from '../../../../src/core/requests/diagnostics';
import { subscriptionsRequestPort } from '../../../../src/core/requests/subscriptionsPort';
import { parseRequestFile } from '../../../../src/core/requests/parser';
import { RequestRunner } from '../../../../src/core/requests/runner';
import { SpendGuard } from '../../../../src/core/requests/spendGuard';
import { connectedSimulator } from '../../helpers/connectedNode';
import type { SimulatedNode } from '../../../../src/core/simulator/simulatedNode';
import { sampleForSimulator, sampleRequestText } from '../../../../src/vscode/requests/sampleRequestFile';

describe('the sample request file', () => {
  let simulator: SimulatedNode;
  let subscriptions: NodeSubscriptions;

  before(async () => {
    ({ simulator, subscriptions } = await connectedSimulator(11));
  });

  after(async () => {
    subscriptions.dispose();
    await simulator.close();
  });

  it("is addressed to the simulated node's first peer, has no problems, and passes against it", async () => {
    const text = sampleRequestText(simulator.peers);
    assert.ok(text.includes(`@alice = ${simulator.peers[0]!.pubkey}`), text);
    const file = parseRequestFile(text);
    assert.deepStrictEqual(requestDiagnostics(file, { nodeNames: ['sim'], minimumAmount }), []);
    const runner = new RequestRunner(subscriptionsRequestPort(subscriptions));
    const spend = new SpendGuard(100n, async () => assert.fail('the sample sends the minimum'));
    const results = await runner.runAllRequests('untitled:sample', file, { defaultTimeoutMs: 5000, spend });
    assert.deepStrictEqual(
      results.map((result) => [result.name, result.passed, result.failures]),
      [
        ['ping', true, []],
        ['followUp', true, []],
      ],
    );
  });

  it("is addressed only to a simulated node's peer: never to a sender of held messages", () => {
    assert.strictEqual(sampleForSimulator([]), undefined, 'no sample while the simulated node is off');
    assert.strictEqual(sampleForSimulator([{ name: 'x', pubkey: 'not a pubkey' }]), undefined);
    const text = sampleForSimulator(simulator.peers)!;
    assert.ok(text.includes(`@alice = ${simulator.peers[0]!.pubkey}\n`), text);
    assert.strictEqual(text.match(/0[23][0-9a-f]{64}/g)?.length, 1, 'one pubkey, the peer\'s');
  });

  it("sends a reply's text in the follow-up as a JSON string: a hostile reply adds no key", async () => {
    const text = sampleRequestText(simulator.peers);
    assert.ok(text.includes('{"about":{{ping.id | json}},"heard":{{ping.reply.data | json}}}'), text);
    const file = parseRequestFile(text);
    const hostile = 'pong","about":"forged-id","pay_to":"03mallory';
    const sent: string[] = [];
    const port = {
      ...subscriptionsRequestPort(subscriptions),
      send: async (request: { data: Uint8Array }) => (sent.push(Buffer.from(request.data).toString('utf8')), `id${sent.length}`),
      waitForReply: async (id: string) => ({ node: 'sim', id: `re-${id}`, replyToId: id, fromPubkey: simulator.peers[0]!.pubkey, data: Buffer.from(`ping ${hostile}`), serviceType: 'message', amount: 1n, receivedAt: 0 }),
    };
    await new RequestRunner(port).runAllRequests('untitled:hostile', file, { defaultTimeoutMs: 5000, spend: new SpendGuard(100n, async () => true) });
    assert.deepStrictEqual(JSON.parse(sent[1]!), { about: 'id1', heard: `ping ${hostile}` });
  });

  it('replaces a name that is not a variable name, skips what is not a pubkey, and needs one pubkey', () => {
    const pubkey = '03' + 'ab'.repeat(32);
    const text = sampleRequestText([
      { name: 'x', pubkey: 'not a pubkey' },
      { name: '{{evil}}\n### injected', pubkey },
    ]);
    assert.ok(text.includes(`@peer = ${pubkey}\n`), text);
    assert.ok(!text.includes('evil'), text);
    assert.strictEqual(parseRequestFile(text).blocks.length, 2);
    assert.throws(() => sampleRequestText([{ name: 'x', pubkey: '02' }]), /needs a pubkey/);
  });
});
