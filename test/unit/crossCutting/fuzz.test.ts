import * as assert from 'assert';
import { isUtf8 } from 'buffer';
import type { WebSocket } from 'ws';
import { Backoff } from '../../../src/core/connection/backoff';
import { FrameDecoder, type FrameResult } from '../../../src/core/wire/frameDecoder';
import { NodeConnection, type ConnectionStatus } from '../../../src/core/connection/nodeConnection';
import { RejectionReporter } from '../../../src/core/wire/rejectionReporter';
import { FakeClock, seededRandom } from '../helpers/fakeClock';
import { FrameFuzzer, type FuzzFrame, type FuzzKind, type FuzzOutcome } from '../helpers/frameFuzzer';
import { ListenerErrors } from '../helpers/listenerErrors';
import { TestServer } from '../helpers/testServer';
import { nextEvent, until } from '../helpers/waitFor';

const SEED = 0x1f2e3d;
const FRAMES = 100_000;
/** The decoder's maxFrameLength and the connection's maxPayload: long strings straddle it. */
const LIMIT = 128 * 1024;
/** What the reporter does by default: 5 lines per 10 s window, then one count. */
const BURST = 5;
const WINDOW_MS = 10_000;
/** Fake time per frame for the rejection log: 1000 frames a second. */
const MS_PER_FRAME = 1;

const AUTH_CODES = new Set([7, 16]);
const WRONG_URL_CODES = new Set([5, 12]);

type Tally = Record<FuzzOutcome, number>;

/**
 * The seeded run's figures, as the README states them. The fuzzer and the fake clocks make them
 * the same on every run: a change that moves frames between classes, or ends the stream more or
 * less often, changes one of them.
 */
const DECODER_FIGURES = { message: 60_038, rejected: 39_590, error: 372, logLines: 60, fastPath: 37_856 };
const LIVE_FIGURES = { message: 59_972, rejected: 39_656, error: 372, logLines: 60, streamEnds: 532, utf8: 71, oversize: 89, stops: 13, reconnects: 519 };

/**
 * Why the decoder may reject a frame of each kind: what the mutation broke, and nothing else. A
 * kind missing here is never rejected. Any frame over the length limit is rejected for that alone.
 */
const INVALID_BECAUSE: Partial<Record<FuzzKind, RegExp>> = {
  truncated: /^not JSON \(/,
  'not-json': /^not JSON \(/,
  binary: /^binary frame of \d+ bytes/,
  'invalid-utf8': /^(binary frame of \d+ bytes|not JSON \(|expected a JSON object|unexpected JSON object|field \w+ is )/,
  'huge-number': /^field amount is (not an int64|out of the int64 range)/,
  'swapped-type': /^(field \w+ is (a|an) \w+, not|field amount is not an int64|expected a JSON object, got|"(result|error)" is (a|an) \w+, not an object)/,
  empty: /^(not JSON \((empty frame|starts )|expected a JSON object, got|"(result|error)" is null, not an object|unexpected JSON object with keys \(none\))/,
  'deep-nesting': /^(not JSON \(nested too deeply\)|expected a JSON object, got an array|field (id|amount) is |unexpected JSON object with keys "a")/,
  'random-keys': /^unexpected JSON object with keys /,
  'prototype-keys': /^unexpected JSON object with keys /,
  'gateway-error': /^unexpected JSON object with keys "code", "message"/,
};
const OVER_LIMIT = /^frame of \d+ characters is over the \d+ limit$/;

/** A rejection for the reason the frame's mutation gives, or a mismatch to report. */
function checkReason(frame: FuzzFrame, reason: string): string | undefined {
  const expected = frame.binary || frame.payload.length <= LIMIT ? INVALID_BECAUSE[frame.kind] : OVER_LIMIT;
  return expected?.test(reason) ? undefined : `rejected for "${reason.slice(0, 120)}", which a ${frame.kind} frame is not`;
}

/** Collects the rejection log and checks that it is a count, not a line per frame. */
class RejectionLog {
  readonly clock = new FakeClock();
  readonly lines: string[] = [];
  readonly reporter = new RejectionReporter((line) => this.lines.push(line), { clock: this.clock, burst: BURST, windowMs: WINDOW_MS });

  /** Every rejection is a line of its own or inside a "Rejected N more" count, and lines stay few. */
  check(rejected: number, elapsedMs: number): void {
    this.reporter.dispose();
    assert.strictEqual(this.reporter.total, rejected);
    let accounted = 0;
    for (const line of this.lines) {
      const more = /^Rejected (\d+) more frames in the last 10 s \(the last: \[fuzz\] .+\)$/.exec(line);
      if (more) {
        accounted += Number(more[1]);
      } else {
        assert.match(line, /^\[fuzz\] Rejected a frame: .+/);
        accounted++;
      }
    }
    assert.strictEqual(accounted, rejected, 'every rejection is in the log, one by one or counted');
    const windows = Math.ceil(elapsedMs / WINDOW_MS) + 1;
    assert.ok(this.lines.length <= windows * (BURST + 1), `${this.lines.length} log lines for ${rejected} rejections in ${windows} windows`);
  }
}

function summary(what: string, frames: number, tally: Tally, lines: number, extra = ''): string {
  return `fuzz (${what}): ${frames} frames, ${tally.message} accepted, ${tally.rejected} rejected, ${tally.error} errors, ${lines} log lines${extra}`;
}

function show(frame: FuzzFrame): string {
  const text = typeof frame.payload === 'string' ? frame.payload : Buffer.from(frame.payload).toString('hex');
  return `${frame.kind}${frame.binary ? ' (binary)' : ''}: ${text.slice(0, 120)}`;
}

/** The same input the connection hands its decoder for this frame: a text frame's UTF-8 bytes, or a binary frame's. */
function decoderInput(frame: FuzzFrame): { readonly text: Buffer } | { readonly binary: Uint8Array } {
  if (frame.binary) {
    return { binary: frame.payload as Uint8Array };
  }
  // A text frame's string goes out as UTF-8 (a lone surrogate becoming U+FFFD); bytes are sent as they are.
  return { text: Buffer.from(frame.payload) };
}

/** Decodes as the connection does: `decodeText` for a text frame, `decode` for a binary one. */
function decodeInput(decoder: FrameDecoder, input: ReturnType<typeof decoderInput>, receivedAt: number): FrameResult {
  return 'text' in input ? decoder.decodeText(input.text, receivedAt) : decoder.decode(input.binary, receivedAt);
}

describe('fuzzing', function () {
  let uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeEach(() => {
    uncaught = [];
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
  });

  afterEach(() => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  });

  it(`decodes ${FRAMES} fuzzed frames without throwing, each as its mutation says, and logs a count`, function () {
    this.timeout(60_000);
    const fuzzer = new FrameFuzzer(SEED, { maxFrameLength: LIMIT });
    const decoder = new FrameDecoder({ node: 'fuzz', apiVersion: 'auto', maxFrameLength: LIMIT });
    const v1Decoder = new FrameDecoder({ node: 'fuzz', apiVersion: 'v1', maxFrameLength: LIMIT });
    const log = new RejectionLog();
    const tally: Tally = { message: 0, error: 0, rejected: 0 };
    const kinds = new Map<FuzzKind, number>();
    const thrown: string[] = [];
    const decoderFailures: string[] = [];
    const mismatches: string[] = [];
    for (let i = 0; i < FRAMES; i++) {
      const frame = fuzzer.next();
      kinds.set(frame.kind, (kinds.get(frame.kind) ?? 0) + 1);
      const input = decoderInput(frame);
      let result: FrameResult;
      let v1Result: FrameResult | undefined;
      try {
        result = decodeInput(decoder, input, i);
        // The v1 path (DIDComm inside data) for the frames made for it.
        v1Result = frame.expectV1 !== undefined ? decodeInput(v1Decoder, input, i) : undefined;
      } catch (error) {
        thrown.push(`frame ${i} ${show(frame)}: ${String(error)}`);
        continue;
      }
      tally[result.kind]++;
      if (frame.expect !== undefined && result.kind !== frame.expect) {
        mismatches.push(`frame ${i} ${show(frame)}: ${result.kind}, not ${frame.expect} (${JSON.stringify(result).slice(0, 200)})`);
      }
      if (frame.expectCode !== undefined && !(result.kind === 'error' && result.code === frame.expectCode)) {
        mismatches.push(`frame ${i} ${show(frame)}: not error code ${frame.expectCode}`);
      }
      if (v1Result !== undefined && v1Result.kind !== frame.expectV1) {
        mismatches.push(`frame ${i} ${show(frame)}: v1 ${v1Result.kind}, not ${frame.expectV1}`);
      }
      if (result.kind === 'message') {
        const message = result.message;
        const wellTyped =
          typeof message.id === 'string' &&
          typeof message.replyToId === 'string' &&
          typeof message.fromPubkey === 'string' &&
          typeof message.serviceType === 'string' &&
          message.data instanceof Uint8Array &&
          typeof message.amount === 'bigint' &&
          message.amount >= -(2n ** 63n) &&
          message.amount < 2n ** 63n;
        if (!wellTyped) {
          mismatches.push(`frame ${i} ${show(frame)}: a message with a badly typed field`);
        }
      } else if (result.kind === 'rejected') {
        if (result.decoderError !== undefined) {
          decoderFailures.push(`frame ${i} ${show(frame)}: ${String(result.decoderError)}`);
        }
        const wrongReason = checkReason(frame, result.reason);
        if (wrongReason) {
          mismatches.push(`frame ${i} ${show(frame)}: ${wrongReason}`);
        }
        log.reporter.reject('fuzz', result.reason);
      }
      log.clock.advance(MS_PER_FRAME);
    }
    assert.deepStrictEqual(thrown, [], 'decode() never throws');
    // A rejection the decoder made of its own failure is a bug, whatever the frame: never "invalid".
    assert.deepStrictEqual(decoderFailures.slice(0, 10), [], `the decoder failed on ${decoderFailures.length} frames`);
    assert.deepStrictEqual(mismatches.slice(0, 10), [], `${mismatches.length} frames decoded against their mutation`);
    assert.strictEqual(tally.message + tally.error + tally.rejected, FRAMES, 'every frame classified');
    assert.strictEqual(decoder.apiVersion, 'v0', 'auto settled on v0 from the first frame');
    // Every kind of mutation ran, and each outcome is well represented.
    assert.strictEqual(kinds.size, 18, [...kinds.keys()].join(', '));
    assert.ok(tally.message > FRAMES / 4 && tally.rejected > FRAMES / 4 && tally.error > 100, JSON.stringify(tally));
    // No frame reached Object.prototype through "__proto__" or "constructor".
    assert.strictEqual((Object.prototype as Record<string, unknown>).polluted, undefined);
    assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
    log.check(tally.rejected, FRAMES * MS_PER_FRAME);
    assert.deepStrictEqual(uncaught, []);
    console.log(`      ${summary('decoder', FRAMES, tally, log.lines.length, `; ${decoder.fastPathFrames} by the fast path`)}`);
    assert.deepStrictEqual(
      { ...tally, logLines: log.lines.length, fastPath: decoder.fastPathFrames },
      DECODER_FIGURES,
      'the seeded figures the README states',
    );
  });

  it(`feeds ${FRAMES} fuzzed frames through a live connection: nothing thrown, every frame classified`, async function () {
    this.timeout(120_000);
    const listenerErrors = new ListenerErrors();
    const server = await TestServer.start();
    const clock = new FakeClock();
    const connection = new NodeConnection({
      node: { name: 'fuzz', url: server.url(), apiVersion: 'auto' },
      clock,
      random: seededRandom(SEED),
      maxPayload: LIMIT,
      onListenerError: listenerErrors.handler,
    });
    // What the connection must make of the stream: the same decoder, fed what ws hands over.
    const reference = new FrameDecoder({ node: 'fuzz', apiVersion: 'auto' });
    const backoff = new Backoff({ random: seededRandom(SEED) });
    const log = new RejectionLog();
    connection.onDidRejectFrame((event) => log.reporter.reject('fuzz', event.reason));
    const tick = () => log.clock.advance(MS_PER_FRAME);
    connection.onDidReceiveMessage(tick);
    connection.onDidRejectFrame(tick);
    connection.onDidReceiveError(tick);
    const tally: Tally = { message: 0, error: 0, rejected: 0 };
    const endings = { retried: 0, stopped: 0, utf8: 0, oversize: 0 };
    const delays: string[] = [];
    try {
      let socket: WebSocket;
      {
        const first = server.nextConnection();
        connection.connect();
        socket = await first;
      }
      const fuzzer = new FrameFuzzer(SEED, { maxFrameLength: LIMIT });
      let written: Promise<void> = Promise.resolve();
      for (let i = 0; i < FRAMES; i++) {
        const frame = fuzzer.next();
        const { outcome, ends, stops } = expectOnTheWire(frame, reference);
        tally[outcome]++;
        const ended = ends ? nextEvent(connection.onDidChangeStatus, isEnd, 10_000) : undefined;
        written = new Promise((resolve) => socket.send(frame.payload, { binary: frame.binary }, () => resolve()));
        if (ended) {
          const status = await ended;
          assert.strictEqual(status.state, stops ? 'disconnected' : 'reconnecting', `frame ${i} ${show(frame)}: ${status.detail}`);
          const next = server.nextConnection();
          if (stops) {
            endings.stopped++;
            assert.ok(status.authFailed || status.configError, status.detail);
            assert.deepStrictEqual(clock.pending(), [], 'no retry after a stop');
            // The user acting: connect again, which starts the backoff over.
            backoff.reset();
            connection.connect();
          } else {
            endings.retried++;
            endings.utf8 += /not valid UTF-8 \(closed with 1007\)/.test(status.detail) ? 1 : 0;
            endings.oversize += /larger than the \d+-byte limit \(closed with 1009\)/.test(status.detail) ? 1 : 0;
            const delay = (status.retryAt ?? NaN) - clock.now();
            const expected = backoff.next();
            if (delay !== expected) {
              delays.push(`retry ${endings.retried}: ${delay} ms, not ${expected}`);
            }
            clock.advance(delay);
          }
          socket = await next;
        } else if (i % 512 === 511) {
          // Let the client keep up: wait until this frame is on the wire.
          await written;
        }
      }
      const counters = connection.counters;
      const classified = () => counters.accepted + counters.rejected + counters.errorFrames;
      await until(() => counters.framesReceived >= FRAMES || classified() >= FRAMES, 'the last frame', 10_000).catch(() => undefined);
      assert.deepStrictEqual(uncaught, [], 'no uncaught exception');
      listenerErrors.assertNone();
      assert.strictEqual(counters.decoderErrors, 0, 'the decoder failed on no frame');
      assert.deepStrictEqual(delays, [], 'every retry waited the backoff');
      assert.strictEqual(counters.framesReceived, FRAMES, 'every frame sent was received');
      assert.strictEqual(classified(), counters.framesReceived, 'every frame classified');
      assert.deepStrictEqual(
        { accepted: counters.accepted, rejected: counters.rejected, errorFrames: counters.errorFrames },
        { accepted: tally.message, rejected: tally.rejected, errorFrames: tally.error },
        'classified as the decoder says',
      );
      assert.strictEqual(counters.drops, endings.retried + endings.stopped, 'every stream end was a drop');
      assert.strictEqual(counters.reconnects, endings.retried);
      assert.ok(endings.stopped > 0 && endings.utf8 > 0 && endings.oversize > 0, JSON.stringify(endings));
      assert.strictEqual(connection.apiVersion, 'v0');
      assert.deepStrictEqual(server.received, [], 'the client never sent a data frame');
      log.check(counters.rejected, FRAMES * MS_PER_FRAME);
      console.log(
        `      ${summary('live connection', counters.framesReceived, tally, log.lines.length, `; ${endings.retried + endings.stopped} stream ends (${endings.utf8} invalid UTF-8 text → 1007, ${endings.oversize} over maxPayload → 1009, ${endings.stopped} auth/URL stops), ${counters.reconnects} reconnects`)}`,
      );
      assert.deepStrictEqual(
        {
          message: counters.accepted,
          rejected: counters.rejected,
          error: counters.errorFrames,
          logLines: log.lines.length,
          streamEnds: counters.drops,
          utf8: endings.utf8,
          oversize: endings.oversize,
          stops: endings.stopped,
          reconnects: counters.reconnects,
        },
        LIVE_FIGURES,
        'the seeded figures the README states',
      );
    } finally {
      connection.dispose();
      await server.close();
    }
  });
});

function isEnd(status: ConnectionStatus): boolean {
  return (status.state === 'reconnecting' && status.retryAt !== undefined) || status.state === 'disconnected';
}

interface WireExpectation {
  readonly outcome: FuzzOutcome;
  /** The frame ends the stream: an error frame, or a frame ws refuses (1007, 1009). */
  readonly ends: boolean;
  /** ...and retrying stops (an auth error, a wrong URL). */
  readonly stops: boolean;
}

/**
 * What a connection with `maxPayload: LIMIT` makes of a frame, given the decoder it shares the stream with.
 *
 * Two kinds of frame never reach the decoder: ws refuses a frame over `maxPayload` (closing with
 * 1009) and a text frame that is not UTF-8 (closing with 1007, as RFC 6455 asks; the node's
 * gateway only ever writes valid UTF-8). The connection counts either as a received and rejected
 * frame, logs it like any rejection, and reconnects on the backoff: the stream is lost, the frame
 * is accounted for.
 */
function expectOnTheWire(frame: FuzzFrame, reference: FrameDecoder): WireExpectation {
  const bytes = typeof frame.payload === 'string' ? Buffer.from(frame.payload, 'utf8') : Buffer.from(frame.payload);
  if (bytes.byteLength > LIMIT) {
    return { outcome: 'rejected', ends: true, stops: false };
  }
  if (!frame.binary && !isUtf8(bytes)) {
    return { outcome: 'rejected', ends: true, stops: false };
  }
  const result = reference.decode(frame.binary ? bytes : bytes.toString('utf8'));
  if (result.kind !== 'error') {
    return { outcome: result.kind, ends: false, stops: false };
  }
  const stops = AUTH_CODES.has(result.code) || (!result.wrapped && WRONG_URL_CODES.has(result.code));
  return { outcome: 'error', ends: true, stops };
}
