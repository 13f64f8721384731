import type * as http from 'http';
import type { Duplex } from 'stream';
import { setImmediate as nextTurn } from 'timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { Emitter, type Event } from '../base/emitter';
import { checkKey, keyProblem, streamKeyOf } from './apiKeyCheck';
import { browserOrigin, ORIGIN_REFUSED } from './browserOrigin';
import { pathOf, SUBSCRIBE_PATH } from './restEndpoint';
import { Subscriber, type StreamContext } from './subscriber';
import { gatewayErrorBody } from './subscribeFrames';

/** How the node refuses a stream without a valid key: HTTP 401 on the upgrade, or a code-16 error frame. */
export type AuthFailure = 'http401' | 'errorFrame';

/** What the streams need from the simulated node they belong to, besides what each stream needs. */
export interface StreamsContext extends StreamContext {
  /** Read at every upgrade: the key can change while the node runs. */
  apiKey(): string | undefined;
  readonly apiKeyOnStream: boolean;
  readonly authFailure: AuthFailure;
  countConnection(): void;
}

/** The longest stretch a burst runs without letting timers, REST calls and pings in. */
const BURST_SLICE = 4096;
/** Frames a burst queues per socket before handing them to the kernel in one write. */
const CORK_BATCH = 64;

/**
 * The node's `/v1/subscribe` websockets: the upgrade with its key check (as the websocket proxy
 * and the gateway do it), and every open stream, each a `Subscriber`.
 */
export class Streams {
  private readonly wss: WebSocketServer;
  private readonly subscribers = new Set<Subscriber>();
  private readonly onDidChangeSubscribersEmitter = new Emitter<number>();
  readonly onDidChangeSubscribers: Event<number> = this.onDidChangeSubscribersEmitter.event;

  constructor(private readonly context: StreamsContext) {
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
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Streams that are open and not being dropped. */
  get liveSize(): number {
    let live = 0;
    for (const subscriber of this.subscribers) {
      live += subscriber.live ? 1 : 0;
    }
    return live;
  }

  upgrade(number: number, request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const context = this.context;
    const origin = browserOrigin(request);
    if (origin !== undefined) {
      // Refused before the upgrade: a web page gets no stream and no frame.
      const body = gatewayErrorBody(7, ORIGIN_REFUSED);
      context.log(`connection #${number}: refused with HTTP 403, it carries a browser Origin (${JSON.stringify(origin.slice(0, 100))})`);
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    if (pathOf(request.url) !== SUBSCRIBE_PATH) {
      // The proxy upgrades whatever it is asked to; the gateway's 404 then arrives as one bare frame.
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        new Subscriber(number, ws, socket, context).finish(gatewayErrorBody(5, 'Not Found'), `unknown websocket path ${pathOf(request.url)}: Not Found`);
      });
      return;
    }
    const apiKey = context.apiKey();
    const check = apiKey && context.apiKeyOnStream ? checkKey(streamKeyOf(request), apiKey) : 'accepted';
    if (check !== 'accepted' && context.authFailure === 'http401') {
      const body = gatewayErrorBody(16, keyProblem(check));
      context.log(`connection #${number}: refused with HTTP 401 (${keyProblem(check)})`);
      socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const subscriber = new Subscriber(number, ws, socket, context);
      if (check !== 'accepted') {
        subscriber.fail(16, keyProblem(check));
        return;
      }
      this.add(subscriber, ws, request);
    });
  }

  /** Writes one frame to every open stream. */
  deliver(frame: string): void {
    for (const subscriber of this.subscribers) {
      subscriber.deliver(frame);
    }
  }

  /**
   * Calls `send` `count` times as fast as the subscribers take the frames: it waits whenever one
   * has more than `highWaterMark` bytes queued. Returns how many it sent before `stopped()`.
   */
  async pace(count: number, highWaterMark: number, send: (index: number) => void, stopped: () => boolean): Promise<number> {
    let sent = 0;
    while (sent < count && !stopped()) {
      const batch = Math.min(count - sent, CORK_BATCH);
      const corked = [...this.subscribers];
      for (const subscriber of corked) {
        subscriber.cork();
      }
      for (let i = 0; i < batch; i++, sent++) {
        send(sent);
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
    return sent;
  }

  /** Ends every open stream with `{"error":{"code":...}}` and a drop. */
  fail(code: number, message: string): void {
    for (const subscriber of this.subscribers) {
      subscriber.fail(code, message);
    }
  }

  /** Drops every open stream now (no close frame). */
  drop(why: string): void {
    for (const subscriber of this.subscribers) {
      subscriber.drop(why);
    }
  }

  /** Destroys every open stream's socket at once. */
  terminate(): void {
    for (const subscriber of this.subscribers) {
      subscriber.terminate();
    }
  }

  /** Resolves once at least `count` websocket clients are subscribed. */
  waitFor(count: number, timeoutMs: number): Promise<void> {
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

  /** Destroys every open stream and takes no more. */
  close(): void {
    this.terminate();
    this.wss.close();
  }

  dispose(): void {
    this.onDidChangeSubscribersEmitter.dispose();
  }

  private add(subscriber: Subscriber, ws: WebSocket, request: http.IncomingMessage): void {
    const context = this.context;
    context.countConnection();
    this.subscribers.add(subscriber);
    ws.on('close', () => {
      this.subscribers.delete(subscriber);
      context.log(`connection #${subscriber.number} closed after ${subscriber.framesSent} frames (${this.subscribers.size} subscribed)`);
      this.onDidChangeSubscribersEmitter.fire(this.subscribers.size);
    });
    context.log(`connection #${subscriber.number} subscribed from ${request.socket.remotePort ?? '?'} (${this.subscribers.size} subscribed)`);
    this.onDidChangeSubscribersEmitter.fire(this.subscribers.size);
    subscriber.opened();
  }
}
