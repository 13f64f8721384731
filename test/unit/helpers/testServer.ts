import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import type { Duplex } from 'stream';
import { WebSocketServer, type WebSocket } from 'ws';

export interface TestServerOptions {
  /** Return an HTTP status to refuse the upgrade with it. */
  readonly refuse?: (request: http.IncomingMessage) => number | undefined;
  readonly autoPong?: boolean;
  readonly tls?: { key: Buffer; cert: Buffer };
}

/**
 * A bare websocket server on loopback for connection tests that need to control exactly what the
 * "node" does (the simulator's own behaviour is tested in simulator.test.ts).
 */
export class TestServer {
  readonly sockets: WebSocket[] = [];
  readonly handshakes: http.IncomingMessage[] = [];
  /** Data frames clients sent (a client must never send any). */
  readonly received: string[] = [];
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly rawSockets = new Set<Duplex>();
  private connectionListeners: ((socket: WebSocket) => void)[] = [];

  private constructor(private readonly options: TestServerOptions) {
    this.server = options.tls ? https.createServer(options.tls) : http.createServer();
    this.wss = new WebSocketServer({
      noServer: true,
      autoPong: options.autoPong ?? true,
      // Echo the "Bearer" subprotocol like the node's proxy does.
      handleProtocols: (protocols) => (protocols.has('Bearer') ? 'Bearer' : false),
    });
    this.server.on('connection', (socket) => {
      this.rawSockets.add(socket);
      socket.on('close', () => this.rawSockets.delete(socket));
    });
    this.server.on('upgrade', (request, socket, head) => {
      this.handshakes.push(request);
      const status = this.options.refuse?.(request);
      if (status) {
        socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-length: 0\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        this.sockets.push(ws);
        ws.on('message', (data) => this.received.push(data.toString()));
        this.connectionListeners.forEach((listener) => listener(ws));
      });
    });
  }

  static async start(options: TestServerOptions = {}): Promise<TestServer> {
    const server = new TestServer(options);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/v1/subscribe'): string {
    return `${this.options.tls ? 'wss' : 'ws'}://127.0.0.1:${this.port}${path}`;
  }

  /** Resolves with the next client connection. */
  nextConnection(): Promise<WebSocket> {
    return new Promise((resolve) => {
      const listener = (socket: WebSocket) => {
        this.connectionListeners = this.connectionListeners.filter((candidate) => candidate !== listener);
        resolve(socket);
      };
      this.connectionListeners.push(listener);
    });
  }

  /** Ends every connection the way the node does: a TCP drop, no close frame (1006). */
  dropAll(): void {
    for (const socket of this.sockets) {
      socket.terminate();
    }
  }

  async close(): Promise<void> {
    this.dropAll();
    for (const socket of this.rawSockets) {
      socket.destroy();
    }
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function resultFrame(fields: Record<string, string>): string {
  return JSON.stringify({
    result: { id: '', replyToId: '', fromPubkey: '', data: '', serviceType: 'message', amount: '0', ...fields },
  });
}
