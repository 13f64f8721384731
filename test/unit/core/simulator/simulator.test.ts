import * as assert from 'assert';
import * as http from 'http';
import WebSocket from 'ws';
import { FrameDecoder, type FrameResult } from '../../../../src/core/wire/frameDecoder';
import { NodeConnection } from '../../../../src/core/connection/nodeConnection';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { BASIC_MESSAGE_TYPE, type DidCommMessage } from '../../../../src/core/simulator/didComm';
import { Prng } from '../../../../src/core/simulator/prng';
import { samplePeers, SampleTraffic } from '../../../../src/core/simulator/samplePeers';
import { parseSendRequest, type SendRequest } from '../../../../src/core/simulator/sendRequest';
import { startSimulatedNode, type SimulatedNode, type SimulatedNodeOptions } from '../../../../src/core/simulator/simulatedNode';
import type { SimulatedMessage } from '../../../../src/core/simulator/simulatedMessage';
import { MAX_LINE_BYTES, SubscribeFrameEncoder } from '../../../../src/core/simulator/subscribeFrames';
import { loadWireTypes, wireFields } from '../../../../src/core/wire/wireTypes';
import { FakeClock } from '../../helpers/fakeClock';
import { until } from '../../helpers/waitFor';

const PUBKEY = '03ed8b8d0b5ad8b0e0dd2d6cd6cba6e1e1f28c4a0d7d98b4f9a3c2e1a0b0c0d0e0';
const HEX64 = /^[0-9a-f]{64}$/;

interface Frame {
  readonly text: string;
  readonly binary: boolean;
}

/** A plain `ws` client that records everything, as a test's eyes on the wire. */
class Client {
  readonly frames: Frame[] = [];
  readonly opened: Promise<void>;
  /** The close code the client saw. */
  readonly closed: Promise<number>;
  error: (Error & { code?: string }) | undefined;
  pongs = 0;

  constructor(
    url: string,
    protocols: string[] = [],
    readonly ws = new WebSocket(url, protocols, { perMessageDeflate: false }),
  ) {
    ws.on('message', (data, isBinary) => this.frames.push({ text: Buffer.from(data as Buffer).toString(isBinary ? 'hex' : 'utf8'), binary: isBinary }));
    ws.on('pong', () => this.pongs++);
    ws.on('error', (error) => (this.error = error));
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
    // Never let an opened promise nobody awaits turn into an unhandled rejection.
    this.opened.catch(() => undefined);
  }

  texts(): string[] {
    return this.frames.map((frame) => frame.text);
  }
}

async function subscribe(sim: SimulatedNode, protocols: string[] = []): Promise<Client> {
  const client = new Client(sim.subscribeUrl, protocols);
  await client.opened;
  return client;
}

/** Resolves with what the connection attempt failed with. */
async function connectionError(url: string, protocols: string[] = []): Promise<Error & { code?: string }> {
  const client = new Client(url, protocols);
  try {
    await client.opened;
  } catch (error) {
    return error as Error & { code?: string };
  }
  client.ws.terminate();
  throw new Error(`connecting to ${url} succeeded`);
}

interface Answer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

function request(sim: SimulatedNode, path: string, body: unknown, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${sim.restUrl}${path}`, { method: options.method ?? 'POST', headers: { 'content-type': 'application/json', ...options.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(options.method === 'GET' ? undefined : text);
  });
}

function decodeAll(frames: readonly Frame[], apiVersion: 'auto' | 'v0' | 'v1' = 'v0'): FrameResult[] {
  const decoder = new FrameDecoder({ node: 'sim', apiVersion });
  return frames.map((frame) => decoder.decode(frame.binary ? Buffer.from(frame.text, 'hex') : frame.text));
}

function messagesOf(results: readonly FrameResult[]): NodeMessage[] {
  return results.flatMap((result) => (result.kind === 'message' ? [result.message] : []));
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The slow, obviously right way: protobufjs reflection, then snake_case → JSON names. */
function referenceFrame(message: SimulatedMessage): string {
  const type = loadWireTypes().subscribeResponse;
  const object = type.toObject(
    type.fromObject({
      id: message.id,
      reply_to_id: message.replyToId,
      from_pubkey: message.fromPubkey,
      data: message.data,
      service_type: message.serviceType,
      amount: message.amount.toString(),
    }),
    { longs: String, bytes: String, defaults: true },
  );
  return JSON.stringify({ result: Object.fromEntries(wireFields(type).map((field) => [field.jsonName, object[field.protoName]])) });
}

describe('simulated node', function () {
  const sims: SimulatedNode[] = [];
  const clients: Client[] = [];

  async function start(options: SimulatedNodeOptions = {}): Promise<SimulatedNode> {
    const sim = await startSimulatedNode({ replyDelayMs: 20, ...options });
    sims.push(sim);
    return sim;
  }

  async function client(sim: SimulatedNode, protocols: string[] = []): Promise<Client> {
    const result = await subscribe(sim, protocols);
    clients.push(result);
    return result;
  }

  afterEach(async function () {
    for (const entry of clients.splice(0)) {
      entry.ws.terminate();
    }
    await Promise.all(sims.splice(0).map((sim) => sim.close()));
  });

  describe('frames', function () {
    it('writes compact {"result":...} text frames with all six camelCase fields, int64 as a string, padded base64', async function () {
      const sim = await start();
      const viewer = await client(sim);
      sim.emit({ id: 'a'.repeat(64), fromPubkey: PUBKEY, data: 'hello', amount: 100 });
      sim.emit({ id: 'b'.repeat(64), replyToId: 'a'.repeat(64), fromPubkey: PUBKEY, data: new Uint8Array([0xff, 0x00]), serviceType: 'vpn', amount: 2n ** 62n });
      sim.emit({ id: 'c'.repeat(64), fromPubkey: PUBKEY, data: '' });
      await until(() => viewer.frames.length === 3, 'three frames');
      assert.deepStrictEqual(viewer.texts(), [
        `{"result":{"id":"${'a'.repeat(64)}","replyToId":"","fromPubkey":"${PUBKEY}","data":"aGVsbG8=","serviceType":"message","amount":"100"}}`,
        `{"result":{"id":"${'b'.repeat(64)}","replyToId":"${'a'.repeat(64)}","fromPubkey":"${PUBKEY}","data":"/wA=","serviceType":"vpn","amount":"4611686018427387904"}}`,
        `{"result":{"id":"${'c'.repeat(64)}","replyToId":"","fromPubkey":"${PUBKEY}","data":"","serviceType":"message","amount":"1"}}`,
      ]);
      assert.ok(viewer.frames.every((frame) => !frame.binary), 'text frames only');
      const decoded = messagesOf(decodeAll(viewer.frames, 'auto'));
      assert.strictEqual(decoded.length, 3);
      assert.strictEqual(utf8(decoded[0]?.data ?? new Uint8Array()), 'hello');
      assert.deepStrictEqual([...(decoded[1]?.data ?? [])], [0xff, 0x00]);
      assert.strictEqual(decoded[1]?.amount, 2n ** 62n);
      assert.strictEqual(decoded[1]?.replyToId, 'a'.repeat(64));
    });

    it('encodes exactly as protobufjs toObject does, for the whole sample mix', function () {
      const encoder = new SubscribeFrameEncoder();
      const prng = new Prng(3);
      const traffic = new SampleTraffic({ prng, peers: samplePeers(prng), apiVersion: 'v0', selfDid: 'did:key:z6Mkself', now: () => 0 });
      const messages: SimulatedMessage[] = Array.from({ length: 300 }, () => traffic.next());
      messages.push({ id: '"quoted"\\ \u2028 ✓', replyToId: '', fromPubkey: '', data: new Uint8Array(0), serviceType: 'ünïcode', amount: -5n });
      for (const message of messages) {
        assert.strictEqual(encoder.result(message), referenceFrame(message));
      }
    });

    it('decodes with FrameDecoder to the message emit() returned', async function () {
      const sim = await start({ seed: 5 });
      const viewer = await client(sim);
      const sent = [sim.emit({ data: 'one' }), sim.emit({ data: new Uint8Array([1, 2, 3]), serviceType: 'socket', amount: 7 })];
      await until(() => viewer.frames.length === 2, 'two frames');
      const decoded = messagesOf(decodeAll(viewer.frames));
      assert.deepStrictEqual(
        decoded.map(({ id, replyToId, fromPubkey, data, serviceType, amount }) => ({ id, replyToId, fromPubkey, data: [...data], serviceType, amount })),
        sent.map(({ id, replyToId, fromPubkey, data, serviceType, amount }) => ({ id, replyToId, fromPubkey, data: [...data], serviceType, amount })),
      );
      assert.match(sent[0]?.id ?? '', HEX64);
      assert.strictEqual(sent[0]?.fromPubkey, sim.peers[0]?.pubkey);
    });
  });

  describe('sending through REST', function () {
    it('answers {"id"} and the addressed peer replies on the stream with that replyToId', async function () {
      const sim = await start();
      const viewer = await client(sim);
      const answer = await request(sim, '/v1/message/send', { msg: Buffer.from('hello there').toString('base64'), pubkey: PUBKEY, amount: '3' });
      assert.strictEqual(answer.status, 200);
      assert.deepStrictEqual(Object.keys(answer.json), ['id']);
      const id = answer.json.id as string;
      assert.match(id, HEX64);
      await until(() => viewer.frames.length === 1, 'the reply');
      const [reply] = messagesOf(decodeAll(viewer.frames));
      assert.strictEqual(reply?.replyToId, id);
      assert.strictEqual(reply?.fromPubkey, PUBKEY);
      assert.strictEqual(utf8(reply?.data ?? new Uint8Array()), 're: hello there');
      assert.notStrictEqual(reply?.id, id);
    });

    it('has a known peer reply too, after the configured delay', async function () {
      const sim = await start({ replyDelayMs: 150 });
      const viewer = await client(sim);
      const peer = sim.peers[2];
      assert.ok(peer);
      const started = Date.now();
      const answer = await request(sim, '/v1/message/send', { msg: '', pubkey: peer.pubkey });
      await until(() => viewer.frames.length === 1, 'the reply');
      assert.ok(Date.now() - started >= 140, `replied after ${Date.now() - started} ms`);
      const [reply] = messagesOf(decodeAll(viewer.frames));
      assert.strictEqual(reply?.fromPubkey, peer.pubkey);
      assert.strictEqual(reply?.replyToId, answer.json.id);
    });

    it('answers 400 code 3 for msg that is not base64', async function () {
      const sim = await start();
      const answer = await request(sim, '/v1/message/send', { msg: 'not base64!', pubkey: PUBKEY });
      assert.strictEqual(answer.status, 400);
      assert.strictEqual(answer.json.code, 3);
      assert.match(String(answer.json.message), /base64/);
      assert.deepStrictEqual(answer.json.details, []);
      const notJson = await request(sim, '/v1/message/send', '{"msg":');
      assert.strictEqual(notJson.status, 400);
      assert.strictEqual(notJson.json.code, 3);
    });

    it('answers 501 code 12 for a wrong method and 404 code 5 for an unknown path', async function () {
      const sim = await start();
      assert.deepStrictEqual(await request(sim, '/v1/message/send', '', { method: 'GET' }), { status: 501, json: { code: 12, message: 'Method Not Allowed', details: [] } });
      assert.deepStrictEqual(await request(sim, '/v1/nothing', {}), { status: 404, json: { code: 5, message: 'Not Found', details: [] } });
      assert.strictEqual(sim.stats.restRequests, 2);
    });

    it('takes reply_to_id and replyToId, amount as a number or a string', async function () {
      const sim = await start();
      const msg = Buffer.from('x').toString('base64');
      for (const body of [
        { msg, pubkey: PUBKEY, amount: 5, reply_to_id: 'r1' },
        { msg, pubkey: PUBKEY, amount: '5', replyToId: 'r1' },
      ]) {
        assert.strictEqual((await request(sim, '/v1/message/send', body)).status, 200, JSON.stringify(body));
        const parsed = parseSendRequest(JSON.stringify(body), 'v0', loadWireTypes());
        assert.ok(parsed.ok);
        assert.deepStrictEqual(parsed.request, { data: Buffer.from('x'), recipient: PUBKEY, amount: 5n, replyToId: 'r1' } satisfies SendRequest);
      }
      const defaults = parseSendRequest(JSON.stringify({ msg: Buffer.alloc(1801).toString('base64'), pubkey: PUBKEY }), 'v0', loadWireTypes());
      assert.strictEqual(defaults.ok && defaults.request.amount, 3n, 'at least 1 sat per started 900 bytes');
      const badAmount = await request(sim, '/v1/message/send', { msg, pubkey: PUBKEY, amount: 'lots' });
      assert.strictEqual(badAmount.status, 400);
      assert.strictEqual(badAmount.json.code, 3);
    });
  });

  describe('the websocket', function () {
    it('answers an unknown path with a bare code-5 frame, then drops (1006)', async function () {
      const sim = await start();
      const stray = new Client(`ws://127.0.0.1:${sim.port}/v1/subscribe/extra?x=1`);
      clients.push(stray);
      await stray.opened;
      assert.strictEqual(await stray.closed, 1006);
      assert.deepStrictEqual(stray.texts(), ['{"code":5,"message":"Not Found","details":[]}']);
      const [result] = decodeAll(stray.frames);
      assert.deepStrictEqual(result, { kind: 'error', code: 5, message: 'Not Found', wrapped: false });
      assert.strictEqual(sim.stats.subscribers, 0);
    });

    it('ends a stream without a close frame: the client sees 1006', async function () {
      const sim = await start();
      const viewer = await client(sim);
      sim.emit({ data: 'last words' });
      sim.dropAll();
      assert.strictEqual(await viewer.closed, 1006);
      assert.strictEqual(viewer.frames.length, 1, 'frames sent before the drop still arrive');
      const other = await client(sim);
      await sim.close();
      assert.strictEqual(await other.closed, 1006);
    });

    it('answers pings until the client sends a data frame, then never again', async function () {
      const sim = await start();
      const viewer = await client(sim);
      viewer.ws.ping();
      await until(() => viewer.pongs === 1, 'a pong');
      viewer.ws.send('hello?');
      await sleep(30);
      viewer.ws.ping();
      await sleep(200);
      assert.strictEqual(viewer.pongs, 1, 'no pong after a data frame');
      assert.strictEqual(viewer.ws.readyState, WebSocket.OPEN, 'the data itself is ignored');
      sim.emit({ data: 'still streaming' });
      await until(() => viewer.frames.length === 1, 'a frame after the data frame');
    });

    it('loses a frame over 64 KiB and drops the stream; a frame of exactly the limit passes', async function () {
      const sim = await start();
      const viewer = await client(sim);
      const encoder = new SubscribeFrameEncoder();
      const base: SimulatedMessage = { id: '', replyToId: '', fromPubkey: PUBKEY, data: Buffer.alloc(48_000, 'x'), serviceType: 'message', amount: 54n };
      const filler = MAX_LINE_BYTES - encoder.result(base).length;
      const atLimit = sim.emit({ ...base, id: 'i'.repeat(filler) });
      assert.strictEqual(encoder.result(atLimit).length, MAX_LINE_BYTES);
      sim.emit({ ...base, id: 'o'.repeat(filler + 1) });
      sim.emit({ data: 'after' });
      assert.strictEqual(await viewer.closed, 1006);
      assert.strictEqual(viewer.frames.length, 1);
      assert.strictEqual(messagesOf(decodeAll(viewer.frames))[0]?.id, 'i'.repeat(filler));
      assert.strictEqual(sim.stats.drops, 1);
    });

    it('rejects hosts other than loopback', async function () {
      await assert.rejects(startSimulatedNode({ host: '0.0.0.0' }), /loopback/);
    });
  });

  describe('faults', function () {
    it('drops every stream after N frames', async function () {
      const sim = await start({ faults: { dropEvery: 3 } });
      const viewer = await client(sim);
      for (let i = 0; i < 5; i++) {
        sim.emit({ data: `m${i}` });
      }
      assert.strictEqual(await viewer.closed, 1006);
      assert.deepStrictEqual(messagesOf(decodeAll(viewer.frames)).map((message) => utf8(message.data)), ['m0', 'm1', 'm2']);
      const next = await client(sim);
      sim.setFaults({ dropEvery: 0 });
      for (let i = 0; i < 5; i++) {
        sim.emit({ data: `n${i}` });
      }
      await until(() => next.frames.length === 5, 'five frames once the fault is off');
      assert.strictEqual(next.ws.readyState, WebSocket.OPEN);
    });

    it('stalls: the connection stays open, nothing is sent, pings go unanswered', async function () {
      const sim = await start({ faults: { stall: true } });
      const viewer = await client(sim);
      sim.emit({ data: 'lost' });
      viewer.ws.ping();
      await sleep(200);
      assert.strictEqual(viewer.pongs, 0);
      assert.strictEqual(viewer.frames.length, 0);
      assert.strictEqual(viewer.ws.readyState, WebSocket.OPEN);
      sim.setFaults({ stall: false });
      viewer.ws.ping();
      sim.emit({ data: 'back' });
      await until(() => viewer.pongs === 1 && viewer.frames.length === 1, 'a pong and a frame after the stall');
      assert.strictEqual(utf8(messagesOf(decodeAll(viewer.frames))[0]?.data ?? new Uint8Array()), 'back');
    });

    it('sends an error frame after N frames, then drops', async function () {
      const sim = await start({ faults: { errorCode: 14, errorAfter: 2 } });
      const viewer = await client(sim);
      for (let i = 0; i < 4; i++) {
        sim.emit({ data: `m${i}` });
      }
      assert.strictEqual(await viewer.closed, 1006);
      assert.strictEqual(viewer.frames.length, 3);
      assert.strictEqual(viewer.texts()[2], '{"error":{"code":14,"message":"transport is closing","details":[]}}');
      assert.deepStrictEqual(decodeAll(viewer.frames)[2], { kind: 'error', code: 14, message: 'transport is closing', wrapped: true });
    });

    it('sends an error frame on demand to every stream', async function () {
      const sim = await start();
      const [a, b] = [await client(sim), await client(sim)];
      sim.sendError(13, 'boom');
      for (const viewer of [a, b]) {
        assert.strictEqual(await viewer.closed, 1006);
        assert.deepStrictEqual(viewer.texts(), ['{"error":{"code":13,"message":"boom","details":[]}}']);
      }
    });

    it('kills the stream with an oversize line every N frames', async function () {
      const sim = await start({ faults: { oversizeEvery: 2 } });
      const viewer = await client(sim);
      sim.emit({ data: 'one' });
      sim.emit({ data: 'two' });
      sim.emit({ data: 'three' });
      assert.strictEqual(await viewer.closed, 1006);
      assert.deepStrictEqual(messagesOf(decodeAll(viewer.frames)).map((message) => utf8(message.data)), ['one']);
    });

    it('mixes in garbage frames that the decoder rejects without losing the good ones', async function () {
      const sim = await start({ faults: { garbageEvery: 1 } });
      const viewer = await client(sim);
      for (let i = 0; i < 8; i++) {
        sim.emit({ data: `m${i}` });
      }
      await until(() => viewer.frames.length === 16, 'sixteen frames');
      const results = decodeAll(viewer.frames);
      assert.deepStrictEqual(messagesOf(results).map((message) => utf8(message.data)), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
      assert.strictEqual(results.filter((result) => result.kind === 'rejected').length, 8);
      assert.strictEqual(viewer.frames.filter((frame) => frame.binary).length, 1);
      assert.strictEqual(viewer.ws.readyState, WebSocket.OPEN);
    });

    it('refuses connections for a while (ECONNREFUSED), then listens on the same port again', async function () {
      const sim = await start();
      const viewer = await client(sim);
      const port = sim.port;
      const back = sim.refuse(300);
      assert.strictEqual(await viewer.closed, 1006);
      await until(() => sim.stats.subscribers === 0, 'the old stream gone');
      await sleep(20);
      assert.strictEqual((await connectionError(sim.subscribeUrl)).code, 'ECONNREFUSED');
      await assert.rejects(request(sim, '/v1/message/send', {}), /ECONNREFUSED/);
      await back;
      assert.strictEqual(sim.port, port);
      const again = await client(sim);
      sim.emit({ data: 'hello again' });
      await until(() => again.frames.length === 1, 'a frame after the refusal');
    });

    it('refuses from the start with refuseForMs', async function () {
      const sim = await start({ refuseForMs: 250 });
      await sleep(30);
      assert.strictEqual((await connectionError(sim.subscribeUrl)).code, 'ECONNREFUSED');
      await sleep(300);
      await client(sim);
      assert.strictEqual(sim.stats.connections, 1);
    });

    it('refuses fault values that mean nothing', async function () {
      const sim = await start();
      assert.throws(() => sim.setFaults({ dropEvery: -1 }), RangeError);
      assert.throws(() => sim.setFaults({ errorCode: 99 }), RangeError);
      assert.strictEqual(sim.faults.dropEvery, 0);
    });
  });

  describe('API key', function () {
    it('wants "Bearer, <key>" on the websocket: 401 without or with a wrong key, Bearer echoed with the right one', async function () {
      const sim = await start({ apiKey: 'sekret-key' });
      assert.match((await connectionError(sim.subscribeUrl)).message, /Unexpected server response: 401/);
      assert.match((await connectionError(sim.subscribeUrl, ['Bearer', 'wrong'])).message, /401/);
      const viewer = await client(sim, ['Bearer', 'sekret-key']);
      assert.strictEqual(viewer.ws.protocol, 'Bearer');
      // The proxy's other way in, for keys that are not valid subprotocol tokens: a cookie named token.
      const byCookie = new Client(sim.subscribeUrl, [], new WebSocket(sim.subscribeUrl, { headers: { cookie: 'token=sekret-key' } }));
      clients.push(byCookie);
      await byCookie.opened;
      sim.emit({ data: 'authorised' });
      await until(() => viewer.frames.length === 1 && byCookie.frames.length === 1, 'a frame on both');
    });

    it('can refuse with a code-16 error frame instead, then drop', async function () {
      const sim = await start({ apiKey: 'sekret-key', authFailure: 'errorFrame' });
      const viewer = new Client(sim.subscribeUrl);
      clients.push(viewer);
      await viewer.opened;
      assert.strictEqual(await viewer.closed, 1006);
      assert.deepStrictEqual(decodeAll(viewer.frames), [{ kind: 'error', code: 16, message: 'api key is not provided', wrapped: true }]);
      assert.strictEqual(sim.stats.connections, 0);
    });

    it('wants Grpc-Metadata-X-API-KEY on REST, and never logs the key', async function () {
      const lines: string[] = [];
      const sim = await start({ apiKey: 'sekret-key', log: (line) => lines.push(line) });
      const body = { msg: '', pubkey: PUBKEY };
      assert.deepStrictEqual(await request(sim, '/v1/message/send', body), { status: 401, json: { code: 16, message: 'api key is not provided', details: [] } });
      assert.strictEqual((await request(sim, '/v1/message/send', body, { headers: { 'X-API-KEY': 'sekret-key' } })).status, 401, 'a plain X-API-KEY does not count');
      assert.strictEqual((await request(sim, '/v1/message/send', body, { headers: { 'Grpc-Metadata-X-API-KEY': 'wrong' } })).json.message, 'invalid api key');
      assert.strictEqual((await request(sim, '/v1/message/send', body, { headers: { 'Grpc-Metadata-X-API-KEY': 'sekret-key' } })).status, 200);
      await connectionError(sim.subscribeUrl, ['Bearer', 'wrong']);
      sim.setApiKey(undefined);
      assert.strictEqual((await request(sim, '/v1/message/send', body)).status, 200, 'no key needed once it is unset');
      assert.ok(lines.length > 3);
      assert.ok(lines.every((line) => !line.includes('sekret')), lines.join('\n'));
    });
  });

  describe('v1 mode', function () {
    it('sends {"result":{"data","amount"}} frames whose DIDComm maps through FrameDecoder in auto mode', async function () {
      const sim = await start({ apiVersion: 'v1', seed: 2 });
      const viewer = await client(sim);
      const first = sim.emit({ data: 'hi from v1' });
      const second = sim.emit({ data: 'answer', replyToId: first.id });
      await until(() => viewer.frames.length === 2, 'two frames');
      for (const text of viewer.texts()) {
        assert.match(text, /^\{"result":\{"data":"[A-Za-z0-9+/]+={0,2}","amount":"0"\}\}$/);
      }
      const decoder = new FrameDecoder({ node: 'sim', apiVersion: 'auto' });
      const decoded = viewer.frames.map((frame) => decoder.decode(frame.text));
      assert.strictEqual(decoder.apiVersion, 'v1');
      const [one, two] = messagesOf(decoded);
      assert.strictEqual(one?.id, first.id);
      assert.strictEqual(one?.replyToId, '');
      assert.strictEqual(two?.replyToId, first.id);
      assert.strictEqual(one?.fromPubkey, sim.peers[0]?.did);
      assert.strictEqual(one?.serviceType, BASIC_MESSAGE_TYPE);
      const didComm = JSON.parse(utf8(two?.data ?? new Uint8Array())) as DidCommMessage;
      assert.deepStrictEqual(Object.keys(didComm), ['id', 'thid', 'type', 'from', 'to', 'created_time', 'body']);
      assert.deepStrictEqual(didComm.body, { content: 'answer' });
      assert.deepStrictEqual(didComm.to, [sim.selfDid]);
      assert.strictEqual(second.id, didComm.id);
      assert.match(didComm.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.ok(Math.abs(didComm.created_time - Date.now() / 1000) < 5);
    });

    it('takes {msg, did, amount, reply_to_id} on REST with the key header; the stream is exempt', async function () {
      const sim = await start({ apiVersion: 'v1', apiKey: 'v1-key' });
      const viewer = await client(sim);
      const did = sim.peers[1]?.did ?? '';
      const body = { msg: 'plain text, not base64', did, amount: 1, reply_to_id: '' };
      assert.strictEqual((await request(sim, '/v1/message/send', body)).status, 401);
      const answer = await request(sim, '/v1/message/send', body, { headers: { 'Grpc-Metadata-X-API-KEY': 'v1-key' } });
      assert.strictEqual(answer.status, 200);
      await until(() => viewer.frames.length === 1, 'the reply');
      const [reply] = messagesOf(decodeAll(viewer.frames, 'auto'));
      assert.strictEqual(reply?.replyToId, answer.json.id);
      assert.strictEqual(reply?.fromPubkey, did);
      assert.deepStrictEqual((JSON.parse(utf8(reply?.data ?? new Uint8Array())) as DidCommMessage).body, { content: 're: plain text, not base64' });
    });
  });

  describe('sample traffic', function () {
    async function traffic(seed: number, count: number): Promise<SimulatedMessage[]> {
      const clock = new FakeClock();
      const sim = await start({ seed, rate: 10, clock });
      const sent: SimulatedMessage[] = [];
      sim.onDidSend((message) => sent.push(message));
      clock.advance(Math.ceil((count * 1000) / 10));
      assert.strictEqual(sent.length, count, 'paced at the rate');
      return sent;
    }

    it('is the same for the same seed and different for another', async function () {
      const a = await traffic(42, 30);
      const b = await traffic(42, 30);
      const c = await traffic(43, 30);
      assert.deepStrictEqual(a, b);
      assert.notDeepStrictEqual(
        a.map((message) => message.id),
        c.map((message) => message.id),
      );
    });

    it('looks like a real network: pubkeys, threads deeper than one, a service-type mix, JSON, binary, amounts', function () {
      const prng = new Prng(1);
      const peers = samplePeers(prng);
      const traffic = new SampleTraffic({ prng, peers, apiVersion: 'v0', selfDid: 'did:key:z6Mkself', now: () => 0 });
      const messages = Array.from({ length: 1000 }, () => traffic.next());
      assert.ok(peers.every((peer) => /^0[23][0-9a-f]{64}$/.test(peer.pubkey)));
      assert.strictEqual(new Set(peers.map((peer) => peer.name)).size, peers.length);
      assert.ok(messages.every((message) => HEX64.test(message.id) && peers.some((peer) => peer.pubkey === message.fromPubkey)));
      const parents = new Map(messages.map((message) => [message.id, message.replyToId]));
      const depth = (id: string): number => (parents.get(id) ? 1 + depth(parents.get(id) as string) : 0);
      assert.ok(Math.max(...messages.map((message) => depth(message.id))) >= 3, 'threads deeper than one reply');
      const types = new Set(messages.map((message) => message.serviceType));
      assert.deepStrictEqual([...types].sort(), ['federate', 'message', 'sign', 'socket', 'vpn']);
      assert.ok(messages.filter((message) => message.serviceType === 'message').length > 700);
      const isJson = (message: SimulatedMessage) => {
        try {
          return typeof JSON.parse(utf8(message.data)) === 'object';
        } catch {
          return false;
        }
      };
      assert.ok(messages.some((message) => isJson(message) && message.data.byteLength > 1500), 'some JSON of about 2 KB');
      assert.ok(messages.some((message) => !Buffer.from(utf8(message.data)).equals(Buffer.from(message.data))), 'some binary');
      assert.ok(messages.every((message) => message.amount >= 1n && message.amount <= 1000n));
    });

    it('paces messages at the configured rate', async function () {
      const clock = new FakeClock();
      const sim = await start({ rate: 250, clock });
      let count = 0;
      sim.onDidSend(() => count++);
      clock.advance(2000);
      assert.strictEqual(count, 500);
      sim.setRate(0);
      clock.advance(2000);
      assert.strictEqual(count, 500);
    });
  });

  describe('with the extension\'s NodeConnection', function () {
    it('feeds it through drops and garbage: every good frame accepted, every bad one rejected', async function () {
      const sim = await start({ faults: { dropEvery: 4, garbageEvery: 2 } });
      const sent = new Set<string>();
      sim.onDidSend((message) => sent.add(message.id));
      const connection = new NodeConnection({ node: { name: 'sim', url: sim.subscribeUrl }, backoffBaseMs: 10, backoffCapMs: 20 });
      const received: NodeMessage[] = [];
      connection.onDidReceiveMessage((message) => received.push(message));
      try {
        connection.connect();
        await until(() => {
          sim.emit({ data: 'tick' });
          return received.length >= 20;
        }, 'twenty messages through reconnects');
        assert.ok(connection.counters.drops >= 5, `drops: ${connection.counters.drops}`);
        // Each stream: good, good, garbage, good, drop.
        assert.ok(connection.counters.rejected >= connection.counters.drops, `rejected ${connection.counters.rejected}, drops ${connection.counters.drops}`);
        assert.strictEqual(connection.counters.errorFrames, 0);
        assert.ok(received.every((message) => sent.has(message.id)));
      } finally {
        connection.dispose();
      }
    });
  });

  describe('burst and close', function () {
    it('bursts as fast as the client drains, every frame in order', async function () {
      const sim = await start();
      const viewer = await client(sim);
      let received = 0;
      let inOrder = true;
      viewer.ws.removeAllListeners('message');
      viewer.ws.on('message', (data) => {
        const text = String(data);
        inOrder &&= text.includes(`"id":"${received.toString(16).padStart(64, '0')}"`);
        received++;
      });
      const result = await sim.burst(20_000, { message: (index) => ({ id: index.toString(16).padStart(64, '0'), data: 'burst' }), highWaterMark: 64 * 1024 });
      assert.strictEqual(result.messages, 20_000);
      assert.strictEqual(result.frames, 20_000);
      await until(() => received === 20_000, 'every burst frame');
      assert.ok(inOrder, 'frames arrive in order');
      const sample = await sim.burst(100);
      assert.strictEqual(sample.frames, 100, 'the default burst is sample traffic');
    });

    it('close() ends every connection, timer and the listener, so the process can exit', async function () {
      const sockets = () => process.getActiveResourcesInfo().filter((name) => name.startsWith('TCP')).length;
      const before = sockets();
      const clock = new FakeClock();
      const sim = await startSimulatedNode({ rate: 100, replyDelayMs: 10_000, clock });
      const viewer = new Client(sim.subscribeUrl);
      await viewer.opened;
      await request(sim, '/v1/message/send', { msg: '', pubkey: PUBKEY });
      const refusal = sim.refuse(60_000);
      await until(() => sim.stats.subscribers === 0 && clock.pending().length === 3, 'traffic, reply and refusal timers');
      await sim.close();
      await refusal;
      assert.deepStrictEqual(clock.pending(), [], 'no timer left');
      assert.strictEqual(await viewer.closed, 1006);
      assert.strictEqual((await connectionError(sim.subscribeUrl)).code, 'ECONNREFUSED');
      await until(() => sockets() === before, 'no sockets left');
      await sim.close();
    });
  });
});
