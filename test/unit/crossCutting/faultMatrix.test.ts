import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import { WebSocketServer } from 'ws';
import { NodeConnection, type ConnectionStatus, type NodeConnectionOptions } from '../../../src/core/connection/nodeConnection';
import { NodeSubscriptions } from '../../../src/core/nodeSubscriptions';
import type { NodeMessage } from '../../../src/core/nodeMessage';
import { startSimulatedNode, type SimulatedNode, type SimulatedNodeOptions } from '../../../src/core/simulator/simulatedNode';
import { generateCertificates, type TestCertificates } from '../helpers/certificates';
import { FakeClock, seededRandom } from '../helpers/fakeClock';
import { ListenerErrors } from '../helpers/listenerErrors';
import { resultFrame, TestServer } from '../helpers/testServer';
import { nextEvent, until } from '../helpers/waitFor';

const BASE_MS = 1000;
const CAP_MS = 30_000;

/**
 * The delays the connection must wait, worked out apart from `Backoff`: the n-th retry since the
 * last reset waits floor(random() * min(cap, base * 2^n)), with the same seeded random source.
 */
class Schedule {
  private readonly random: () => number;
  private n = 0;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  get ceiling(): number {
    return Math.min(CAP_MS, BASE_MS * 2 ** this.n);
  }

  next(): number {
    const delay = Math.floor(this.random() * this.ceiling);
    this.n++;
    return delay;
  }

  reset(): void {
    this.n = 0;
  }
}

const isRetry = (status: ConnectionStatus) => status.state === 'reconnecting' && status.retryAt !== undefined;
const isConnected = (status: ConnectionStatus) => status.state === 'connected';
const isStopped = (status: ConnectionStatus) => status.state === 'disconnected';
/** Where an attempt lands: connected, or failed and waiting for the next one. */
const isSettled = (status: ConnectionStatus) => isConnected(status) || isRetry(status);

const sleepTurns = async (turns: number) => {
  for (let i = 0; i < turns; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
};

describe('fault matrix against the simulated node', function () {
  this.timeout(30_000);

  let sim: SimulatedNode | undefined;
  let connection: NodeConnection | undefined;
  let subscriptions: NodeSubscriptions | undefined;
  let clock: FakeClock;
  const cleanups: (() => Promise<void> | void)[] = [];
  /** Every connection and subscriptions here reports to it: a listener that threw fails the test. */
  const listenerErrors = new ListenerErrors();
  const onListenerError = listenerErrors.handler;

  beforeEach(() => {
    clock = new FakeClock();
  });

  afterEach(async () => {
    subscriptions?.dispose();
    subscriptions = undefined;
    connection?.dispose();
    connection = undefined;
    await sim?.close();
    sim = undefined;
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
    listenerErrors.assertNone();
  });

  async function simulator(options: SimulatedNodeOptions = {}): Promise<SimulatedNode> {
    sim = await startSimulatedNode({ seed: 11, replyDelayMs: 20, ...options });
    return sim;
  }

  function connectionTo(url: string, seed: number, options: Partial<NodeConnectionOptions> = {}): NodeConnection {
    connection = new NodeConnection({ node: { name: 'node', url }, clock, random: seededRandom(seed), backoffBaseMs: BASE_MS, backoffCapMs: CAP_MS, onListenerError, ...options });
    return connection;
  }

  /** Starts the subscription; resolves with where the first attempt landed. */
  function start(c: NodeConnection): Promise<ConnectionStatus> {
    const settled = nextEvent(c.onDidChangeStatus, isSettled);
    c.connect();
    return settled;
  }

  /**
   * Runs `trigger` and waits for the retry it causes; checks the reason and that the wait is the
   * next delay of `schedule`. Returns the delay.
   */
  async function expectRetry(c: NodeConnection, schedule: Schedule, detail: RegExp, trigger: () => unknown = () => undefined): Promise<number> {
    const retry = nextEvent(c.onDidChangeStatus, isRetry);
    const [status] = await Promise.all([retry, trigger()]);
    assert.match(status.detail, detail);
    const ceiling = schedule.ceiling;
    const delay = (status.retryAt ?? NaN) - clock.now();
    assert.strictEqual(delay, schedule.next(), `the retry after "${status.detail}"`);
    assert.ok(delay >= 0 && delay < ceiling, `${delay} ms within [0, ${ceiling})`);
    assert.deepStrictEqual(clock.pending(), [delay], 'the retry is the only timer while disconnected');
    return delay;
  }

  /**
   * Lets the scheduled delay pass and checks that no attempt starts a millisecond early (no tight
   * loop); resolves with where the attempt landed.
   */
  async function retryAfter(c: NodeConnection, delay: number): Promise<ConnectionStatus> {
    const attempts = c.counters.reconnects;
    if (delay > 0) {
      clock.advance(delay - 1);
      assert.strictEqual(c.counters.reconnects, attempts, 'no attempt before the delay is up');
      assert.strictEqual(c.state, 'reconnecting');
    }
    const settled = nextEvent(c.onDidChangeStatus, isSettled);
    clock.advance(delay > 0 ? 1 : 0);
    assert.strictEqual(c.counters.reconnects, attempts + 1, 'the attempt starts when the delay is up');
    return settled;
  }

  /** Message IDs of the frames the simulator actually wrote to a socket, and how many it could not. */
  function wireLog(node: SimulatedNode): { readonly written: string[]; readonly lost: string[] } {
    const log = { written: [] as string[], lost: [] as string[] };
    let frames = node.stats.framesSent;
    node.onDidSend((message) => {
      const now = node.stats.framesSent;
      (now > frames ? log.written : log.lost).push(message.id);
      frames = now;
    });
    return log;
  }

  let nextId = 0;
  const freshId = () => (nextId++).toString(16).padStart(64, '0');

  it('1. drop (1006) every 100 frames over 20,000 frames: a reconnect each time, every delivered frame held, evicted or rejected', async function () {
    const STREAMS = 200;
    const node = await simulator({ faults: { dropEvery: 100, garbageEvery: 9 } });
    const wire = wireLog(node);
    subscriptions = new NodeSubscriptions({ maxMessages: 5000, clock, random: seededRandom(101), onListenerError });
    const c = subscriptions.addNode({ name: 'sim', url: node.subscribeUrl });
    const store = subscriptions.store('sim');
    const received: string[] = [];
    subscriptions.onDidReceiveMessage((message) => received.push(message.id));
    const schedule = new Schedule(101);

    let status = await start(c);
    for (let stream = 0; stream < STREAMS; stream++) {
      assert.strictEqual(status.state, 'connected', `stream ${stream}`);
      // 90 messages and 10 garbage frames go out, then the drop; the burst's last 10 find no stream.
      const delay = await expectRetry(c, schedule, /^The node dropped the stream \(1006, no close frame\)\. Retrying in /, () =>
        node.burst(100, { message: () => ({ id: freshId(), data: 'tick' }) }),
      );
      // Sent while nobody is subscribed: never delivered, and the node never replays.
      for (let i = 0; i < 3; i++) {
        node.emit({ id: freshId() });
      }
      status = await retryAfter(c, delay);
    }
    assert.strictEqual(status.state, 'connected');

    const counters = c.counters;
    // The schedule: 200 drops, 200 reconnects, each after its exact delay (checked above).
    assert.strictEqual(node.stats.framesSent, STREAMS * 100);
    assert.strictEqual(node.stats.drops, STREAMS);
    assert.strictEqual(node.stats.connections, STREAMS + 1);
    assert.strictEqual(counters.drops, STREAMS);
    assert.strictEqual(counters.reconnects, STREAMS);
    // What was written is what arrived, in order; what was not written never arrived.
    assert.strictEqual(node.stats.messagesSent, wire.written.length + wire.lost.length);
    assert.strictEqual(wire.written.length, STREAMS * 90);
    assert.strictEqual(wire.lost.length, STREAMS * 13);
    assert.deepStrictEqual(received, wire.written);
    assert.strictEqual(new Set(received).size, received.length, 'no message arrived twice');
    // Every frame written to a connected client: held, evicted by the bound (counted) or rejected (counted).
    assert.strictEqual(counters.framesReceived, node.stats.framesSent);
    assert.strictEqual(counters.framesReceived, store.size + store.evicted + counters.rejected + counters.errorFrames);
    assert.deepStrictEqual(
      { held: store.size, evicted: store.evicted, rejected: counters.rejected, errorFrames: counters.errorFrames },
      { held: 5000, evicted: STREAMS * 90 - 5000, rejected: STREAMS * 10, errorFrames: 0 },
    );
    // No duplicates: the store holds the newest 5000, each ID once.
    const held = store.toArray().map((message) => message.id);
    assert.strictEqual(new Set(held).size, held.length);
    assert.deepStrictEqual(held, wire.written.slice(-5000));
  });

  it('2. node down 10 s (connection refused), then up: attempts follow the backoff, connected again within the cap', async function () {
    // The simulator's own fake clock says when its 10 s are up; the client's says when it retries.
    const simClock = new FakeClock();
    const node = await simulator({ clock: simClock });
    const wire = wireLog(node);
    const c = connectionTo(node.subscribeUrl, 202);
    const received: NodeMessage[] = [];
    c.onDidReceiveMessage((message) => received.push(message));
    const schedule = new Schedule(202);
    assert.strictEqual((await start(c)).state, 'connected');
    node.emit({ id: freshId() });
    await until(() => received.length === 1, 'a message before the outage');

    let back: Promise<void> | undefined;
    let delay = await expectRetry(c, schedule, /^The node dropped the stream \(1006, no close frame\)/, () => {
      back = node.refuse(10_000);
    });
    await until(() => simClock.pending().length === 1, 'the simulator to stop listening');
    node.emit({ id: freshId() });
    const downAt = clock.now();
    let refused = 0;
    for (;;) {
      if (clock.now() + delay >= downAt + 10_000) {
        // The node's 10 s are up before this attempt: let it listen again first.
        simClock.advance(10_000);
        await back;
        break;
      }
      const landed = await retryAfter(c, delay);
      assert.ok(isRetry(landed), landed.detail);
      refused++;
      assert.match(landed.detail, /^Connection refused by 127\.0\.0\.1:\d+: is the node running\? Retrying in /);
      const ceiling = schedule.ceiling;
      delay = (landed.retryAt ?? NaN) - clock.now();
      assert.strictEqual(delay, schedule.next(), `refused attempt ${refused}`);
      assert.ok(delay < ceiling);
    }
    const landed = await retryAfter(c, delay);
    assert.strictEqual(landed.state, 'connected');
    assert.ok(refused >= 2, `${refused} refused attempts while down`);
    assert.ok(clock.now() - (downAt + 10_000) < CAP_MS, `connected ${clock.now() - downAt - 10_000} ms after the node came back`);
    assert.strictEqual(c.counters.reconnects, refused + 1);
    assert.strictEqual(c.counters.drops, 1, 'refused attempts are not drops');
    assert.strictEqual(node.stats.connections, 2);
    // The message sent while the node was down went nowhere; the stream works again.
    node.emit({ id: freshId() });
    await until(() => received.length === 2, 'a message after the outage');
    assert.deepStrictEqual(received.map((message) => message.id), wire.written);
    assert.strictEqual(wire.lost.length, 1);
    assert.strictEqual(c.counters.framesReceived, node.stats.framesSent);
  });

  it('3. stall (open, silent, no pongs): terminated at the pong deadline, then reconnects', async function () {
    const node = await simulator({ faults: { stall: true } });
    const c = connectionTo(node.subscribeUrl, 303, { pingIntervalMs: 1000, pongTimeoutMs: 500 });
    const schedule = new Schedule(303);
    let status = await start(c);
    for (let cycle = 0; cycle < 3; cycle++) {
      assert.strictEqual(status.state, 'connected');
      node.emit({ id: freshId() });
      clock.advance(1000); // the ping
      clock.advance(499);
      await sleepTurns(5);
      assert.strictEqual(c.state, 'connected', 'not before the pong deadline');
      const delay = await expectRetry(c, schedule, /^No pong within 500 ms: the connection stalled\. Retrying in /, () => clock.advance(1));
      status = await retryAfter(c, delay);
      assert.strictEqual(node.stats.connections, cycle + 2);
    }
    // The node recovers: pongs arrive, the connection outlives several deadlines, frames flow.
    node.setFaults({ stall: false });
    for (let ping = 0; ping < 3; ping++) {
      clock.advance(1000);
      await until(() => clock.pending().length === 2, 'the pong to clear the deadline');
    }
    clock.advance(999);
    assert.strictEqual(c.state, 'connected');
    node.emit({ id: freshId() });
    await until(() => c.counters.accepted === 1, 'a frame after the stall');
    assert.deepStrictEqual(
      { drops: c.counters.drops, reconnects: c.counters.reconnects, framesReceived: c.counters.framesReceived },
      { drops: 3, reconnects: 3, framesReceived: 1 },
    );
    assert.deepStrictEqual({ messagesSent: node.stats.messagesSent, framesSent: node.stats.framesSent }, { messagesSent: 4, framesSent: 1 }, 'nothing is written while stalled');
  });

  it('4. flapping (accept, then drop at once, 50 times): every retry waits its backoff, which grows to the cap', async function () {
    const FLAPS = 50;
    const node = await simulator({ faults: { dropEvery: 1 } });
    const c = connectionTo(node.subscribeUrl, 404, { stableAfterMs: 5000 });
    const schedule = new Schedule(404);
    const delays: number[] = [];
    const ceilings: number[] = [];
    let status = await start(c);
    for (let flap = 0; flap < FLAPS; flap++) {
      assert.strictEqual(status.state, 'connected');
      ceilings.push(schedule.ceiling);
      const delay = await expectRetry(c, schedule, /^The node dropped the stream \(1006/, () => node.emit({ id: freshId() }));
      delays.push(delay);
      status = await retryAfter(c, delay);
    }
    assert.strictEqual(status.state, 'connected');
    // Unstable connections never reset the backoff: the ceiling doubles up to the cap and stays.
    assert.deepStrictEqual(ceilings.slice(0, 7), [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    assert.ok(ceilings.slice(5).every((ceiling) => ceiling === CAP_MS));
    assert.ok(delays.slice(5).some((delay) => delay > 16_000), 'late delays use the capped ceiling');
    assert.deepStrictEqual(
      { drops: c.counters.drops, reconnects: c.counters.reconnects, accepted: c.counters.accepted, connections: node.stats.connections },
      { drops: FLAPS, reconnects: FLAPS, accepted: FLAPS, connections: FLAPS + 1 },
    );
    // A connection that lasts stableAfterMs resets it: the next retry is back under the base.
    node.setFaults({ dropEvery: 0 });
    clock.advance(5000);
    schedule.reset();
    await expectRetry(c, schedule, /^The node dropped the stream \(1006/, () => node.dropAll());
  });

  describe('5. error frames', function () {
    it('code 14: the stream ends, frames before it are kept, and it reconnects on the schedule', async function () {
      const node = await simulator({ faults: { errorCode: 14, errorAfter: 3 } });
      const wire = wireLog(node);
      const c = connectionTo(node.subscribeUrl, 505);
      const received: string[] = [];
      c.onDidReceiveMessage((message) => received.push(message.id));
      const errors: number[] = [];
      c.onDidReceiveError((error) => errors.push(error.code));
      const schedule = new Schedule(505);
      let status = await start(c);
      for (let stream = 0; stream < 3; stream++) {
        assert.strictEqual(status.state, 'connected');
        const delay = await expectRetry(c, schedule, /^The node ended the stream: transport is closing \(code 14\)\. Retrying in /, () => {
          for (let i = 0; i < 3; i++) {
            node.emit({ id: freshId() });
          }
        });
        status = await retryAfter(c, delay);
      }
      assert.strictEqual(status.state, 'connected');
      assert.deepStrictEqual(errors, [14, 14, 14]);
      assert.deepStrictEqual(received, wire.written);
      assert.strictEqual(node.stats.framesSent, 3 * 4, 'three messages and an error frame per stream');
      assert.deepStrictEqual(
        { framesReceived: c.counters.framesReceived, accepted: c.counters.accepted, errorFrames: c.counters.errorFrames, drops: c.counters.drops, reconnects: c.counters.reconnects },
        { framesReceived: 12, accepted: 9, errorFrames: 3, drops: 3, reconnects: 3 },
      );
    });

    for (const code of [16, 7]) {
      it(`code ${code}: stops with authFailed, no retry however long, until connect() starts over`, async function () {
        const node = await simulator();
        const c = connectionTo(node.subscribeUrl, 510 + code);
        const schedule = new Schedule(510 + code);
        let status = await start(c);
        // Grow the backoff first, so that starting over is visible.
        for (let i = 0; i < 2; i++) {
          status = await retryAfter(c, await expectRetry(c, schedule, /1006/, () => node.dropAll()));
          assert.strictEqual(status.state, 'connected');
        }
        const stopped = nextEvent(c.onDidChangeStatus, isStopped);
        node.sendError(code, 'api key is not provided');
        status = await stopped;
        assert.strictEqual(status.authFailed, true);
        assert.match(status.detail, new RegExp(`^Authentication failed: api key is not provided \\(code ${code}\\)\\. Set the API key`));
        assert.deepStrictEqual(clock.pending(), [], 'nothing scheduled');
        clock.advance(24 * 3600_000);
        await sleepTurns(10);
        assert.deepStrictEqual(
          { state: c.state, reconnects: c.counters.reconnects, connections: node.stats.connections, errorFrames: c.counters.errorFrames },
          { state: 'disconnected', reconnects: 2, connections: 3, errorFrames: 1 },
        );
        // The user acts: connect() starts over, backoff included.
        status = await start(c);
        assert.strictEqual(status.state, 'connected');
        assert.strictEqual(node.stats.connections, 4);
        assert.strictEqual(c.counters.reconnects, 2, 'a fresh start, not a reconnect');
        schedule.reset();
        await expectRetry(c, schedule, /1006/, () => node.dropAll());
      });
    }

    it('HTTP 401 on the upgrade (simulator) and 403 (gateway): stop, say why, no retries until the user acts', async function () {
      const refusals: string[] = [];
      const node = await simulator({ apiKey: 'right-key', log: (line) => /refused with HTTP 401/.test(line) && refusals.push(line) });
      const h = new NodeSubscriptions({ maxMessages: 100, clock, random: seededRandom(520), onListenerError });
      subscriptions = h;
      h.setNodes([{ name: 'sim', url: node.subscribeUrl }], new Map([['sim', 'wrong-key']]));
      for (let action = 1; action <= 2; action++) {
        const stopped = nextEvent(h.onDidChangeStatus, (event) => isStopped(event.status));
        h.connect();
        const { status } = await stopped;
        assert.strictEqual(status.authFailed, true);
        assert.match(status.detail, /^Authentication failed: the node answered HTTP 401\./);
        assert.doesNotMatch(status.detail, /wrong-key/);
        assert.deepStrictEqual(clock.pending(), []);
        clock.advance(24 * 3600_000);
        await sleepTurns(10);
        assert.strictEqual(refusals.length, action, 'one handshake per user action');
        assert.strictEqual(h.connection('sim')?.counters.reconnects, 0);
      }
      // Setting the right key makes a new connection; connecting works.
      h.setNodes([{ name: 'sim', url: node.subscribeUrl }], new Map([['sim', 'right-key']]));
      const connected = nextEvent(h.onDidChangeStatus, (event) => isConnected(event.status));
      h.connect();
      await connected;
      assert.strictEqual(node.stats.connections, 1);
      assert.strictEqual(refusals.length, 2);

      // 403 comes from a gateway in front of the node; the simulator only says 401.
      const gateway = await TestServer.start({ refuse: () => 403 });
      cleanups.push(() => gateway.close());
      const c = connectionTo(gateway.url(), 521, { apiKey: 'wrong-key' });
      const stopped = nextEvent(c.onDidChangeStatus, isStopped);
      c.connect();
      const refused = await stopped;
      assert.strictEqual(refused.authFailed, true);
      assert.match(refused.detail, /^Authentication failed: the node answered HTTP 403\./);
      clock.advance(24 * 3600_000);
      await sleepTurns(10);
      assert.strictEqual(gateway.handshakes.length, 1);
      assert.strictEqual(c.counters.reconnects, 0);
    });

    it('code 16 at connect (a node that refuses the stream with an error frame): stop, no retries', async function () {
      const ended: string[] = [];
      const node = await simulator({ apiKey: 'right-key', authFailure: 'errorFrame', log: (line) => /ended with error 16/.test(line) && ended.push(line) });
      const c = connectionTo(node.subscribeUrl, 530);
      const stopped = nextEvent(c.onDidChangeStatus, isStopped);
      c.connect();
      const status = await stopped;
      assert.strictEqual(status.authFailed, true);
      assert.match(status.detail, /^Authentication failed: api key is not provided \(code 16\)/);
      assert.deepStrictEqual(clock.pending(), []);
      clock.advance(24 * 3600_000);
      await sleepTurns(10);
      assert.deepStrictEqual(
        { refused: ended.length, reconnects: c.counters.reconnects, framesReceived: c.counters.framesReceived, errorFrames: c.counters.errorFrames },
        { refused: 1, reconnects: 0, framesReceived: 1, errorFrames: 1 },
      );
    });
  });

  describe('6. a line over 64 KiB', function () {
    it('the simulator drops the stream (the line is lost), the client reports a drop and reconnects', async function () {
      const node = await simulator({ faults: { oversizeEvery: 5 } });
      const wire = wireLog(node);
      const c = connectionTo(node.subscribeUrl, 606);
      const received: string[] = [];
      c.onDidReceiveMessage((message) => received.push(message.id));
      const schedule = new Schedule(606);
      let status = await start(c);
      // Every 5th frame of a stream is a line the proxy cannot pass: four arrive, the fifth is lost with the stream.
      for (let stream = 0; stream < 3; stream++) {
        assert.strictEqual(status.state, 'connected');
        const delay = await expectRetry(c, schedule, /^The node dropped the stream \(1006, no close frame\)\. Retrying in /, () => {
          for (let i = 0; i < 5; i++) {
            node.emit({ id: freshId() });
          }
        });
        status = await retryAfter(c, delay);
      }
      // A real message whose line is over 64 KiB does the same.
      assert.strictEqual(status.state, 'connected');
      node.setFaults({ oversizeEvery: 0 });
      node.emit({ id: freshId(), data: 'small' });
      const delay = await expectRetry(c, schedule, /^The node dropped the stream \(1006/, () => node.emit({ id: freshId(), data: Buffer.alloc(60_000, 7) }));
      assert.strictEqual((await retryAfter(c, delay)).state, 'connected');
      assert.strictEqual(wire.lost.length, 4, 'one lost line per drop');
      assert.strictEqual(node.stats.drops, 4);
      assert.deepStrictEqual(received, wire.written);
      assert.deepStrictEqual(
        { framesReceived: c.counters.framesReceived, accepted: c.counters.accepted, rejected: c.counters.rejected, drops: c.counters.drops, reconnects: c.counters.reconnects },
        { framesReceived: 13, accepted: 13, rejected: 0, drops: 4, reconnects: 4 },
      );
    });
  });

  describe('7. a frame over maxPayload', function () {
    it('is closed with 1009, counted as received and rejected, and the client reconnects on the schedule', async function () {
      const MAX = 16 * 1024;
      const node = await simulator();
      const c = connectionTo(node.subscribeUrl, 707, { maxPayload: MAX });
      const rejected: string[] = [];
      c.onDidRejectFrame((event) => rejected.push(event.reason));
      const schedule = new Schedule(707);
      let status = await start(c);
      for (let stream = 0; stream < 3; stream++) {
        assert.strictEqual(status.state, 'connected');
        const delay = await expectRetry(c, schedule, /^A frame was larger than the 16384-byte limit \(closed with 1009\)\. Retrying in /, () => {
          node.emit({ id: freshId() });
          node.emit({ id: freshId() });
          // 20 KB of data is a frame of about 27 KB: under the proxy's 64 KiB, over the client's limit.
          node.emit({ id: freshId(), data: Buffer.alloc(20_000, 1) });
        });
        status = await retryAfter(c, delay);
      }
      assert.strictEqual(status.state, 'connected');
      assert.deepStrictEqual(rejected, Array(3).fill('frame over the 16384-byte limit'));
      assert.strictEqual(node.stats.framesSent, 9);
      assert.deepStrictEqual(
        { framesReceived: c.counters.framesReceived, accepted: c.counters.accepted, rejected: c.counters.rejected, drops: c.counters.drops, reconnects: c.counters.reconnects },
        { framesReceived: 9, accepted: 6, rejected: 3, drops: 3, reconnects: 3 },
      );
    });

    it('has a default limit of 4 MiB: a frame of exactly that passes, one byte more is rejected', async function () {
      // The simulator cannot send lines over 64 KiB, so a bare server sends these.
      const server = await TestServer.start();
      cleanups.push(() => server.close());
      const c = connectionTo(server.url(), 708);
      const schedule = new Schedule(708);
      const socket = server.nextConnection();
      assert.strictEqual((await start(c)).state, 'connected');
      const ws = await socket;
      const frameOf = (length: number) => {
        const base = resultFrame({ id: '' });
        return resultFrame({ id: 'x'.repeat(length - base.length) });
      };
      ws.send(frameOf(4 * 1024 * 1024));
      await until(() => c.counters.accepted === 1, 'the 4 MiB frame');
      const next = server.nextConnection();
      const delay = await expectRetry(c, schedule, /larger than the 4194304-byte limit \(closed with 1009\)/, () => ws.send(frameOf(4 * 1024 * 1024 + 1)));
      assert.strictEqual((await retryAfter(c, delay)).state, 'connected');
      await next;
      assert.deepStrictEqual(
        { framesReceived: c.counters.framesReceived, accepted: c.counters.accepted, rejected: c.counters.rejected },
        { framesReceived: 2, accepted: 1, rejected: 1 },
      );
    });
  });

  describe('8. unreachable nodes', function () {
    let certificates: TestCertificates;

    before(function () {
      this.timeout(30_000);
      certificates = generateCertificates();
    });

    after(() => fs.rmSync(certificates.dir, { recursive: true, force: true }));

    it('TLS with the wrong CA: a clear error, attempts spaced by the backoff, then connects with the right CA', async function () {
      const tcp = { connections: 0, tlsErrors: 0 };
      const server = https.createServer({ key: certificates.key, cert: certificates.cert });
      const wss = new WebSocketServer({ server });
      server.on('connection', () => tcp.connections++);
      server.on('tlsClientError', () => tcp.tlsErrors++);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      cleanups.push(async () => {
        wss.clients.forEach((client) => client.terminate());
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      });
      const url = `wss://127.0.0.1:${(server.address() as AddressInfo).port}/v1/subscribe`;
      const c = connectionTo(url, 808, { node: { name: 'tls', url, caFile: certificates.otherCaFile } });
      const schedule = new Schedule(808);
      const trust = /^TLS: the node's certificate is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\); set "caFile" to the CA that signed it\. Retrying in /;
      let delay = await expectRetry(c, schedule, trust, () => c.connect());
      for (let attempt = 1; attempt <= 6; attempt++) {
        await until(() => tcp.tlsErrors === attempt, `TLS failure ${attempt} on the server`);
        assert.strictEqual(tcp.connections, attempt, 'one TCP connection per attempt, none in between');
        const landed = await retryAfter(c, delay);
        assert.ok(isRetry(landed));
        assert.match(landed.detail, trust);
        assert.strictEqual(c.state, 'reconnecting');
        const ceiling = schedule.ceiling;
        delay = (landed.retryAt ?? NaN) - clock.now();
        assert.strictEqual(delay, schedule.next(), `attempt ${attempt + 1}`);
        assert.ok(delay < ceiling);
      }
      assert.deepStrictEqual({ reconnects: c.counters.reconnects, drops: c.counters.drops }, { reconnects: 6, drops: 0 });
      // The same server with the right CA: the error was the certificate, nothing else.
      const fixed = new NodeConnection({ node: { name: 'tls', url, caFile: certificates.caFile }, clock, onListenerError });
      cleanups.push(() => fixed.dispose());
      assert.strictEqual((await start(fixed)).state, 'connected');
    });

    it('a port nobody listens on: connection refused, attempts spaced by the backoff up to the cap', async function () {
      const probe = http.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const c = connectionTo(`ws://127.0.0.1:${port}/v1/subscribe`, 810);
      const schedule = new Schedule(810);
      const refused = new RegExp(`^Connection refused by 127\\.0\\.0\\.1:${port}: is the node running\\? Retrying in `);
      let delay = await expectRetry(c, schedule, refused, () => c.connect());
      const ceilings: number[] = [];
      for (let attempt = 1; attempt <= 8; attempt++) {
        const landed = await retryAfter(c, delay);
        assert.ok(isRetry(landed));
        assert.match(landed.detail, refused);
        ceilings.push(schedule.ceiling);
        delay = (landed.retryAt ?? NaN) - clock.now();
        assert.strictEqual(delay, schedule.next(), `attempt ${attempt + 1}`);
      }
      assert.deepStrictEqual(ceilings, [2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
      assert.deepStrictEqual({ state: c.state, reconnects: c.counters.reconnects, drops: c.counters.drops }, { state: 'reconnecting', reconnects: 8, drops: 0 });
    });
  });
});
