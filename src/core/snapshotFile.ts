import * as fs from 'fs';
import * as path from 'path';

export interface SnapshotLoad<T> {
  readonly value: T | undefined;
  /** Where an unreadable file was moved to, if it was. */
  readonly setAside?: string;
}

/**
 * A small JSON document saved whole: written to a temporary file and renamed over the old one, so
 * a crash leaves either the old or the new version, never half of one. Saving is synchronous, so it
 * also completes from `deactivate()`, where VS Code no longer waits for its own storage.
 */
export class SnapshotFile<T> {
  constructor(readonly file: string) {}

  load(): SnapshotLoad<T> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return { value: undefined };
    }
    try {
      return { value: JSON.parse(text) as T };
    } catch {
      const setAside = `${this.file}.damaged-${Date.now()}`;
      try {
        fs.renameSync(this.file, setAside);
        return { value: undefined, setAside };
      } catch {
        return { value: undefined };
      }
    }
  }

  save(value: T): void {
    const temporary = `${this.file}.tmp`;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(temporary, JSON.stringify(value));
    fs.renameSync(temporary, this.file);
  }
}
