// One state machine: connecting, the heartbeat, frame pacing and the reconnect backoff share the
// socket and its timers, and every ending decides what comes next.
// The handshake (subscribeHandshake.ts) and the wording of problems (connectionProblems.ts) stand apart.
import * as l10n from '@vscode/l10n';
import WebSocket from 'ws';
import { Backoff, type Random } from './backoff';
import { systemClock, type Clock, type TimerHandle } from '../base/clock';
import { AUTH_CODES, describeClose, describeSocketError, formatDelay, sentence, WRONG_URL_CODES } from './connectionProblems';
import { Emitter, rethrowListenerError, type Event, type ListenerErrorHandler } from '../base/emitter';
import { FrameDecoder, type EncodedMessageHolder } from '../wire/frameDecoder';
import { checkSubscribeUrl, type NodeConfig } from './nodeConfig';
import type { ApiVersion, NodeMessage } from '../nodeMessage';
import { ReadTurn } from './readTurn';
import { redact } from './redact';
import type { ConnectionState, ConnectionStatus } from './connectionStatus';
import { subscribeHandshake } from './subscribeHandshake';
import type { WireSchema } from '../wire/wireSchema';

export type { ConnectionState, ConnectionStatus } from './connectionStatus';

export interface ConnectionCounters {
  /** Frames received, whatever they were. */
  framesReceived: number;
  /** Frames that became a `NodeMessage`. */
  accepted: number;
  /** `{"error":...}` frames and bare gateway errors. */
  errorFrames: number;
  /** Frames that could not be decoded. */
  rejected: number;
  /** Of those, frames the decoder failed on (a bug in it, not an invalid frame). */
  decoderErrors: number;
  /** Connection attempts after the first. */
  reconnects: number;
  /** Connections that ended without the user asking. */
  drops: number;
}

export interface RejectedFrame {
  readonly reason: string;
  /** The frame's size in bytes. */
  readonly length: number;
}

export interface StreamError {
  readonly code: number;
  readonly message: string;
  readonly wrapped: boolean;
}

/** Opens the socket; tests and the benchmark may wrap or replace it. */
export type SocketFactory = (url: string, protocols: string[], options: WebSocket.ClientOptions) => WebSocket;

export interface NodeConnectionOptions {
  readonly node: NodeConfig;
  readonly apiKey?: string;
  readonly schema?: WireSchema;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly socketFactory?: SocketFactory;
  readonly handshakeTimeoutMs?: number;
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  /** A connection that lasts this long resets the backoff; a flapping one does not. */
  readonly stableAfterMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  /** Larger frames close the connection with 1009. */
  readonly maxPayload?: number;
  /** Told of every listener of this connection's events that throws (default: rethrown, uncaught). */
  readonly onListenerError?: ListenerErrorHandler;
  /** Shared by a window's connections, so together they yield the event loop as one would (default: this connection's own). */
  readonly readTurn?: ReadTurn;
  /** Holds messages as the decoder's fast path reads them, from the frame's bytes (see `FrameDecoderOptions.holder`). */
  readonly holder?: EncodedMessageHolder;
}

const defaultSocketFactory: SocketFactory = (url, protocols, options) => new WebSocket(url, protocols, options);

/**
 * One live subscription to one node's `/v1/subscribe` stream.
 *
 * The node drops the TCP connection at every stream end (close code 1006) and never replays, so
 * reconnecting is this class's job: exponential backoff with full jitter, reset only after a
 * connection has been stable. It never sends data frames: the node stops answering pings once a
 * client does. Liveness is a client ping with a pong deadline.
 */
export class NodeConnection {
  readonly node: NodeConfig;
  readonly counters: ConnectionCounters = { framesReceived: 0, accepted: 0, errorFrames: 0, rejected: 0, decoderErrors: 0, reconnects: 0, drops: 0 };

  private readonly onDidChangeStatusEmitter: Emitter<ConnectionStatus>;
  private readonly onDidReceiveMessageEmitter: Emitter<NodeMessage>;
  private readonly onDidRejectFrameEmitter: Emitter<RejectedFrame>;
  private readonly onDidReceiveErrorEmitter: Emitter<StreamError>;
  readonly onDidChangeStatus: Event<ConnectionStatus>;
  readonly onDidReceiveMessage: Event<NodeMessage>;
  readonly onDidRejectFrame: Event<RejectedFrame>;
  readonly onDidReceiveError: Event<StreamError>;

  private readonly apiKey: string | undefined;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly decoder: FrameDecoder;
  private readonly socketFactory: SocketFactory;
  private readonly handshakeTimeoutMs: number;
  private readonly pingIntervalMs: number;
  private readonly pongTimeoutMs: number;
  private readonly stableAfterMs: number;
  private readonly maxPayload: number;

  private currentStatus: ConnectionStatus = { state: 'disconnected', detail: l10n.t('Not connected.') };
  private socket: WebSocket | undefined;
  private wanted = false;
  /** Set when the current socket ended for a reason that must stop retrying. */
  private stopReason: ConnectionStatus | undefined;
  /** Why the current socket is ending, when we know better than its close code. */
  private endReason: string | undefined;
  /** The current attempt was refused (ECONNREFUSED). */
  private refused = false;
  private retryTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private pongTimer: TimerHandle | undefined;
  private stableTimer: TimerHandle | undefined;
  private attempts = 0;
  private readonly readTurn: ReadTurn;
  /** See `readTime`. */
  private readAt: number | undefined;

  constructor(options: NodeConnectionOptions) {
    this.node = options.node;
    this.readTurn = options.readTurn ?? new ReadTurn();
    const onListenerError = options.onListenerError ?? rethrowListenerError;
    this.onDidChangeStatusEmitter = new Emitter('NodeConnection.onDidChangeStatus', onListenerError);
    this.onDidReceiveMessageEmitter = new Emitter('NodeConnection.onDidReceiveMessage', onListenerError);
    this.onDidRejectFrameEmitter = new Emitter('NodeConnection.onDidRejectFrame', onListenerError);
    this.onDidReceiveErrorEmitter = new Emitter('NodeConnection.onDidReceiveError', onListenerError);
    this.onDidChangeStatus = this.onDidChangeStatusEmitter.event;
    this.onDidReceiveMessage = this.onDidReceiveMessageEmitter.event;
    this.onDidRejectFrame = this.onDidRejectFrameEmitter.event;
    this.onDidReceiveError = this.onDidReceiveErrorEmitter.event;
    this.apiKey = options.apiKey || undefined;
    this.clock = options.clock ?? systemClock;
    this.backoff = new Backoff({ baseMs: options.backoffBaseMs, capMs: options.backoffCapMs, random: options.random });
    this.decoder = new FrameDecoder({ node: options.node.name, apiVersion: options.node.apiVersion, schema: options.schema, holder: options.holder });
    this.socketFactory = options.socketFactory ?? defaultSocketFactory;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
    this.pingIntervalMs = options.pingIntervalMs ?? 15_000;
    this.pongTimeoutMs = options.pongTimeoutMs ?? 10_000;
    this.stableAfterMs = options.stableAfterMs ?? 10_000;
    this.maxPayload = options.maxPayload ?? 4 * 1024 * 1024;
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  get state(): ConnectionState {
    return this.currentStatus.state;
  }

  /** The API generation of the stream, once known. */
  get apiVersion(): ApiVersion | undefined {
    return this.decoder.apiVersion;
  }

  /** Starts (or restarts after an auth failure) the subscription. A no-op while already live. */
  connect(): void {
    if (this.wanted && this.state !== 'disconnected') {
      return;
    }
    this.wanted = true;
    this.backoff.reset();
    this.attempts = 0;
    this.open();
  }

  /** Stops the subscription and every retry. */
  disconnect(detail = l10n.t('Disconnected.')): void {
    this.wanted = false;
    this.clearTimer('retryTimer');
    const socket = this.socket;
    this.socket = undefined;
    this.stopHeartbeat();
    if (socket) {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      // terminate() destroys the socket at once; close() would wait for a close frame the node never sends.
      socket.terminate();
    }
    this.setStatus({ state: 'disconnected', detail });
  }

  dispose(): void {
    this.disconnect();
    this.onDidChangeStatusEmitter.dispose();
    this.onDidReceiveMessageEmitter.dispose();
    this.onDidRejectFrameEmitter.dispose();
    this.onDidReceiveErrorEmitter.dispose();
  }

  private open(): void {
    this.retryTimer = undefined;
    const urlProblem = checkSubscribeUrl(this.node.url);
    if (urlProblem) {
      return this.stop({ state: 'disconnected', detail: l10n.t('Not connecting: {0}.', urlProblem), configError: true });
    }
    const handshake = subscribeHandshake(this.node, this.apiKey, { handshakeTimeoutMs: this.handshakeTimeoutMs, maxPayload: this.maxPayload });
    if ('problem' in handshake) {
      return this.stop({ state: 'disconnected', detail: l10n.t('Not connecting: {0}.', handshake.problem), configError: true });
    }
    const reconnecting = this.attempts > 0;
    this.attempts++;
    if (reconnecting) {
      this.counters.reconnects++;
    }
    this.stopReason = undefined;
    this.endReason = undefined;
    this.refused = false;
    // Another knock on a door that was refused a moment ago is not news: the status stays "not running".
    if (!(reconnecting && this.currentStatus.notRunning)) {
      this.setStatus({
        state: reconnecting ? 'reconnecting' : 'connecting',
        detail: reconnecting ? l10n.t('Reconnecting to {0}…', this.node.url) : l10n.t('Connecting to {0}…', this.node.url),
      });
    }
    let socket: WebSocket;
    try {
      socket = this.socketFactory(this.node.url, handshake.protocols, handshake.options);
    } catch (error) {
      return this.stop({ state: 'disconnected', detail: sentence(l10n.t('Not connecting: {0}', this.describeError(error))), configError: true });
    }
    this.socket = socket;
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data, isBinary) => this.onFrame(socket, data, isBinary));
    socket.on('pong', () => this.clearTimer('pongTimer'));
    socket.on('error', (error) => this.onSocketError(socket, error));
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString()));
  }

  private onOpen(socket: WebSocket): void {
    if (socket !== this.socket) {
      return;
    }
    this.setStatus({ state: 'connected', detail: l10n.t('Connected to {0}.', this.node.url) });
    this.stableTimer = this.clock.setTimeout(() => {
      this.stableTimer = undefined;
      this.backoff.reset();
    }, this.stableAfterMs);
    this.schedulePing(socket);
  }

  private onFrame(socket: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    if (socket !== this.socket) {
      return;
    }
    this.counters.framesReceived++;
    this.readTurn.frame(socket);
    const frame = toBytes(data);
    const receivedAt = this.readTime();
    const result = isBinary ? this.decoder.decode(frame, receivedAt) : this.decoder.decodeText(frame, receivedAt);
    switch (result.kind) {
      case 'message':
        this.counters.accepted++;
        this.onDidReceiveMessageEmitter.fire(result.message);
        return;
      case 'rejected':
        this.counters.rejected++;
        if (result.decoderError !== undefined) {
          this.counters.decoderErrors++;
        }
        this.onDidRejectFrameEmitter.fire({ reason: result.reason, length: frame.byteLength });
        return;
      case 'error':
        this.counters.errorFrames++;
        this.onStreamError(socket, { code: result.code, message: redact(result.message, this.apiKey), wrapped: result.wrapped });
        return;
    }
  }

  /**
   * When the frames in hand were read: the clock, read once for all the frames that one read from
   * the socket handed over at once (they arrived together; reading the clock per frame costs more
   * than the rest of a small frame's bookkeeping). Read again once the current task is over.
   */
  private readTime(): number {
    let time = this.readAt;
    if (time === undefined) {
      time = this.clock.now();
      this.readAt = time;
      queueMicrotask(this.forgetReadTime);
    }
    return time;
  }

  private readonly forgetReadTime = (): void => {
    this.readAt = undefined;
  };

  /** The stream is over after an error frame; the node drops the connection, we make sure of it. */
  private onStreamError(socket: WebSocket, error: StreamError): void {
    this.onDidReceiveErrorEmitter.fire(error);
    const summary = l10n.t('{0} (code {1})', error.message || l10n.t('error'), error.code);
    if (AUTH_CODES.has(error.code)) {
      this.stopReason = {
        state: 'disconnected',
        detail: l10n.t('Authentication failed: {0}. Set the API key with "Impervious: Set API Key", then connect again.', summary),
        authFailed: true,
      };
    } else if (!error.wrapped && WRONG_URL_CODES.has(error.code)) {
      this.stopReason = {
        state: 'disconnected',
        detail: l10n.t('The node has no stream at {0}: {1}. Check the URL (usually ws://host:8882/v1/subscribe).', this.node.url, summary),
        configError: true,
      };
    } else {
      this.endReason = l10n.t('The node ended the stream: {0}', summary);
    }
    socket.terminate();
  }

  private onSocketError(socket: WebSocket, error: Error): void {
    if (socket !== this.socket) {
      return;
    }
    const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
    if (status === '401' || status === '403') {
      this.stopReason = {
        state: 'disconnected',
        detail: l10n.t('Authentication failed: the node answered HTTP {0}. Set the API key with "Impervious: Set API Key", then connect again.', status),
        authFailed: true,
      };
      return;
    }
    const code = (error as NodeJS.ErrnoException).code;
    this.refused = code === 'ECONNREFUSED';
    if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || code === 'WS_ERR_INVALID_UTF8') {
      // ws refuses the frame and closes (1009, 1007) before handing it over: count it as a
      // received and rejected frame, so that every frame the node sent is accounted for.
      this.counters.framesReceived++;
      this.counters.rejected++;
      this.onDidRejectFrameEmitter.fire(
        code === 'WS_ERR_INVALID_UTF8'
          ? { reason: l10n.t('text frame that is not valid UTF-8'), length: 0 } // ws does not say how long
          : { reason: l10n.t('frame over the {0}-byte limit', this.maxPayload), length: this.maxPayload + 1 },
      );
    }
    this.endReason = this.describeError(error);
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    this.readTurn.forget(socket);
    if (socket !== this.socket) {
      return;
    }
    this.socket = undefined;
    this.stopHeartbeat();
    socket.removeAllListeners();
    if (!this.wanted) {
      return;
    }
    const wasOpen = this.currentStatus.state === 'connected';
    if (wasOpen) {
      this.counters.drops++;
    }
    if (this.stopReason) {
      return this.stop(this.stopReason);
    }
    const why = this.endReason ?? describeClose(code, redact(reason, this.apiKey), wasOpen);
    const delay = this.backoff.next();
    const retryAt = this.clock.now() + delay;
    this.setStatus({
      state: 'reconnecting',
      detail: l10n.t('{0} Retrying in {1}.', sentence(why), formatDelay(delay)),
      retryAt,
      ...(this.refused ? { notRunning: true } : {}),
    });
    this.retryTimer = this.clock.setTimeout(() => this.open(), delay);
  }

  private schedulePing(socket: WebSocket): void {
    this.pingTimer = this.clock.setTimeout(() => {
      this.pingTimer = undefined;
      if (socket !== this.socket) {
        return;
      }
      this.pongTimer = this.clock.setTimeout(() => {
        this.pongTimer = undefined;
        if (socket === this.socket) {
          this.endReason = l10n.t('No pong within {0}: the connection stalled', formatDelay(this.pongTimeoutMs));
          socket.terminate();
        }
      }, this.pongTimeoutMs);
      try {
        socket.ping();
      } catch {
        // A socket closing under us: its close event follows.
      }
      this.schedulePing(socket);
    }, this.pingIntervalMs);
  }

  private stopHeartbeat(): void {
    this.clearTimer('pingTimer');
    this.clearTimer('pongTimer');
    this.clearTimer('stableTimer');
  }

  private stop(status: ConnectionStatus): void {
    this.wanted = false;
    this.setStatus(status);
  }

  private clearTimer(name: 'retryTimer' | 'pingTimer' | 'pongTimer' | 'stableTimer'): void {
    const handle = this[name];
    if (handle !== undefined) {
      this.clock.clearTimeout(handle);
      this[name] = undefined;
    }
  }

  private setStatus(status: ConnectionStatus): void {
    this.currentStatus = { ...status, detail: redact(status.detail, this.apiKey) };
    this.onDidChangeStatusEmitter.fire(this.currentStatus);
  }

  private describeError(error: unknown): string {
    return describeSocketError(error, this.node.url, this.maxPayload, this.apiKey);
  }
}

function toBytes(data: WebSocket.RawData): Buffer {
  if (Array.isArray(data)) {
    return Buffer.concat(data);
  }
  return data instanceof ArrayBuffer ? Buffer.from(data) : data;
}
