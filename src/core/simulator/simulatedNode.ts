// The simulator's one public face: its options, stats and methods are what tests, the benchmark and
// the extension call; the streams, REST endpoint, traffic and faults it ties together each have
// their own file.
import * as http from 'http';
import type { Socket } from 'net';
import { performance } from 'perf_hooks';
import type { Duplex } from 'stream';
import { systemClock, type Clock, type TimerHandle } from '../base/clock';
import { Emitter, type Event } from '../base/emitter';
import type { ApiVersion } from '../nodeMessage';
import { loadWireTypes, type WireTypes } from '../wire/wireTypes';
import { basicMessage, sampleDid } from './didComm';
import { describeFaults, mergeFaults, NO_FAULTS, type SimulatorFaults } from './faults';
import { GarbageFrames } from './garbageFrames';
import { HostilePacer, hostileSchedule, type HostileStep } from './hostileTraffic';
import { Prng } from './prng';
import { RestEndpoint, SUBSCRIBE_PATH } from './restEndpoint';
import { describePeer, samplePeers, SampleTraffic, type SamplePeer } from './samplePeers';
import type { MessageInput, SimulatedMessage } from './simulatedMessage';
import { StoredMessageList } from './storedMessages';
import { Streams, type AuthFailure } from './streams';
import { SubscribeFrameEncoder } from './subscribeFrames';
import { buildMessage, checkRate, TrafficPacer } from './traffic';

export type { AuthFailure } from './streams';

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
  /** Time between two steps of the hostile schedule (the `hostile` fault). Default 250 ms. */
  readonly hostileIntervalMs?: number;
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

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;
const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;

/** Starts a simulated Impervious node on loopback; resolves once it listens. */
export function startSimulatedNode(options: SimulatedNodeOptions = {}): Promise<SimulatedNode> {
  return SimulatedNode.start(options);
}

/**
 * A stand-in for an Impervious node's HTTP side: the `/v1/subscribe` websocket (`Streams`) and
 * `POST /v1/message/send` (`RestEndpoint`), with the framing, quirks and failure modes of the real
 * gateway and websocket proxy (see impervious-api.md), sample peers that talk (`TrafficPacer`),
 * and switchable faults. This class owns the listener and ties the parts together.
 */
export class SimulatedNode {
  readonly host: string;
  readonly apiVersion: ApiVersion;
  readonly peers: readonly SamplePeer[];
  /** The simulated node's own identity (v1 messages are addressed to it). */
  readonly selfDid: string;

  private readonly onDidSendEmitter = new Emitter<SimulatedMessage>();
  /** Every message put on the stream, as subscribers decode it. */
  readonly onDidSend: Event<SimulatedMessage> = this.onDidSendEmitter.event;
  readonly onDidChangeSubscribers: Event<number>;

  private readonly clock: Clock;
  private readonly types: WireTypes;
  private readonly encoder: SubscribeFrameEncoder;
  private readonly traffic: SampleTraffic;
  private readonly ids: Prng;
  private readonly garbage: GarbageFrames;
  private readonly log: (line: string) => void;
  private readonly server: http.Server;
  private readonly streams: Streams;
  private readonly rest: RestEndpoint;
  private readonly pacer: TrafficPacer;
  private readonly hostile: HostilePacer;
  private readonly sockets = new Set<Socket>();
  /** What a v1 node keeps and answers on `GET /v1/message`; a v0.1.x node keeps nothing. */
  private readonly stored: StoredMessageList | undefined;
  private readonly counts = { messagesSent: 0, framesSent: 0, connections: 0, drops: 0, restRequests: 0 };

  private listenPort: number;
  private currentFaults: SimulatorFaults;
  private apiKey: string | undefined;
  private readonly authFailure: AuthFailure;
  private readonly apiKeyOnStream: boolean;
  private readonly initialRate: number;
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

    this.stored = this.apiVersion === 'v1' ? new StoredMessageList(this.selfDid) : undefined;
    this.streams = new Streams({
      clock: this.clock,
      faults: () => this.currentFaults,
      nextGarbage: () => this.garbage.next(),
      log: this.log,
      countFrame: () => this.counts.framesSent++,
      countDrop: () => this.counts.drops++,
      countConnection: () => this.counts.connections++,
      apiKey: () => this.apiKey,
      apiKeyOnStream: this.apiKeyOnStream,
      authFailure: this.authFailure,
    });
    this.onDidChangeSubscribers = this.streams.onDidChangeSubscribers;
    this.rest = new RestEndpoint({
      apiVersion: this.apiVersion,
      types: this.types,
      clock: this.clock,
      ids: this.ids,
      replyDelayMs: options.replyDelayMs ?? 300,
      apiKey: () => this.apiKey,
      log: this.log,
      countRequest: () => this.counts.restRequests++,
      peerName: (recipient) => this.peerName(recipient),
      emit: (input) => this.emit(input),
      sendError: () => this.currentFaults.sendError,
      sent: (id, request) =>
        this.stored?.sent(
          basicMessage({ id, replyToId: request.replyToId, from: this.selfDid, to: request.recipient, createdAtMs: this.clock.now(), content: Buffer.from(request.data).toString('utf8') }),
          this.clock.now(),
        ),
      storedMessages: () => this.stored?.body() ?? '{"messages":[]}',
    });
    this.pacer = new TrafficPacer(this.clock, () => this.emitSample());
    const hostileIds = seed.fork('hostile');
    this.hostile = new HostilePacer(
      this.clock,
      options.hostileIntervalMs ?? 250,
      (round) => hostileSchedule(round, hostileIds, (this.peers[0] as SamplePeer).pubkey),
      () => this.streams.liveSize > 0,
      (step, round) => this.runHostileStep(step, round),
    );
    this.server = http.createServer((request, response) => this.rest.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (request, socket, head) => this.onUpgrade(request, socket, head));
    this.server.on('error', (error) => this.log(`server error: ${error.message}`));
    this.initialRate = checkRate(options.rate ?? 0);
  }

  static async start(options: SimulatedNodeOptions = {}): Promise<SimulatedNode> {
    const node = new SimulatedNode(options);
    await node.listen();
    node.log(
      `simulated ${node.apiVersion} node on ${node.subscribeUrl} (REST ${node.restUrl}); ` +
        `${node.peers.length} peers, ${node.initialRate} msg/s, faults: ${describeFaults(node.currentFaults)}` +
        (node.apiKey ? `; API key required${node.apiKeyOnStream ? ` (stream: ${node.authFailure})` : ' (REST only)'}` : ''),
    );
    node.setRate(node.initialRate);
    node.hostile.set(node.currentFaults.hostile);
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
    return { ...this.counts, subscribers: this.streams.size };
  }

  get faults(): SimulatorFaults {
    return this.currentFaults;
  }

  /** Switches faults on or off; open streams follow from their next frame. */
  setFaults(changes: Partial<SimulatorFaults>): SimulatorFaults {
    this.currentFaults = mergeFaults(this.currentFaults, changes);
    this.log(`faults: ${describeFaults(this.currentFaults)}`);
    this.hostile.set(this.currentFaults.hostile && !this.closed);
    return this.currentFaults;
  }

  /** Sets the sample peers' message rate (per second; 0 stops them). */
  setRate(rate: number): void {
    this.pacer.setRate(rate, !this.closed);
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

  /** Sends the sample peers' next message now, as their traffic would. */
  emitSample(sender?: SamplePeer): SimulatedMessage {
    const message = this.traffic.next(sender);
    this.publish(message);
    return message;
  }

  /**
   * Sends `count` messages as fast as the subscribers take them: it waits whenever one has more
   * than `highWaterMark` bytes queued, so a burst of 200,000 frames never sits in memory at once.
   */
  async burst(count: number, options: BurstOptions = {}): Promise<BurstResult> {
    const framesBefore = this.counts.framesSent;
    const started = performance.now();
    const make = options.message;
    const sent = await this.streams.pace(
      count,
      options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
      (index) => this.publish(make ? this.build(make(index)) : this.traffic.next()),
      () => this.closed,
    );
    return { messages: sent, frames: this.counts.framesSent - framesBefore, elapsedMs: performance.now() - started };
  }

  /** Messages a v1 node keeps (`GET /v1/message`): received, with or without a subscriber, and sent; 0 on v0.1.x. */
  get storedCount(): number {
    return this.stored?.size ?? 0;
  }

  /** Stores `entry` as it is in a v1 node's message list, whatever it is (a test's hostile entry). */
  storeRaw(entry: unknown): void {
    this.requireStore().addRaw(entry);
  }

  /** Makes a v1 node's `GET /v1/message` answer `bytes` larger (0: as it is), to exceed a client's bound. */
  padStoredMessages(bytes: number): void {
    this.requireStore().padBytes(bytes);
    this.log(bytes > 0 ? `message list padded by ${bytes} bytes` : 'message list no longer padded');
  }

  /** Ends every open stream with `{"error":{"code":...}}` and a drop, as a failing node does. */
  sendError(code: number, message: string): void {
    this.streams.fail(code, message);
  }

  /** Drops every open stream now (no close frame). */
  dropAll(why = 'dropped on request'): void {
    this.streams.drop(why);
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
    this.streams.terminate();
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
    return this.streams.waitFor(count, timeoutMs);
  }

  /** Stops everything: traffic, pending replies, sockets, the server. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.pacer.stop();
    this.hostile.stop();
    this.clearRefuseTimer();
    this.rest.dispose();
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.streams.close();
    if (this.server.listening) {
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
    this.refuseDone?.();
    this.refuseDone = undefined;
    this.log(`stopped after ${this.counts.messagesSent} messages, ${this.counts.framesSent} frames, ${this.counts.connections} connections`);
    this.onDidSendEmitter.dispose();
    this.streams.dispose();
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
    this.streams.upgrade(++this.connectionNumber, request, socket, head);
  }

  private build(input: MessageInput): SimulatedMessage {
    return buildMessage(input, { apiVersion: this.apiVersion, clock: this.clock, ids: this.ids, peer: this.peers[0] as SamplePeer, selfDid: this.selfDid });
  }

  private publish(message: SimulatedMessage): void {
    const frame = this.encoder.result(message, this.apiVersion);
    this.counts.messagesSent++;
    // Stored whether or not anyone is subscribed: the stream never replays, the list has it.
    this.stored?.received(message, this.clock.now());
    this.streams.deliver(frame);
    this.onDidSendEmitter.fire(message);
  }

  private runHostileStep(step: HostileStep, round: number): void {
    if (step.kind === 'error') {
      this.log(`hostile round ${round}: ${step.name} (code ${step.code})`);
      this.streams.fail(step.code, step.message);
      return;
    }
    this.log(`hostile round ${round}: ${step.name} (${step.messages.length} message${step.messages.length === 1 ? '' : 's'})`);
    for (const input of step.messages) {
      this.publish(this.build(input));
    }
  }

  private requireStore(): StoredMessageList {
    if (!this.stored) {
      throw new Error('a v0.1.x node keeps no messages: start the simulator with apiVersion v1');
    }
    return this.stored;
  }

  private peerName(recipient: string): string {
    const peer = this.peers.find((candidate) => candidate.pubkey === recipient || candidate.did === recipient);
    return peer ? describePeer(peer, this.apiVersion) : `${recipient.slice(0, 16)}… (not a sample peer)`;
  }

  private clearRefuseTimer(): void {
    if (this.refuseTimer !== undefined) {
      this.clock.clearTimeout(this.refuseTimer);
      this.refuseTimer = undefined;
    }
  }
}
