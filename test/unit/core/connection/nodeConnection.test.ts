import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import { NodeConnection, type ConnectionStatus, type NodeConnectionOptions } from '../../../../src/core/connection/nodeConnection';
import { ReadTurn } from '../../../../src/core/connection/readTurn';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { generateCertificates, type TestCertificates } from '../../helpers/certificates';
import { FakeClock, seededRandom } from '../../helpers/fakeClock';
import { resultFrame, TestServer } from '../../helpers/testServer';
import { nextEvent, until } from '../../helpers/waitFor';

/**
 * The most frames handled between two turns of the event loop (setImmediate runs once a turn)
 * until `received()` reaches `count`; read it once they have arrived.
 */
function mostPerTurn(received: () => number, count: number): () => number {
  let most = 0;
  let atLastTurn = 0;
  const turn = () => {
    most = Math.max(most, received() - atLastTurn);
    atLastTurn = received();
    if (atLastTurn < count) setImmediate(turn);
  };
  setImmediate(turn);
  return () => most;
}

describe('NodeConnection', () => {
  let server: TestServer;
  let connection: NodeConnection | undefined;
  let clock: FakeClock;

  beforeEach(async () => {
    server = await TestServer.start();
    clock = new FakeClock();
  });

  afterEach(async () => {
    connection?.dispose();
    connection = undefined;
    await server.close();
  });

  function connect(options: Partial<NodeConnectionOptions> = {}, url = server.url()): NodeConnection {
    connection = new NodeConnection({ node: { name: 'test', url }, clock, random: seededRandom(7), ...options });
    connection.connect();
    return connection;
  }

  const state = (wanted: ConnectionStatus['state']) => (status: ConnectionStatus) => status.state === wanted;

  it('connects, decodes frames into messages and counts them', async () => {
    const c = connect();
    const socket = await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    const messages: NodeMessage[] = [];
    c.onDidReceiveMessage((message) => messages.push(message));
    const rejected: string[] = [];
    c.onDidRejectFrame((frame) => rejected.push(frame.reason));
    socket.send(resultFrame({ id: 'a', data: 'aGk=' }));
    socket.send('garbage');
    socket.send(resultFrame({ id: 'b', replyToId: 'a' }));
    await until(() => messages.length === 2, 'two messages');
    assert.deepStrictEqual(messages.map((m) => [m.node, m.id, m.replyToId]), [['test', 'a', ''], ['test', 'b', 'a']]);
    assert.deepStrictEqual(rejected, ['not JSON (starts "garbage")']);
    assert.deepStrictEqual({ ...c.counters }, { framesReceived: 3, accepted: 2, errorFrames: 0, rejected: 1, decoderErrors: 0, reconnects: 0, drops: 0 });
  });

  it('lets the event loop run between a few hundred frames of a burst, not after the whole of it', async () => {
    const c = connect();
    const socket = await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    const count = 20_000;
    let received = 0;
    c.onDidReceiveMessage(() => received++);
    const mostInOneTurn = mostPerTurn(() => received, count);
    for (let i = 0; i < count; i++) {
      socket.send(resultFrame({ id: `m${i}`, data: 'aGVsbG8gZnJvbSB0aGUgYnVyc3Q=' }));
    }
    await until(() => received === count, `${count} messages`);
    // 512 frames, the rest of the read they were in and one more read (64 KiB, ~400 frames here).
    assert.ok(mostInOneTurn() <= 1500, `${mostInOneTurn()} frames in one turn`);
  });

  it('shares a turn with the other connections of a ReadTurn: two busy nodes together get one share, not two', async () => {
    const other = await TestServer.start();
    const share = 128;
    const readTurn = new ReadTurn(share);
    const first = connect({ readTurn });
    const second = new NodeConnection({ node: { name: 'other', url: other.url() }, clock, random: seededRandom(8), readTurn });
    try {
      second.connect();
      const sockets = [await server.nextConnection(), await other.nextConnection()];
      await nextEvent(first.onDidChangeStatus, state('connected'));
      await until(() => second.status.state === 'connected', 'the second connection');
      // 8 KiB frames: a read of 64 KiB holds about 8, so what a paused socket still hands over is small.
      const data = Buffer.alloc(6000, 0x61).toString('base64');
      const count = 3000;
      let received = 0;
      first.onDidReceiveMessage(() => received++);
      second.onDidReceiveMessage(() => received++);
      const mostInOneTurn = mostPerTurn(() => received, 2 * count);
      for (let i = 0; i < count; i++) {
        for (const socket of sockets) {
          socket.send(resultFrame({ id: `m${i}`, data }));
        }
      }
      await until(() => received === 2 * count, `${2 * count} messages`);
      // One share in all, and the rest of the read each socket was in: two shares would be 256 and more.
      assert.ok(mostInOneTurn() <= share + 60, `${mostInOneTurn()} frames in one turn`);
    } finally {
      second.dispose();
      await other.close();
    }
  });

  it('reconnects after a 1006 drop with exponential backoff and full jitter', async () => {
    const random = seededRandom(3);
    const expected = seededRandom(3);
    const c = connect({ random, backoffBaseMs: 1000, backoffCapMs: 30_000 });
    await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    for (let attempt = 0; attempt < 6; attempt++) {
      const reconnecting = nextEvent(c.onDidChangeStatus, state('reconnecting'));
      server.dropAll();
      const status = await reconnecting;
      const delay = Math.floor(expected() * Math.min(30_000, 1000 * 2 ** attempt));
      assert.strictEqual(status.retryAt, clock.now() + delay, `attempt ${attempt}`);
      assert.match(status.detail, /dropped the stream \(1006, no close frame\)/);
      const next = server.nextConnection();
      clock.advance(delay);
      await next;
      await nextEvent(c.onDidChangeStatus, state('connected'));
    }
    assert.strictEqual(c.counters.reconnects, 6);
    assert.strictEqual(c.counters.drops, 6);
  });

  it('resets the backoff only after a stable connection', async () => {
    const c = connect({ random: () => 0.999, stableAfterMs: 5000 });
    await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    server.dropAll();
    let status = await nextEvent(c.onDidChangeStatus, state('reconnecting'));
    assert.strictEqual(status.retryAt! - clock.now(), 999);
    clock.advance(999);
    await nextEvent(c.onDidChangeStatus, state('connected'));
    server.dropAll();
    status = await nextEvent(c.onDidChangeStatus, state('reconnecting'));
    assert.strictEqual(status.retryAt! - clock.now(), 1998, 'an unstable connection keeps the backoff growing');
    clock.advance(1998);
    await nextEvent(c.onDidChangeStatus, state('connected'));
    clock.advance(5000);
    server.dropAll();
    status = await nextEvent(c.onDidChangeStatus, state('reconnecting'));
    assert.strictEqual(status.retryAt! - clock.now(), 999, 'a stable connection resets it');
  });

  it('terminates a stalled connection at the pong deadline, then reconnects', async () => {
    await server.close();
    server = await TestServer.start({ autoPong: false });
    const c = connect({ pingIntervalMs: 1000, pongTimeoutMs: 500, random: () => 0 });
    const socket = await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    const pinged = new Promise((resolve) => socket.once('ping', resolve));
    clock.advance(1000);
    await pinged;
    const reconnecting = nextEvent(c.onDidChangeStatus, state('reconnecting'));
    clock.advance(500);
    const status = await reconnecting;
    assert.match(status.detail, /No pong within 500 ms: the connection stalled/);
    const next = server.nextConnection();
    clock.advance(0);
    await next;
  });

  it('keeps a connection whose pongs arrive', async () => {
    const c = connect({ pingIntervalMs: 1000, pongTimeoutMs: 500 });
    const socket = await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    for (let i = 0; i < 3; i++) {
      const pinged = new Promise((resolve) => socket.once('ping', resolve));
      clock.advance(1000);
      await pinged;
      await until(() => clock.pending().length === 2, 'the pong to clear the deadline');
    }
    clock.advance(400);
    assert.strictEqual(c.state, 'connected');
  });

  it('never sends a data frame', async () => {
    const c = connect({ pingIntervalMs: 100 });
    const socket = await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    socket.send(resultFrame({ id: 'a' }));
    clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepStrictEqual(server.received, []);
  });

  it('sends the API key as the Bearer subprotocol', async () => {
    const c = connect({ apiKey: 'k3y-secret' });
    await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    // ws joins subprotocols with a bare comma; the node's proxy splits on "Bearer," and trims.
    assert.match(server.handshakes[0]?.headers['sec-websocket-protocol'] ?? '', /^Bearer, ?k3y-secret$/);
  });

  it('sends a key a subprotocol cannot carry as the token cookie', async () => {
    const c = connect({ apiKey: 'a/b+c==' });
    await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    assert.strictEqual(server.handshakes[0]?.headers.cookie, 'token=a/b+c==');
    assert.strictEqual(server.handshakes[0]?.headers['sec-websocket-protocol'], undefined);
  });

  it('stops, saying to check the URL, when the gateway answers Not Found for the path', async () => {
    const c = connect({}, server.url('/v1/nothing'));
    const socket = await server.nextConnection();
    socket.send('{"code":5,"message":"Not Found","details":[]}');
    const stopped = await nextEvent(c.onDidChangeStatus, state('disconnected'));
    assert.strictEqual(stopped.configError, true);
    assert.match(stopped.detail, /The node has no stream at ws:\/\/127\.0\.0\.1:\d+\/v1\/nothing: Not Found \(code 5\)\. Check the URL/);
    assert.deepStrictEqual(clock.pending(), []);
  });

  for (const status of [401, 403]) {
    it(`stops retrying after HTTP ${status} on the upgrade, and says why`, async () => {
      await server.close();
      server = await TestServer.start({ refuse: () => status });
      const c = connect({ apiKey: 'wrong-key' });
      const stopped = await nextEvent(c.onDidChangeStatus, state('disconnected'));
      assert.strictEqual(stopped.authFailed, true);
      assert.match(stopped.detail, new RegExp(`Authentication failed: the node answered HTTP ${status}`));
      assert.doesNotMatch(stopped.detail, /wrong-key/);
      assert.deepStrictEqual(clock.pending(), [], 'no retry is scheduled');
      clock.advance(120_000);
      assert.strictEqual(server.handshakes.length, 1);
    });
  }

  for (const code of [16, 7]) {
    it(`stops retrying after an error frame with code ${code}`, async () => {
      const c = connect();
      const socket = await server.nextConnection();
      await nextEvent(c.onDidChangeStatus, state('connected'));
      socket.send(JSON.stringify({ error: { code, message: 'api key is not provided', details: [] } }));
      const stopped = await nextEvent(c.onDidChangeStatus, state('disconnected'));
      assert.strictEqual(stopped.authFailed, true);
      assert.match(stopped.detail, new RegExp(`api key is not provided \\(code ${code}\\)`));
      assert.deepStrictEqual(clock.pending(), []);
      // The user acting (connect again) starts over.
      const again = server.nextConnection();
      c.connect();
      await again;
    });
  }

  it('reconnects after an error frame with code 14', async () => {
    const c = connect();
    const socket = await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    socket.send(JSON.stringify({ error: { code: 14, message: 'unavailable', details: [] } }));
    const status = await nextEvent(c.onDidChangeStatus, state('reconnecting'));
    assert.match(status.detail, /The node ended the stream: unavailable \(code 14\)/);
    assert.strictEqual(c.counters.errorFrames, 1);
  });

  it('reports connection refused and retries with backoff', async () => {
    const port = server.port;
    await server.close();
    const c = connect({ random: () => 0.5 }, `ws://127.0.0.1:${port}/v1/subscribe`);
    const status = await nextEvent(c.onDidChangeStatus, state('reconnecting'));
    assert.match(status.detail, /Connection refused by 127\.0\.0\.1:\d+: is the node running\?/);
    assert.strictEqual(status.retryAt! - clock.now(), 500);
  });

  it('gives up a handshake that never completes at the handshake timeout', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const c = connect({ handshakeTimeoutMs: 200 }, `ws://127.0.0.1:${port}/v1/subscribe`);
      const status = await nextEvent(c.onDidChangeStatus, state('reconnecting'));
      assert.match(status.detail, /handshake has timed out/i);
    } finally {
      connection?.dispose();
      connection = undefined;
      silent.close();
    }
  });

  it('closes on a frame over maxPayload with 1009, counts it, and reconnects', async () => {
    const c = connect({ maxPayload: 1024 });
    const socket = await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    socket.send(resultFrame({ id: 'x'.repeat(2000) }));
    const status = await nextEvent(c.onDidChangeStatus, state('reconnecting'));
    assert.match(status.detail, /larger than the 1024-byte limit \(closed with 1009\)/);
    assert.strictEqual(c.counters.rejected, 1);
  });

  it('refuses a URL that is not ws:// or wss:// without retrying', () => {
    const c = connect({}, 'http://127.0.0.1:1/v1/subscribe');
    assert.strictEqual(c.state, 'disconnected');
    assert.strictEqual(c.status.configError, true);
    assert.match(c.status.detail, /must start with ws:\/\/ or wss:\/\//);
  });

  it('disconnect() stops everything, including a pending retry', async () => {
    const c = connect();
    await server.nextConnection();
    await nextEvent(c.onDidChangeStatus, state('connected'));
    server.dropAll();
    await nextEvent(c.onDidChangeStatus, state('reconnecting'));
    c.disconnect();
    assert.strictEqual(c.state, 'disconnected');
    assert.deepStrictEqual(clock.pending(), []);
  });

  describe('over TLS', () => {
    let certificates: TestCertificates;

    before(() => {
      certificates = generateCertificates();
    });

    after(() => fs.rmSync(certificates.dir, { recursive: true, force: true }));

    beforeEach(async () => {
      await server.close();
      server = await TestServer.start({ tls: { key: certificates.key, cert: certificates.cert } });
    });

    it('connects to wss with the CA file', async () => {
      connection = new NodeConnection({ node: { name: 'tls', url: server.url(), caFile: certificates.caFile }, clock });
      connection.connect();
      await nextEvent(connection.onDidChangeStatus, state('connected'));
    });

    it('fails with a clear error without the CA file, and with the wrong one', async () => {
      for (const caFile of [undefined, certificates.otherCaFile]) {
        connection?.dispose();
        connection = new NodeConnection({ node: { name: 'tls', url: server.url(), caFile }, clock });
        connection.connect();
        const status = await nextEvent(connection.onDidChangeStatus, state('reconnecting'));
        assert.match(status.detail, /TLS: the node's certificate is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\); set "caFile"/);
      }
    });

    it('connects without verification when rejectUnauthorized is false', async () => {
      connection = new NodeConnection({ node: { name: 'tls', url: server.url(), rejectUnauthorized: false }, clock });
      connection.connect();
      await nextEvent(connection.onDidChangeStatus, state('connected'));
    });

    it('stops with a clear message when the CA file cannot be read', () => {
      connection = new NodeConnection({ node: { name: 'tls', url: server.url(), caFile: '/nonexistent/ca.pem' }, clock });
      connection.connect();
      assert.strictEqual(connection.state, 'disconnected');
      assert.match(connection.status.detail, /cannot read caFile \/nonexistent\/ca\.pem \(ENOENT\)/);
    });
  });
});
