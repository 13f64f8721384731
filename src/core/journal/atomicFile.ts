import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { runNow, type Steps } from '../base/steps';

export interface AtomicWriteOptions {
  /** Writes one piece to the temporary file (the default writes it whole). */
  readonly write?: (fd: number, piece: string | Uint8Array) => void;
  /** Called after each piece: long writes keep a lock alive from here. */
  readonly onPiece?: () => void;
  /** Called before the rename; throwing cancels it and leaves `file` as it was. */
  readonly beforeRename?: () => void;
}

/** The prefix of `file`'s temporary files, before the writer's pid: each write has its own name, so two writers never share one. */
function temporaryPrefix(file: string): string {
  return `${path.basename(file)}.tmp-`;
}

/**
 * Removes the temporary files of `file` whose writer is gone (killed mid-write: nothing else
 * removes them). A live writer's are left alone, whatever it is doing.
 */
export function sweepTemporaries(file: string): void {
  const directory = path.dirname(file);
  const prefix = temporaryPrefix(file);
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) ? /^(\d+)-/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (pid !== undefined && !isRunning(Number(pid))) {
      try {
        fs.rmSync(path.join(directory, name), { force: true });
      } catch {
        // Left for the next sweep: it is never read.
      }
    }
  }
}

/** Whether a process of this pid runs, on this machine. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: running, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Replaces `file` with `content` through a temporary file and a rename, so a crash leaves either
 * the old or the new content, never half of one. Content given in pieces is written piece by piece,
 * never joined: a large file never becomes one string. Synchronous, so it also completes from
 * `deactivate()`. A failed write removes its temporary file.
 */
export function writeFileAtomic(file: string, content: string | Iterable<string | Uint8Array>, options: AtomicWriteOptions = {}): void {
  runNow(writeFileAtomicSteps(file, content, options));
}

/** `writeFileAtomic` as steps, one after each piece, for `runInTurns`: the rename still happens only once every piece is written. */
export function* writeFileAtomicSteps(file: string, content: string | Iterable<string | Uint8Array>, options: AtomicWriteOptions = {}): Steps<void> {
  const temporary = path.join(path.dirname(file), `${temporaryPrefix(file)}${process.pid}-${randomBytes(4).toString('hex')}`);
  const write = options.write ?? ((fd: number, piece: string | Uint8Array) => fs.writeFileSync(fd, piece));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(temporary, 'wx');
  try {
    try {
      for (const piece of typeof content === 'string' ? [content] : content) {
        write(fd, piece);
        options.onPiece?.();
        yield;
      }
    } finally {
      fs.closeSync(fd);
    }
    options.beforeRename?.();
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Moves a file that could not be read out of the way (to `<file>.damaged-<time>`), so it is kept
 * for a look but never trusted or overwritten. Returns where it went; throws if the rename fails.
 */
export function setAsideDamaged(file: string): string {
  const setAside = `${file}.damaged-${Date.now()}`;
  fs.renameSync(file, setAside);
  return setAside;
}
