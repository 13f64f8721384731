import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { formatAmount } from '../../../src/core/sending/amount';
import { describeClose, describeSocketError, formatDelay, stateLabel, statusLogLine } from '../../../src/core/connection/connectionProblems';
import { parseDeepLink, isDeepLinkError } from '../../../src/core/ids/deepLinks';
import { formatDuration } from '../../../src/core/text/duration';
import { FileLock } from '../../../src/core/journal/fileLock';
import { ListenerErrorReporter } from '../../../src/core/base/listenerErrorReporter';
import { hexDump, renderMessageDocument } from '../../../src/core/text/messageDocument';
import { MessageJournal } from '../../../src/core/journal/messageJournal';
import { previewData, shortId, shortSender } from '../../../src/core/text/messageText';
import { checkSubscribeUrl, parseNodeConfigs } from '../../../src/core/connection/nodeConfig';
import { NodeConnection, type ConnectionStatus } from '../../../src/core/connection/nodeConnection';
import { NodeSubscriptions } from '../../../src/core/nodeSubscriptions';
import { checkOutgoingMessage } from '../../../src/core/sending/outgoingMessage';
import { RejectionReporter } from '../../../src/core/wire/rejectionReporter';
import { formatLatencySummary } from '../../../src/core/watches/replyLatency';
import { replyStateText } from '../../../src/core/watches/replyState';
import { NodeRequestError, sendMessage } from '../../../src/core/sending/restClient';
import { subscribeHandshake } from '../../../src/core/connection/subscribeHandshake';
import { WatchRegistry, WatchTimeoutError } from '../../../src/core/watches/watches';
import { SimulatorControl } from '../../../src/vscode/nodes/simulatorControl';
import { FakeClock } from '../helpers/fakeClock';
import { nodeMessage } from '../helpers/messages';
import { pseudo, pseudoWith, withPseudoLocale } from '../helpers/pseudoLocale';
import { nextEvent } from '../helpers/waitFor';

const BRACKETED = /^⟦[\s\S]*⟧$/;

function assertBracketed(texts: readonly string[]): void {
  for (const text of texts) {
    assert.match(text, BRACKETED);
  }
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('expected a throw');
}

async function rejectionOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('expected a rejection');
}

/** A loopback port nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connection, reply and message words under a pseudo-locale', () => {
  it('describes socket errors and closes through the bundle', () =>
    withPseudoLocale(() => {
      const url = 'ws://node.example:8882/v1/subscribe';
      assert.strictEqual(
        describeSocketError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), url, 10, undefined),
        pseudoWith('Connection refused by {0}: is the node running?', 'node.example:8882'),
      );
      const codes = ['ENOTFOUND', 'ECONNRESET', 'CERT_UNTRUSTED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 'WS_ERR_INVALID_UTF8'];
      assertBracketed(codes.map((code) => describeSocketError(Object.assign(new Error('x'), { code }), url, 10, undefined)));
      assertBracketed([describeClose(1006, '', false), describeClose(1011, 'bye', false), describeClose(1006, '', true), describeClose(1009, '', true), describeClose(1000, '', true)]);
      assert.strictEqual(describeClose(1000, 'bye', true), pseudoWith('The connection closed ({0}: {1})', 1000, 'bye'));
      assert.strictEqual(formatDelay(250), pseudoWith('{0} ms', 250));
      assert.strictEqual(formatDelay(4200), pseudoWith('{0} s', '4.2'));
    }));

  it('substitutes a peer\'s text once: a close reason holding "{0}" stays literal', () =>
    withPseudoLocale(() => {
      assert.strictEqual(describeClose(4000, 'evil {0} {1}', true), '⟦The connection closed (4000: evil {0} {1})⟧');
      assert.strictEqual(describeClose(4000, 'evil {0} {1}', true), pseudoWith('The connection closed ({0}: {1})', 4000, 'evil {0} {1}'));
    }));

  it('names connection states, and puts the word in the status log line', () =>
    withPseudoLocale(() => {
      const states: ConnectionStatus['state'][] = ['connected', 'connecting', 'reconnecting', 'disconnected'];
      assert.deepStrictEqual(states.map((state) => stateLabel({ state })), states.map((state) => pseudo(state)));
      assert.strictEqual(stateLabel({ state: 'reconnecting', notRunning: true }), pseudo('not running'));
      assert.strictEqual(statusLogLine('Local node', { state: 'reconnecting', notRunning: true, detail: 'd' }), `[Local node] ${pseudo('not running')}: d`);
    }));

  it('says why a connection is in its state: connecting, refused and retrying, a bad URL, a stop', async () => {
    const port = await closedPort();
    await withPseudoLocale(async () => {
      const url = `ws://127.0.0.1:${port}/v1/subscribe`;
      const connection = new NodeConnection({ node: { name: 'n', url }, clock: new FakeClock() });
      try {
        assert.strictEqual(connection.status.detail, pseudo('Not connected.'));
        const retrying = nextEvent(connection.onDidChangeStatus, (status) => status.state === 'reconnecting');
        connection.connect();
        assert.strictEqual(connection.status.detail, pseudoWith('Connecting to {0}…', url));
        const status = await retrying;
        assert.match(status.detail, /^⟦⟦Connection refused by 127\.0\.0\.1:\d+: is the node running\?⟧\. Retrying in ⟦\d+(\.\d)? m?s⟧\.⟧$/);
        connection.disconnect();
        assert.strictEqual(connection.status.detail, pseudo('Disconnected.'));
      } finally {
        connection.dispose();
      }
      const misconfigured = new NodeConnection({ node: { name: 'n', url: 'http://127.0.0.1/v1/subscribe' }, clock: new FakeClock() });
      try {
        misconfigured.connect();
        assert.strictEqual(
          misconfigured.status.detail,
          pseudoWith('Not connecting: {0}.', pseudoWith('"{0}" must start with ws:// or wss://', 'http://127.0.0.1/v1/subscribe')),
        );
      } finally {
        misconfigured.dispose();
      }
    });
  });

  it('words problems with the node settings and the handshake', () =>
    withPseudoLocale(() => {
      const missing = path.join(os.tmpdir(), 'impervious-no-such-ca.pem');
      const handshake = subscribeHandshake({ name: 'n', url: 'wss://x/v1/subscribe', caFile: missing }, undefined, { handshakeTimeoutMs: 1, maxPayload: 1 });
      assert.ok('problem' in handshake);
      assert.strictEqual(handshake.problem, pseudoWith('cannot read caFile {0} ({1})', missing, 'ENOENT'));
      assertBracketed([checkSubscribeUrl('not a url') ?? '', checkSubscribeUrl('ws://user:pw@host/v1/subscribe') ?? '']);
      assertBracketed(parseNodeConfigs({}).problems.map((problem) => problem.message));
      const { problems } = parseNodeConfigs([
        1,
        { name: '' },
        { name: 'a', url: 'ws://a/v1/subscribe' },
        { name: 'a', url: 'ws://a/v1/subscribe' },
        { name: 'b', url: 5 },
        { name: 'c', url: 'ws://c/v1/subscribe', apiVersion: 'v9' },
        { name: 'd', url: 'ws://d/v1/subscribe', caFile: 1 },
        { name: 'e', url: 'ws://e/v1/subscribe', rejectUnauthorized: 'no' },
      ]);
      assert.strictEqual(problems.length, 7);
      for (const problem of problems) {
        assert.match(problem.message, /^⟦impervious\.nodes\[\d\]: ⟦.*⟧⟧$/);
      }
    }));

  it('words a send that cannot work, before and after the network', async () => {
    const port = await closedPort();
    await withPseudoLocale(async () => {
      const pubkey = `02${'ab'.repeat(32)}`;
      const refusals = [
        errorOf(() => checkOutgoingMessage({ pubkey: 1, data: '' }, undefined)),
        errorOf(() => checkOutgoingMessage({ pubkey: 'did:x:y', data: '' }, 'v0')),
        errorOf(() => checkOutgoingMessage({ pubkey, data: '' }, 'v1')),
        errorOf(() => checkOutgoingMessage({ pubkey: 'nobody', data: '' }, undefined)),
        errorOf(() => checkOutgoingMessage({ pubkey, data: 1 }, undefined)),
        errorOf(() => checkOutgoingMessage({ pubkey, data: 'x'.repeat(480_001) }, undefined)),
        errorOf(() => checkOutgoingMessage({ pubkey, data: '', replyToId: 1 }, undefined)),
        errorOf(() => checkOutgoingMessage({ pubkey, data: '', amount: 1.5 }, undefined)),
        errorOf(() => checkOutgoingMessage({ pubkey, data: '', amount: 0 }, undefined)),
        errorOf(() => checkOutgoingMessage({ pubkey, data: '', amount: 2n ** 63n }, undefined)),
      ];
      assertBracketed(refusals);
      assert.strictEqual(refusals[8], pseudoWith('The amount must be at least {0} sat for {1} bytes of data (1 per started 900 bytes)', 1, 0));
      assert.strictEqual(new NodeRequestError(500, 'boom', 13).message, pseudoWith('The node answered HTTP {0}, code {1}: {2}', 500, 13, 'boom'));
      assert.strictEqual(new NodeRequestError(502, '').message, pseudoWith('The node answered HTTP {0}: {1}', 502, pseudo('(no message)')));
      const refused = await rejectionOf(sendMessage({ name: 'n', url: `ws://127.0.0.1:${port}/v1/subscribe` }, { pubkey, data: 'hi' }));
      assert.strictEqual(refused, pseudoWith('Cannot reach the node at {0}: connection refused', `127.0.0.1:${port}`));
      const subscriptions = new NodeSubscriptions({ maxMessages: 10 });
      try {
        assertBracketed([await rejectionOf(subscriptions.sendMessage({ pubkey, data: 'hi' })), await rejectionOf(subscriptions.sendMessage({ node: 'x', pubkey, data: 'hi' }))]);
      } finally {
        subscriptions.dispose();
      }
    });
  });

  it('words the reply state, durations, ages and the latency summary', () =>
    withPseudoLocale(() => {
      const base = { createdAt: 0, reply: { fromPubkey: '' } };
      assert.strictEqual(replyStateText({ ...base, state: 'answered', settledAt: 820, sentAt: 0 }, 1000), pseudoWith('replied in {0} by {1}', pseudoWith('{0} ms', 820), pseudo('(unknown sender)')));
      assertBracketed([
        replyStateText(undefined, 0),
        replyStateText(undefined, 0, { fromPubkey: 'abc' }),
        replyStateText({ state: 'waiting', createdAt: 0 }, 12_000),
        replyStateText({ state: 'answered', createdAt: 0, settledAt: 5 }, 10),
        replyStateText({ ...base, state: 'answered', settledAt: 0 }, 10),
        replyStateText({ state: 'answered', createdAt: 0, settledAt: 0 }, 10),
        replyStateText({ state: 'timedOut', createdAt: 0, deadline: 30_000 }, 30_000),
        replyStateText({ state: 'cancelled', createdAt: 0, settledAt: 3000 }, 3000),
      ]);
      assertBracketed([0, 1400, 12_000, 125_000, 600_000, 3_900_000, 7_200_000].map(formatDuration));
      assert.strictEqual(formatDuration(125_000), pseudoWith('{0} m {1} s', 2, 5));
      assert.strictEqual(
        formatLatencySummary({ count: 1, p50: 820, p95: 820, max: 820 }),
        pseudoWith('p50 {0} · p95 {1} · max {2}', pseudoWith('{0} ms', 820), pseudoWith('{0} ms', 820), pseudoWith('{0} ms', 820)),
      );
    }));

  it('words watch limits, timeouts and cancellations', () =>
    withPseudoLocale(() => {
      assert.strictEqual(new WatchTimeoutError('abc', 30_000).message, pseudoWith('No reply to {0} within {1} s', 'abc', 30));
      const registry = new WatchRegistry(() => undefined, new FakeClock(), { waiting: 1, visible: 5 });
      const watch = registry.watch('a');
      assertBracketed([errorOf(() => registry.watch('b'))]);
      const visibleFull = new WatchRegistry(() => undefined, new FakeClock(), { waiting: 5, visible: 1 });
      visibleFull.watch('a');
      assertBracketed([errorOf(() => visibleFull.watch('b'))]);
      const cancelled = watch.promise.catch((error: Error) => error.message);
      registry.cancel(watch);
      return cancelled.then((message) => assert.strictEqual(message, pseudoWith('Stopped waiting for a reply to {0}', 'a')));
    }));

  it('words what is wrong with a link', () =>
    withPseudoLocale(() => {
      const cases: [string, string][] = [
        ['/other', ''],
        ['/message', 'x'.repeat(17_000)],
        ['/message', 'id=%E0'],
        ['/message', 'id=a&send=1'],
        ['/message', 'id=a&%F0%9F%98%80=1'],
        ['/message', 'id=a&id=b'],
        ['/message', ''],
        ['/message', `id=${'a'.repeat(1025)}`],
        ['/message', 'id=a&node='],
        ['/message', `id=a&node=${'n'.repeat(257)}`],
      ];
      const errors = cases.map(([linkPath, query]) => {
        const result = parseDeepLink(linkPath, query);
        assert.ok(isDeepLinkError(result), `${linkPath}?${query.slice(0, 40)}`);
        return result.error;
      });
      assertBracketed(errors);
      assert.strictEqual(errors[3], pseudoWith('This link has a "{0}" parameter, which an Impervious link never carries: it only names a message (id, node).', 'send'));
    }));

  it('words placeholders, amounts, sizes and the notes of a message document', () =>
    withPseudoLocale(() => {
      assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.alloc(0) })), pseudo('(empty)'));
      assert.strictEqual(previewData(nodeMessage({ id: 'a', data: Buffer.from([0, 1, 2, 0xff]) })), pseudoWith('{0} bytes', 4));
      assert.strictEqual(shortId(''), pseudo('(no id)'));
      assert.strictEqual(shortSender(''), pseudo('(unknown sender)'));
      assert.strictEqual(formatAmount(12_345n), pseudoWith('{0} sat', '12,345'));
      assert.strictEqual(hexDump(Buffer.alloc(40), 16).split('\n').pop(), pseudoWith('… {0} more bytes', 24));
      const big = JSON.parse(renderMessageDocument(nodeMessage({ id: 'a', data: Buffer.from('x'.repeat(300 * 1024)) }))) as Record<string, string>;
      assert.strictEqual(big.dataBase64Omitted, pseudoWith('… {0} more not shown; Copy Message JSON copies all', pseudoWith('{0} KiB', '252.0')));
      assert.strictEqual(big.dataOmitted, pseudoWith('… {0} more not shown; Copy Data copies all', pseudoWith('{0} KiB', '44.0')));
      const json = JSON.parse(renderMessageDocument(nodeMessage({ id: 'a', data: Buffer.from(`[${'1,'.repeat(200_000)}1]`) }))) as Record<string, string>;
      assert.strictEqual(json.dataNote, pseudoWith('JSON, shown as text: laid out it would be over {0}', pseudoWith('{0} KiB', '256.0')));
    }));

  it('words the log lines of rejected frames, throwing listeners and a journal held elsewhere', () =>
    withPseudoLocale(() => {
      const lines: string[] = [];
      const clock = new FakeClock();
      const rejections = new RejectionReporter((line) => lines.push(line), { burst: 1, clock });
      rejections.reject('n', 'bad');
      rejections.reject('n', 'worse');
      rejections.dispose();
      assert.deepStrictEqual(lines, [pseudoWith('[{0}] Rejected a frame: {1}', 'n', 'bad'), pseudoWith('Rejected {0} more frames in the last {1} s (the last: {2})', 1, 10, '[n] worse')]);

      const reported: string[] = [];
      const listenerErrors = new ListenerErrorReporter((line) => reported.push(line));
      for (let i = 0; i < 10; i++) {
        listenerErrors.error('not an error', 'E.onDidX');
      }
      assert.strictEqual(reported.length, 2);
      assertBracketed(reported);
      assert.ok(reported[0]?.includes(pseudoWith('non-error value {0}', 'not an error')), reported[0]);

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impervious-l10n-'));
      try {
        const file = path.join(dir, 'messages.ndjson');
        const other = new FileLock(file);
        assert.ok(other.tryAcquire());
        const problems: string[] = [];
        const journal = new MessageJournal(file, () => ({ maxMessages: 10, maxBytes: 1e6, maxTotalBytes: 1e6 }), (_kind, error) => problems.push(error.message));
        journal.rewrite([]);
        other.release();
        assert.deepStrictEqual(problems, [pseudoWith('{0} is held by another window', `${file}.lock`)]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }));

  it('words the error of the simulated node control, which plain Node imports', () =>
    withPseudoLocale(() => {
      assert.strictEqual(errorOf(() => new SimulatorControl(() => undefined).dropAll()), pseudo('The simulated node is not running: start it first.'));
    }));
});
