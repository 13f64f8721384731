import * as http from 'http';
import type { Socket } from 'net';
import { performance } from 'perf_hooks';
import type { Duplex } from 'stream';
import { setImmediate as nextTurn } from 'timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock, type Clock, type TimerHandle } from '../clock';
import { Emitter, type Event } from '../emitter';
import { viewData } from '../messageText';
import type { ApiVersion } from '../nodeMessage';
import { loadWireTypes, type WireTypes } from '../wireTypes';
import { checkKey, keyProblem, restKeyOf, streamKeyOf } from './apiKeyCheck';
import { basicMessage, didCommId, sampleDid, simulatedFromDidComm } from './didComm';
import { describeFaults, mergeFaults, NO_FAULTS, type SimulatorFaults } from './faults';
import { GarbageFrames } from './garbageFrames';
import { Prng } from './prng';
import { describePeer, sampleMessageId, samplePeers, SampleTraffic, type SamplePeer } from './samplePeers';
import { parseSendRequest, type SendRequest } from './sendRequest';
import type { MessageInput, SimulatedMessage } from './simulatedMessage';
import { Subscriber, type StreamContext } from './subscriber';
import { gatewayErrorBody, SubscribeFrameEncoder } from './subscribeFrames';

export type AuthFailure = 'http401' | 'errorFrame';

export interface SimulatedNodeOptions {
  /** A loopback address; the simulator refuses to listen anywhere else. Default `127.0.0.1`. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Sample-peer messages per second; 0 (the default) sends none. */
  readonly rate?: number;
  /** Makes peers, traffic and message IDs the same on every run. Default 1. */
  readonly seed?: number;
  readonly apiVersion?: ApiVersion;
  /** How long the addressed peer takes to answer a `POST /v1/message/send`. Default 300 ms. */
  readonly replyDelayMs?: number;
  /** Require this API key (REST header `Grpc-Metadata-X-API-KEY`; websocket `Bearer, <key>` subprotocol). */
  readonly apiKey?: string;
  /** How the stream refuses a missing or wrong key: HTTP 401 on the upgrade, or a code-16 error frame. */
  readonly authFailure?: AuthFailure;
  /** Whether the key also guards the websocket. Default: yes for v0, no for v1 (whose stream is exempt). */
  readonly apiKeyOnStream?: boolean;
  readonly faults?: Partial<SimulatorFaults>;
  /** Refuse connections for this long right after starting (the port stays reserved meanwhile). */
  readonly refuseForMs?: number;
  /** How many sample peers talk. Default 6. */
  readonly peers?: number;
  readonly clock?: Clock;
  /** Where to say what the simulator does (connections, drops, faults, sends). Never gets the API key. */
  readonly log?: (line: string) => void;
  readonly types?: WireTypes;
}

export interface SimulatorStats {
  /** Messages put on the stream (each goes to every subscriber). */
  readonly messagesSent: number;
  /** Frames written to sockets: messages times subscribers, plus garbage and error frames. */
  readonly framesSent: number;
  /** Websocket connections accepted on `/v1/subscribe` since the start. */
  readonly connections: number;
  /** Websocket connections open now. */
  readonly subscribers: number;
  /** Streams the simulator ended (faults, errors, refusals). */
  readonly drops: number;
  readonly restRequests: number;
}

export interface BurstOptions {
  /** Builds the `index`-th message; by default the sample peers' traffic. */
  readonly message?: (index: number) => MessageInput;
  /** Bytes a subscriber may have queued before the burst waits for it to drain. Default 1 MiB. */
  readonly highWaterMark?: number;
}

export interface BurstResult {
  readonly messages: number;
  readonly frames: number;
  readonly elapsedMs: number;
}

const SUBSCRIBE_PATH = '/v1/subscribe';
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;
const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;
/** The longest stretch a burst runs without letting timers, REST calls and pings in. */
const BURST_SLICE = 4096;
/** Frames a burst queues per socket before handing them to the kernel in one write. */
const CORK_BATCH = 64;

/** Starts a simulated Impervious node on loopback; resolves once it listens. */
export function startSimulatedNode(options: SimulatedNodeOptions = {}): Promise<SimulatedNode> {
  return SimulatedNode.start(options);
}

/**
 * A stand-in for an Impervious node's HTTP side: the `/v1/subscribe` websocket and
 * `POST /v1/message/send`, with the framing, quirks and failure modes of the real gateway and
 * websocket proxy (see impervious-api.md), sample peers that talk, and switchable faults.
 */
export class SimulatedNode {
  readonly host: string;
  readonly apiVersion: ApiVersion;
  readonly peers: readonly SamplePeer[];
  /** The simulated node's own identity (v1 messages are addressed to it). */
  readonly selfDid: string;

  private readonly onDidSendEmitter = new Emitter<SimulatedMessage>();
  private readonly onDidChangeSubscribersEmitter = new Emitter<number>();
  /** Every message put on the stream, as subscribers decode it. */
  readonly onDidSend: Event<SimulatedMessage> = this.onDidSendEmitter.event;
  readonly onDidChangeSubscribers: Event<number> = this.onDidChangeSubscribersEmitter.event;

  private readonly clock: Clock;
  private readonly types: WireTypes;
  private readonly encoder: SubscribeFrameEncoder;
  private readonly traffic: SampleTraffic;
  private readonly ids: Prng;
  private readonly garbage: GarbageFrames;
  private readonly log: (line: string) => void;
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly subscribers = new Set<Subscriber>();
  private readonly sockets = new Set<Socket>();
  private readonly replyTimers = new Set<TimerHandle>();
  private readonly streamContext: StreamContext;
  private readonly counts = { messagesSent: 0, framesSent: 0, connections: 0, drops: 0, restRequests: 0 };

  private listenPort: number;
  private currentFaults: SimulatorFaults;
  private apiKey: string | undefined;
  private readonly authFailure: AuthFailure;
  private readonly apiKeyOnStream: boolean;
  private readonly replyDelayMs: number;
  private rate = 0;
  private trafficTimer: TimerHandle | undefined;
  private refuseTimer: TimerHandle | undefined;
  private refusing = false;
  private refuseDone: (() => void) | undefined;
  private connectionNumber = 0;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(options: SimulatedNodeOptions) {
    this.host = options.host ?? '127.0.0.1';
    if (!LOOPBACK.test(this.host)) {
      throw new Error(`the simulator listens on loopback only (127.0.0.1, ::1, localhost), not ${this.host}`);
    }
    this.listenPort = options.port ?? 0;
    this.apiVersion = options.apiVersion ?? 'v0';
    this.clock = options.clock ?? systemClock;
    this.types = options.types ?? loadWireTypes();
    this.encoder = new SubscribeFrameEncoder(this.types);
    this.log = options.log ?? (() => undefined);
    this.replyDelayMs = options.replyDelayMs ?? 300;
    this.apiKey = options.apiKey || undefined;
    this.authFailure = options.authFailure ?? 'http401';
    this.apiKeyOnStream = options.apiKeyOnStream ?? this.apiVersion === 'v0';
    this.currentFaults = mergeFaults(NO_FAULTS, options.faults ?? {});

    // Each concern draws from its own stream so that, say, a REST call does not shift the traffic.
    const seed = new Prng(options.seed ?? 1);
    const peerSource = seed.fork('peers');
    this.peers = samplePeers(peerSource, options.peers ?? 6);
    this.selfDid = sampleDid(peerSource);
    this.ids = seed.fork('ids');
    this.garbage = new GarbageFrames(seed.fork('garbage'));
    this.traffic = new SampleTraffic({
      prng: seed.fork('traffic'),
      peers: this.peers,
      apiVersion: this.apiVersion,
      selfDid: this.selfDid,
      now: () => this.clock.now(),
    });

    this.streamContext = {
      clock: this.clock,
      faults: () => this.currentFaults,
      nextGarbage: () => this.garbage.next(),
      log: this.log,
      countFrame: () => this.counts.framesSent++,
      countDrop: () => this.counts.drops++,
    };
    this.wss = new WebSocketServer({
      noServer: true,
      // The node answers pings only until a client sends data; Subscriber decides, not ws.
      autoPong: false,
      perMessageDeflate: false,
      clientTracking: false,
      // Client data is ignored; the limit is only high so that ws never answers with a 1009 close
      // frame, which the node would not send.
      maxPayload: 16 * 1024 * 1024,
      // The proxy answers `Bearer` whenever the offered subprotocols start with it, key or not.
      handleProtocols: (_protocols, request) => (String(request.headers['sec-websocket-protocol'] ?? '').startsWith('Bearer') ? 'Bearer' : false),
    });
    this.server = http.createServer((request, response) => this.onRequest(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (request, socket, head) => this.onUpgrade(request, socket, head));
    this.server.on('error', (error) => this.log(`server error: ${error.message}`));
    this.rate = checkRate(options.rate ?? 0);
  }

  static async start(options: SimulatedNodeOptions = {}): Promise<SimulatedNode> {
    const node = new SimulatedNode(options);
    await node.listen();
    node.log(
      `simulated ${node.apiVersion} node on ${node.subscribeUrl} (REST ${node.restUrl}); ` +
        `${node.peers.length} peers, ${node.rate} msg/s, faults: ${describeFaults(node.currentFaults)}` +
        (node.apiKey ? `; API key required${node.apiKeyOnStream ? ` (stream: ${node.authFailure})` : ' (REST only)'}` : ''),
    );
    node.setRate(node.rate);
    if (options.refuseForMs) {
      void node.refuse(options.refuseForMs);
    }
    return node;
  }

  get port(): number {
    return this.listenPort;
  }

  get subscribeUrl(): string {
    return `ws://${this.hostForUrl}:${this.listenPort}${SUBSCRIBE_PATH}`;
  }

  /** The REST base, as the extension derives it from the subscribe URL. */
  get restUrl(): string {
    return `http://${this.hostForUrl}:${this.listenPort}`;
  }

  get stats(): SimulatorStats {
    return { ...this.counts, subscribers: this.subscribers.size };
  }

  get faults(): SimulatorFaults {
    return this.currentFaults;
  }

  /** Switches faults on or off; open streams follow from their next frame. */
  setFaults(changes: Partial<SimulatorFaults>): SimulatorFaults {
    this.currentFaults = mergeFaults(this.currentFaults, changes);
    this.log(`faults: ${describeFaults(this.currentFaults)}`);
    return this.currentFaults;
  }

  /** Sets the sample peers' message rate (per second; 0 stops them). */
  setRate(rate: number): void {
    this.rate = checkRate(rate);
    this.clearTimer('trafficTimer');
    if (rate > 0 && !this.closed) {
      this.startTraffic();
    }
  }

  /** Requires a key from now on (existing connections stay), or none with `undefined`. */
  setApiKey(apiKey: string | undefined): void {
    this.apiKey = apiKey || undefined;
    this.log(this.apiKey ? 'API key required from now on' : 'API key no longer required');
  }

  /** Puts one message on the stream for every subscriber and returns it as they will decode it. */
  emit(input: MessageInput = {}): SimulatedMessage {
    const message = this.build(input);
    this.publish(message);
    return message;
  }

  /**
   * Sends `count` messages as fast as the subscribers take them: it waits whenever one has more
   * than `highWaterMark` bytes queued, so a burst of 200,000 frames never sits in memory at once.
   */
  async burst(count: number, options: BurstOptions = {}): Promise<BurstResult> {
    const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    const framesBefore = this.counts.framesSent;
    const started = performance.now();
    let sent = 0;
    while (sent < count && !this.closed) {
      const batch = Math.min(count - sent, CORK_BATCH);
      const corked = [...this.subscribers];
      for (const subscriber of corked) {
        subscriber.cork();
      }
      for (let i = 0; i < batch; i++, sent++) {
        this.publish(options.message ? this.build(options.message(sent)) : this.traffic.next());
      }
      for (const subscriber of corked) {
        subscriber.uncork();
      }
      let waits: Promise<void>[] | undefined;
      for (const subscriber of this.subscribers) {
        if (subscriber.isCongested(highWaterMark)) {
          (waits ??= []).push(subscriber.drained());
        }
      }
      if (waits) {
        await Promise.all(waits);
      } else if (sent % BURST_SLICE < batch) {
        await nextTurn();
      }
    }
    return { messages: sent, frames: this.counts.framesSent - framesBefore, elapsedMs: performance.now() - started };
  }

  /** Ends every open stream with `{"error":{"code":...}}` and a drop, as a failing node does. */
  sendError(code: number, message: string): void {
    for (const subscriber of this.subscribers) {
      subscriber.fail(code, message);
    }
  }

  /** Drops every open stream now (no close frame). */
  dropAll(why = 'dropped on request'): void {
    for (const subscriber of this.subscribers) {
      subscriber.drop(why);
    }
  }

  /**
   * Goes away for `ms`: open connections are destroyed and the port stops listening, so clients
   * get ECONNREFUSED; then it listens on the same port again. Resolves when it is back (or closed).
   */
  async refuse(ms: number): Promise<void> {
    if (this.closed || this.refusing) {
      return;
    }
    this.refusing = true;
    this.log(`refusing connections for ${ms} ms`);
    for (const subscriber of this.subscribers) {
      subscriber.terminate();
    }
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.closed) {
      return;
    }
    await new Promise<void>((resolve) => {
      this.refuseDone = resolve;
      this.refuseTimer = this.clock.setTimeout(() => void this.listenAgain(), ms);
    });
  }

  /** Resolves once at least `count` websocket clients are subscribed. */
  waitForSubscribers(count = 1, timeoutMs = 5000): Promise<void> {
    if (this.subscribers.size >= count) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`${this.subscribers.size} of ${count} subscribers after ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      const subscription = this.onDidChangeSubscribers((size) => {
        if (size >= count) {
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        }
      });
    });
  }

  /** Stops everything: traffic, pending replies, sockets, the server. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.clearTimer('trafficTimer');
    this.clearTimer('refuseTimer');
    for (const timer of this.replyTimers) {
      this.clock.clearTimeout(timer);
    }
    this.replyTimers.clear();
    for (const subscriber of this.subscribers) {
      subscriber.terminate();
    }
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.wss.close();
    if (this.server.listening) {
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
    this.refuseDone?.();
    this.refuseDone = undefined;
    this.log(`stopped after ${this.counts.messagesSent} messages, ${this.counts.framesSent} frames, ${this.counts.connections} connections`);
    this.onDidSendEmitter.dispose();
    this.onDidChangeSubscribersEmitter.dispose();
  }

  private get hostForUrl(): string {
    return this.host.includes(':') ? `[${this.host}]` : this.host;
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        this.server.off('listening', onListening);
        reject(error);
      };
      const onListening = () => {
        this.server.off('error', onError);
        const address = this.server.address();
        if (address && typeof address === 'object') {
          this.listenPort = address.port;
        }
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen(this.listenPort, this.host);
    });
  }

  private async listenAgain(): Promise<void> {
    this.refuseTimer = undefined;
    if (this.closed) {
      return;
    }
    try {
      await this.listen();
    } catch (error) {
      // Someone took the port meanwhile; keep trying rather than move, clients know only this port.
      this.log(`cannot listen on port ${this.listenPort} again (${(error as Error).message}); retrying`);
      this.refuseTimer = this.clock.setTimeout(() => void this.listenAgain(), 250);
      return;
    }
    this.refusing = false;
    this.log(`accepting connections again on port ${this.listenPort}`);
    this.refuseDone?.();
    this.refuseDone = undefined;
  }

  private onUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closed || this.refusing) {
      socket.destroy();
      return;
    }
    const number = ++this.connectionNumber;
    if (pathOf(request.url) !== SUBSCRIBE_PATH) {
      // The proxy upgrades whatever it is asked to; the gateway's 404 then arrives as one bare frame.
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        new Subscriber(number, ws, socket, this.streamContext).finish(gatewayErrorBody(5, 'Not Found'), `unknown websocket path ${pathOf(request.url)}: Not Found`);
      });
      return;
    }
    const check = this.apiKey && this.apiKeyOnStream ? checkKey(streamKeyOf(request), this.apiKey) : 'accepted';
    if (check !== 'accepted' && this.authFailure === 'http401') {
      const body = gatewayErrorBody(16, keyProblem(check));
      this.log(`connection #${number}: refused with HTTP 401 (${keyProblem(check)})`);
      socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const subscriber = new Subscriber(number, ws, socket, this.streamContext);
      if (check !== 'accepted') {
        subscriber.fail(16, keyProblem(check));
        return;
      }
      this.addSubscriber(subscriber, ws, request);
    });
  }

  private addSubscriber(subscriber: Subscriber, ws: WebSocket, request: http.IncomingMessage): void {
    this.counts.connections++;
    this.subscribers.add(subscriber);
    ws.on('close', () => {
      this.subscribers.delete(subscriber);
      this.log(`connection #${subscriber.number} closed after ${subscriber.framesSent} frames (${this.subscribers.size} subscribed)`);
      this.onDidChangeSubscribersEmitter.fire(this.subscribers.size);
    });
    this.log(`connection #${subscriber.number} subscribed from ${request.socket.remotePort ?? '?'} (${this.subscribers.size} subscribed)`);
    this.onDidChangeSubscribersEmitter.fire(this.subscribers.size);
    subscriber.opened();
  }

  private onRequest(request: http.IncomingMessage, response: http.ServerResponse): void {
    this.counts.restRequests++;
    const path = pathOf(request.url);
    const sendPaths = this.apiVersion === 'v1' ? ['/v1/message/send', '/v2/message/send'] : ['/v1/message/send'];
    if (path === SUBSCRIBE_PATH && request.method === 'GET') {
      // The real gateway would stream newline-delimited JSON here; the simulator serves websockets only.
      return answer(response, 400, gatewayErrorBody(3, 'the simulator serves /v1/subscribe as a websocket only'));
    }
    if (path === SUBSCRIBE_PATH) {
      return answer(response, 501, gatewayErrorBody(12, 'Method Not Allowed'));
    }
    if (!sendPaths.includes(path)) {
      return answer(response, 404, gatewayErrorBody(5, 'Not Found'));
    }
    if (request.method !== 'POST') {
      return answer(response, 501, gatewayErrorBody(12, 'Method Not Allowed'));
    }
    readBody(request, MAX_REQUEST_BYTES).then(
      (body) => this.onSend(request, response, body),
      (error: Error) => answer(response, 400, gatewayErrorBody(3, error.message)),
    );
  }

  /** The gateway decodes the body before the node checks the key, so a bad body wins over a bad key. */
  private onSend(request: http.IncomingMessage, response: http.ServerResponse, body: string): void {
    const parsed = parseSendRequest(body, this.apiVersion, this.types);
    if (!parsed.ok) {
      this.log(`REST send refused: ${parsed.message}`);
      return answer(response, parsed.status, gatewayErrorBody(parsed.code, parsed.message));
    }
    if (this.apiKey) {
      const check = checkKey(restKeyOf(request), this.apiKey);
      if (check !== 'accepted') {
        this.log(`REST send refused: ${keyProblem(check)}`);
        return answer(response, 401, gatewayErrorBody(16, keyProblem(check)));
      }
    }
    const id = this.apiVersion === 'v1' ? didCommId(this.ids) : sampleMessageId(this.ids);
    answer(response, 200, JSON.stringify({ id }));
    const sendRequest = parsed.request;
    this.log(
      `REST send ${id.slice(0, 12)}… to ${this.peerName(sendRequest.recipient)}: ${sendRequest.data.byteLength} bytes, ${sendRequest.amount} sat` +
        `${sendRequest.replyToId ? `, replying to ${sendRequest.replyToId.slice(0, 12)}…` : ''}; answer in ${this.replyDelayMs} ms`,
    );
    this.scheduleReply(id, sendRequest);
  }

  /** The addressed peer answers on the stream; an unknown recipient answers too, under its own key. */
  private scheduleReply(id: string, request: SendRequest): void {
    const timer = this.clock.setTimeout(() => {
      this.replyTimers.delete(timer);
      this.emit({ replyToId: id, fromPubkey: request.recipient, data: `re: ${previewOf(request.data)}`, serviceType: 'message', amount: this.apiVersion === 'v1' ? 0n : 1n });
    }, this.replyDelayMs);
    this.replyTimers.add(timer);
  }

  private startTraffic(): void {
    const started = this.clock.now();
    let sent = 0;
    const interval = Math.max(10, 1000 / this.rate);
    const tick = () => {
      const due = Math.floor(((this.clock.now() - started) * this.rate) / 1000) - sent;
      sent += due;
      // After the process was suspended (a laptop asleep), send a second's worth, not the backlog.
      for (let i = 0; i < Math.min(due, Math.ceil(this.rate)); i++) {
        this.publish(this.traffic.next());
      }
      this.trafficTimer = this.clock.setTimeout(tick, interval);
    };
    this.trafficTimer = this.clock.setTimeout(tick, interval);
  }

  private build(input: MessageInput): SimulatedMessage {
    const data = typeof input.data === 'string' ? Buffer.from(input.data, 'utf8') : (input.data ?? new Uint8Array(0));
    const peer = this.peers[0] as SamplePeer;
    if (this.apiVersion === 'v1') {
      const didComm = basicMessage({
        id: input.id ?? didCommId(this.ids),
        replyToId: input.replyToId ?? '',
        from: input.fromPubkey ?? peer.did,
        to: this.selfDid,
        createdAtMs: this.clock.now(),
        content: Buffer.from(data).toString('utf8'),
      });
      return simulatedFromDidComm(didComm, BigInt(input.amount ?? 0));
    }
    return {
      id: input.id ?? sampleMessageId(this.ids),
      replyToId: input.replyToId ?? '',
      fromPubkey: input.fromPubkey ?? peer.pubkey,
      data,
      serviceType: input.serviceType ?? 'message',
      amount: BigInt(input.amount ?? 1),
    };
  }

  private publish(message: SimulatedMessage): void {
    const frame = this.encoder.result(message, this.apiVersion);
    this.counts.messagesSent++;
    for (const subscriber of this.subscribers) {
      subscriber.deliver(frame);
    }
    this.onDidSendEmitter.fire(message);
  }

  private peerName(recipient: string): string {
    const peer = this.peers.find((candidate) => candidate.pubkey === recipient || candidate.did === recipient);
    return peer ? describePeer(peer, this.apiVersion) : `${recipient.slice(0, 16)}… (not a sample peer)`;
  }

  private clearTimer(name: 'trafficTimer' | 'refuseTimer'): void {
    const timer = this[name];
    if (timer !== undefined) {
      this.clock.clearTimeout(timer);
      this[name] = undefined;
    }
  }
}

function checkRate(rate: number): number {
  if (!Number.isFinite(rate) || rate < 0) {
    throw new RangeError(`rate must be ≥ 0 messages per second, not ${rate}`);
  }
  return rate;
}

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0] ?? '/';
}

function answer(response: http.ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new Error(`request body is over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** What the peer quotes back: the text, shortened, or a byte count for binary data. */
function previewOf(data: Uint8Array): string {
  const view = viewData(data);
  if (view.kind === 'binary') {
    return `${view.byteLength} bytes`;
  }
  return view.text.length > 1000 ? `${view.text.slice(0, 1000)}…` : view.text;
}
