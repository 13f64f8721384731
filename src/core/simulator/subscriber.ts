import type { Duplex } from 'stream';
import type WebSocket from 'ws';
import type { Clock, TimerHandle } from '../base/clock';
import { errorMessageFor, type SimulatorFaults } from './faults';
import type { GarbageFrame } from './garbageFrames';
import { isOversizeLine, streamErrorFrame } from './subscribeFrames';

/** What a stream needs from the simulated node it belongs to. */
export interface StreamContext {
  readonly clock: Clock;
  /** Read at every frame, so fault changes apply to open streams at once. */
  faults(): SimulatorFaults;
  nextGarbage(): GarbageFrame;
  log(line: string): void;
  /** Called for every frame written, whatever it was. */
  countFrame(): void;
  /** Called when the simulator drops a stream (not when the client leaves). */
  countDrop(): void;
}

/** How long a dropped stream may take to flush before its socket is destroyed anyway. */
const FLUSH_TIMEOUT_MS = 2000;

/**
 * One websocket connection to the simulated node, with the node's manners: text frames only,
 * no pings of its own, pongs only until the client sends a data frame, and every ending a TCP
 * drop without a close frame (the client sees 1006).
 */
export class Subscriber {
  /** Frames written on this stream, garbage and error frames included. */
  framesSent = 0;
  private messageFrames = 0;
  private clientSentData = false;
  private ending = false;
  private flushTimer: TimerHandle | undefined;

  constructor(
    readonly number: number,
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    private readonly context: StreamContext,
  ) {
    ws.on('error', () => undefined);
    ws.on('message', () => {
      // The proxy forwards client data into the request body, which a GET never reads: its read
      // loop blocks there and stops handling pings. The data itself is ignored.
      if (!this.clientSentData) {
        this.clientSentData = true;
        context.log(`connection #${number}: the client sent a data frame; no more pongs on this connection`);
      }
    });
    ws.on('ping', (data) => {
      if (!this.clientSentData && !context.faults().stall && !this.ending) {
        ws.pong(data);
      }
    });
    ws.on('close', () => this.clearFlushTimer());
  }

  /** Open and not being dropped: a frame sent now arrives. */
  get live(): boolean {
    return !this.ending && !this.socket.destroyed;
  }

  /** The client pays for a slow reader: the sender waits while this is over the mark. */
  isCongested(highWaterMark: number): boolean {
    return !this.ending && !this.socket.destroyed && this.ws.bufferedAmount > highWaterMark;
  }

  /**
   * Holds writes back until `uncork()`, so a burst goes out in a few large writes instead of a
   * system call per frame. Nests with the cork/uncork pair ws itself puts around every frame.
   */
  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  /** Resolves once the socket has written out its backlog, or is gone. */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) {
        return resolve();
      }
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Puts one `{"result":...}` frame on the stream, applying whatever faults are switched on. */
  deliver(frame: string): void {
    if (this.ending) {
      return;
    }
    const faults = this.context.faults();
    if (faults.stall) {
      return;
    }
    if (faults.oversizeEvery > 0 && (this.framesSent + 1) % faults.oversizeEvery === 0) {
      return this.drop(`an oversize line (frame ${this.framesSent + 1}, over 64 KiB) killed the stream`);
    }
    if (isOversizeLine(frame)) {
      return this.drop(`a ${Buffer.byteLength(frame)}-byte line is over the proxy's 64 KiB limit: frame lost, stream killed`);
    }
    this.write(frame);
    this.messageFrames++;
    if (faults.garbageEvery > 0 && this.messageFrames % faults.garbageEvery === 0) {
      const garbage = this.context.nextGarbage();
      this.write(garbage.payload, garbage.binary);
    }
    if (faults.errorCode !== undefined && this.framesSent >= faults.errorAfter) {
      return this.fail(faults.errorCode, errorMessageFor(faults));
    }
    if (faults.dropEvery > 0 && this.framesSent >= faults.dropEvery) {
      return this.drop(`dropped after ${this.framesSent} frames (drop every ${faults.dropEvery})`);
    }
  }

  /** Applies the faults that act as soon as a stream opens. */
  opened(): void {
    const faults = this.context.faults();
    if (faults.errorCode !== undefined && faults.errorAfter === 0) {
      this.fail(faults.errorCode, errorMessageFor(faults));
    }
  }

  /** Ends the stream with a gRPC status, as the gateway does: an error frame, then the drop. */
  fail(code: number, message: string): void {
    this.finish(streamErrorFrame(code, message), `ended with error ${code} (${message})`);
  }

  /** Sends one last frame (an error, a bare gateway status), then drops the connection. */
  finish(frame: string, why: string): void {
    if (this.ending) {
      return;
    }
    this.write(frame);
    this.drop(why);
  }

  /**
   * Drops the TCP connection without a close frame, after what was already sent is flushed (the
   * proxy writes synchronously, so frames before the drop do arrive). `ws.close()` would send a
   * close frame, which the node never does.
   */
  drop(why: string): void {
    if (this.ending) {
      return;
    }
    this.ending = true;
    this.context.countDrop();
    this.context.log(`connection #${this.number}: ${why}`);
    this.socket.end();
    this.flushTimer = this.context.clock.setTimeout(() => this.terminate(), FLUSH_TIMEOUT_MS);
  }

  /** Destroys the connection at once, unsent frames and all (the node going down). */
  terminate(): void {
    this.ending = true;
    this.clearFlushTimer();
    this.ws.terminate();
    this.socket.destroy();
  }

  private write(payload: string | Uint8Array, binary = false): void {
    this.framesSent++;
    this.context.countFrame();
    if (binary) {
      this.ws.send(payload, { binary: true });
    } else {
      this.ws.send(payload);
    }
  }

  private clearFlushTimer(): void {
    if (this.flushTimer !== undefined) {
      this.context.clock.clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
  }
}
