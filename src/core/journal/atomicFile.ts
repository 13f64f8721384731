import * as fs from 'fs';
import * as path from 'path';

/**
 * Replaces `file` with `text` through a temporary file and a rename, so a crash leaves either the
 * old or the new content, never half of one. Synchronous, so it also completes from `deactivate()`.
 */
export function writeFileAtomic(file: string, text: string): void {
  const temporary = `${file}.tmp`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
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
