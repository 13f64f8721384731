import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Plants a generation newer than any there, as a window that crashed holding the lock leaves it. */
export function plantStaleLock(guarded: string, how: 'dead process' | 'untouched'): void {
  const directory = `${guarded}.lock`;
  fs.mkdirSync(directory, { recursive: true });
  const newest = Math.max(0, ...fs.readdirSync(directory).filter((name) => /^\d+$/.test(name)).map(Number));
  const planted = path.join(directory, String(newest + 1));
  // A pid no process has; or this live process's, untouched for a minute (a holder stopped that long).
  fs.writeFileSync(planted, how === 'dead process' ? '999999999 deadbeef' : `${process.pid} deadbeef`);
  if (how === 'untouched') {
    const minuteAgo = new Date(Date.now() - 60_000);
    fs.utimesSync(planted, minuteAgo, minuteAgo);
  }
}

/** A journal's path in a directory of its own for each test, removed after it. */
export function journalPerTest(prefix: string): { readonly file: string; readonly dir: string } {
  const paths = { file: '', dir: '' };
  beforeEach(() => {
    paths.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    paths.file = path.join(paths.dir, 'messages.ndjson');
  });
  afterEach(() => fs.rmSync(paths.dir, { recursive: true, force: true }));
  return paths;
}
