import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * A lock file next to the file it guards, so that one process at a time writes it (two VS Code
 * windows on one profile share the held-messages journal). Taking it creates `<file>.lock`
 * exclusively with the owner's pid, a token and the time; releasing removes it only while it still
 * holds that token. A lock is stale, and taken over, when its owner is no longer running or it is
 * older than `staleMs` (a write holds it for milliseconds): a crashed window never blocks another.
 * Two processes that find the same stale lock at the same moment can both take it over; that needs
 * a crash and a race within milliseconds, and costs at most one interleaved batch, which loading
 * skips as a damaged line.
 */
export class FileLock {
  readonly file: string;
  private token: string | undefined;

  constructor(
    guarded: string,
    private readonly staleMs = 10_000,
  ) {
    this.file = `${guarded}.lock`;
  }

  get held(): boolean {
    return this.token !== undefined;
  }

  /** Takes the lock if it is free or stale; never waits. */
  tryAcquire(): boolean {
    if (this.token !== undefined) {
      return true;
    }
    if (this.create()) {
      return true;
    }
    if (this.isStale()) {
      try {
        fs.unlinkSync(this.file);
      } catch {
        // Another process took it over first; trying once more decides.
      }
      return this.create();
    }
    return false;
  }

  /** Waits (asynchronously) up to `timeoutMs` for the lock. */
  async acquire(timeoutMs = 5000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (!this.tryAcquire()) {
      if (Date.now() >= end) {
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
    return true;
  }

  /** Waits synchronously (for `deactivate()` and activation) up to `timeoutMs` for the lock. */
  acquireSync(timeoutMs = 2000): boolean {
    const end = Date.now() + timeoutMs;
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while (!this.tryAcquire()) {
      if (Date.now() >= end) {
        return false;
      }
      Atomics.wait(sleeper, 0, 0, 5 + Math.random() * 20);
    }
    return true;
  }

  release(): void {
    const token = this.token;
    this.token = undefined;
    if (token === undefined) {
      return;
    }
    try {
      if (fs.readFileSync(this.file, 'utf8').split(' ')[1] === token) {
        fs.unlinkSync(this.file);
      }
    } catch {
      // Already gone, or taken over as stale: nothing of ours to remove.
    }
  }

  private create(): boolean {
    const token = randomBytes(8).toString('hex');
    let fd: number;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fd = fs.openSync(this.file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        return false;
      }
      throw error;
    }
    try {
      fs.writeSync(fd, `${process.pid} ${token} ${Date.now()}`);
    } finally {
      fs.closeSync(fd);
    }
    this.token = token;
    return true;
  }

  private isStale(): boolean {
    let text: string;
    let modified: number;
    try {
      text = fs.readFileSync(this.file, 'utf8');
      modified = fs.statSync(this.file).mtimeMs;
    } catch {
      // Gone since: free, as far as this process can tell; `create` decides.
      return true;
    }
    const [pid, , at] = text.split(' ');
    const since = Number(at);
    if (Date.now() - (Number.isFinite(since) ? since : modified) > this.staleMs) {
      return true;
    }
    return pid !== undefined && /^\d+$/.test(pid) && !isRunning(Number(pid));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: running, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
