import { fork, type ChildProcess } from 'child_process';
import * as path from 'path';

/** What parent and child say to each other: a `type` and whatever goes with it. */
export interface ControlMessage {
  readonly type: string;
  readonly [key: string]: unknown;
}

/**
 * A bench process (the simulator, a receiver) driven over the IPC channel: the parent sends a
 * command and awaits the message of the type that answers it.
 */
export class BenchChild {
  private readonly inbox: ControlMessage[] = [];
  private waiters: { type: string; resolve: (message: ControlMessage) => void; reject: (error: Error) => void }[] = [];
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(readonly name: string, private readonly process: ChildProcess) {
    process.on('message', (message: ControlMessage) => this.receive(message));
    this.exited = new Promise((resolve) => {
      process.on('exit', (code, signal) => {
        this.exitCode = code;
        const error = new Error(`${name} exited (${signal ?? code}) while the bench waited for it`);
        for (const waiter of this.waiters) {
          waiter.reject(error);
        }
        this.waiters = [];
        resolve(code);
      });
    });
  }

  /** Starts `out/bench/<module>.js` (compiled from `bench/<module>.ts`). */
  static start(name: string, module: string, args: readonly string[] = [], execArgv: readonly string[] = []): BenchChild {
    const child = fork(path.join(__dirname, `${module}.js`), [...args], {
      execArgv: [...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    return new BenchChild(name, child);
  }

  send(message: ControlMessage): void {
    this.process.send(message);
  }

  /** The next message of `type` (one that came before the call counts). */
  next(type: string, timeoutMs = 120_000): Promise<ControlMessage> {
    const index = this.inbox.findIndex((message) => message.type === type);
    if (index >= 0) {
      return Promise.resolve(this.inbox.splice(index, 1)[0] as ControlMessage);
    }
    if (this.exitCode !== undefined) {
      return Promise.reject(new Error(`${this.name} has exited`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        reject(new Error(`${this.name}: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry = {
        type,
        resolve: (message: ControlMessage) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(entry);
    });
  }

  /** Sends a command and waits for its answer. */
  async request(message: ControlMessage, answer: string, timeoutMs?: number): Promise<ControlMessage> {
    const reply = this.next(answer, timeoutMs);
    this.send(message);
    return reply;
  }

  /** Asks the process to end, and makes sure it does. */
  async stop(): Promise<void> {
    if (this.exitCode !== undefined) {
      return;
    }
    if (this.process.connected) {
      this.process.send({ type: 'exit' });
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  private receive(message: ControlMessage): void {
    if (message.type === 'failed') {
      const error = new Error(`${this.name} failed: ${String(message.error)}`);
      for (const waiter of this.waiters) {
        waiter.reject(error);
      }
      this.waiters = [];
      return;
    }
    const waiter = this.waiters.find((candidate) => candidate.type === message.type);
    if (waiter) {
      this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
      waiter.resolve(message);
    } else {
      this.inbox.push(message);
    }
  }
}

/** In a child: answers the parent's commands with `handle`; a throwing handler reports `failed`. */
export function serveParent(handle: (message: ControlMessage) => Promise<void> | void): void {
  if (!process.send) {
    console.error('this is a bench child process: run it through `npm run bench`');
    process.exit(2);
  }
  process.on('message', (message: ControlMessage) => {
    if (message.type === 'exit') {
      process.exit(0);
    }
    Promise.resolve()
      .then(() => handle(message))
      .catch((error: unknown) => {
        tell({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      });
  });
  // The parent going away must not leave a simulator listening.
  process.on('disconnect', () => process.exit(0));
}

export function tell(message: ControlMessage): void {
  process.send?.(message);
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
