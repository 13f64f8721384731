import * as fs from 'fs';
import { setAsideDamaged, sweepTemporaries, writeFileAtomic } from './atomicFile';

export interface SnapshotLoad<T> {
  readonly value: T | undefined;
  /** Where an unreadable file was moved to, if it was. */
  readonly setAside?: string;
}

/**
 * A small JSON document saved whole (`writeFileAtomic`): a crash leaves either the old or the new
 * version. Saving is synchronous, so it also completes from `deactivate()`, where VS Code no longer
 * waits for its own storage.
 */
export class SnapshotFile<T> {
  constructor(readonly file: string) {}

  load(): SnapshotLoad<T> {
    sweepTemporaries(this.file);
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return { value: undefined };
    }
    try {
      return { value: JSON.parse(text) as T };
    } catch {
      try {
        return { value: undefined, setAside: setAsideDamaged(this.file) };
      } catch {
        return { value: undefined };
      }
    }
  }

  save(value: T): void {
    writeFileAtomic(this.file, JSON.stringify(value));
  }
}
