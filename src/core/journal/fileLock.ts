import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { isRunning } from './atomicFile';

/**
 * A lock next to the file it guards, so that one process at a time writes it (two VS Code windows
 * on one profile share the held-messages journal).
 *
 * The lock is a directory, `<file>.lock`, of numbered generations: the newest one is the lock.
 * Taking it creates the next number exclusively (`wx`), so of any number of processes that find
 * the same free or stale generation exactly one succeeds, whether they found it free or took it
 * over. Nothing is unlinked to take a lock over (removing a lock someone has just re-created is
 * how two takers both win); only the new holder sweeps the generations before its own. A process
 * that created a number then checks that none newer appeared meanwhile (a contender that read the
 * directory before a sweep can re-create a swept number), and steps back if one did.
 *
 * The holder touches its generation while it works (a timer, and `refresh()` from long synchronous
 * work such as compaction), so a live holder is never taken over however long it works. A
 * generation is stale, and taken over, when it has not been touched for `staleMs` or its process
 * is gone; releasing marks it untouched since 1970, which is free. The one holder that can still
 * lose the lock is a process stopped for longer than `staleMs` (suspended, debugged): `verify()`
 * before a step that must not happen twice tells it.
 */
export class FileLock {
  /** The directory of generations. */
  readonly file: string;
  private mine: { readonly path: string; readonly generation: number } | undefined;
  private touchedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    guarded: string,
    readonly staleMs = 10_000,
  ) {
    this.file = `${guarded}.lock`;
  }

  get held(): boolean {
    return this.mine !== undefined;
  }

  /** Takes the lock if it is free or stale; never waits. Throws if the directory cannot be made or read. */
  tryAcquire(): boolean {
    if (this.mine) {
      return true;
    }
    const newest = this.newest();
    if (newest !== undefined && !this.isFree(newest)) {
      return false;
    }
    const generation = (newest ?? 0) + 1;
    const own = path.join(this.file, String(generation));
    if (!this.create(own)) {
      return false;
    }
    if (this.newest() !== generation) {
      // A contender that read an older directory made a newer one: it decides, this one steps back.
      removeQuietly(own);
      return false;
    }
    this.mine = { path: own, generation };
    this.touchedAt = Date.now();
    this.sweep(generation);
    this.timer = setInterval(() => this.refresh(), this.staleMs / 4);
    this.timer.unref();
    return true;
  }

  /**
   * Creates a generation with its owner line in one step: the line goes to a draft of this
   * process's own, linked to the generation's name (a link, like `wx`, fails if the name exists).
   * A process killed at any point leaves no generation, or one that names it: never an empty one,
   * which would read as held until it went stale. Without hard links, `wx` and a write.
   */
  private create(own: string): boolean {
    const owner = `${process.pid} ${randomBytes(8).toString('hex')}`;
    const draft = path.join(this.file, `${process.pid}-${randomBytes(4).toString('hex')}${DRAFT}`);
    fs.writeFileSync(draft, owner);
    try {
      fs.linkSync(draft, own);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        return false;
      }
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') {
        throw error;
      }
    } finally {
      removeQuietly(draft);
    }
    let fd: number;
    try {
      fd = fs.openSync(own, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        return false;
      }
      throw error;
    }
    try {
      fs.writeSync(fd, owner);
    } catch (error) {
      // Left empty, it would read as held until it went stale.
      removeQuietly(own);
      throw error;
    } finally {
      fs.closeSync(fd);
    }
    return true;
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

  /**
   * Tells the other processes the holder is alive. Cheap to call often (it touches the file at most
   * every `staleMs / 8`); long synchronous work calls it, since the timer cannot run meanwhile.
   */
  refresh(): void {
    if (!this.mine || Date.now() - this.touchedAt < this.staleMs / 8) {
      return;
    }
    this.touchedAt = Date.now();
    try {
      const now = new Date();
      fs.utimesSync(this.mine.path, now, now);
    } catch {
      // Swept by a newer holder: `verify()` says so where it matters.
    }
  }

  /** Whether this process still holds the lock (false after another took it over as stale). */
  verify(): boolean {
    if (!this.mine) {
      return false;
    }
    try {
      return this.newest() === this.mine.generation && fs.existsSync(this.mine.path);
    } catch {
      return false;
    }
  }

  release(): void {
    const mine = this.mine;
    this.mine = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
    if (!mine) {
      return;
    }
    try {
      fs.utimesSync(mine.path, 0, 0);
    } catch {
      // Swept by a newer holder: nothing of ours to free.
    }
  }

  /** The newest generation's number, if any. */
  private newest(): number | undefined {
    let names: string[];
    try {
      names = fs.readdirSync(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
      fs.mkdirSync(this.file, { recursive: true });
      names = [];
    }
    let newest: number | undefined;
    for (const name of names) {
      const generation = generationOf(name);
      if (generation !== undefined && (newest === undefined || generation > newest)) {
        newest = generation;
      }
    }
    return newest;
  }

  private isFree(generation: number): boolean {
    const file = path.join(this.file, String(generation));
    let text: string;
    let touched: number;
    try {
      touched = fs.statSync(file).mtimeMs;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      // Swept since, by a newer holder: the next look decides.
      return false;
    }
    if (Date.now() - touched > this.staleMs) {
      return true;
    }
    // An empty file is one being written: its time alone decides.
    const pid = text.split(' ')[0];
    return pid !== undefined && /^\d+$/.test(pid) && !isRunning(Number(pid));
  }

  /**
   * Removes the generations before the holder's (a contender that reads them now finds a newer
   * one), and the drafts of processes gone.
   */
  private sweep(generation: number): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.file);
    } catch {
      return;
    }
    for (const name of names) {
      const older = generationOf(name);
      // A draft of a process killed before it linked it.
      const drafter = name.endsWith(DRAFT) ? Number(name.split('-')[0]) : undefined;
      if ((older !== undefined && older < generation) || (drafter !== undefined && !isRunning(drafter))) {
        removeQuietly(path.join(this.file, name));
      }
    }
  }
}

const DRAFT = '.draft';

function generationOf(name: string): number | undefined {
  return /^\d{1,15}$/.test(name) ? Number(name) : undefined;
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Gone already.
  }
}
