// `run <file|dir|glob>…`: which request files, in which order. Files in the order given; a folder's
// `.imp` files and a glob's matches sorted by path. Globs are expanded here, not only by the shell,
// so `run 'requests/**/*.imp'` behaves the same in every shell and on Windows.
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './exitCodes';

export const REQUEST_FILE_EXTENSION = '.imp';

/** Folders never searched for request files when walking a folder or a `**`. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** Absolute paths of the request files named by `targets`, each once, in order. */
export function requestFilePaths(targets: readonly string[], cwd: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    if (!seen.has(file)) {
      seen.add(file);
      found.push(file);
    }
  };
  for (const target of targets) {
    if (isGlob(target)) {
      const matches = globFiles(target, cwd);
      if (matches.length === 0) {
        throw new UsageError(`run: no file matches ${target}.`);
      }
      matches.forEach(add);
      continue;
    }
    const absolute = path.resolve(cwd, target);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new UsageError(`run: ${target} does not exist. Name a request file (.imp), a folder of them or a glob.`);
    }
    if (stat.isDirectory()) {
      const files = walk(absolute).filter((file) => file.endsWith(REQUEST_FILE_EXTENSION));
      if (files.length === 0) {
        throw new UsageError(`run: ${target} holds no ${REQUEST_FILE_EXTENSION} file.`);
      }
      files.forEach(add);
    } else {
      add(absolute);
    }
  }
  return found;
}

export function isGlob(target: string): boolean {
  return /[*?[]/.test(target);
}

/** Files under the glob's fixed leading folders whose path matches it: `*`, `?`, `[…]` within a name, `**` across folders. */
export function globFiles(pattern: string, cwd: string): string[] {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  while (parts.length > 1 && !isGlob(parts[0]!)) {
    fixed.push(parts.shift()!);
  }
  const base = path.resolve(cwd, fixed.length > 0 ? fixed.join('/') || '/' : '.');
  const matcher = globRegExp(parts.join('/'));
  let files: string[];
  try {
    files = walk(base);
  } catch {
    return [];
  }
  return files.filter((file) => matcher.test(path.relative(base, file).split(path.sep).join('/')));
}

/** A glob (over `/`-separated relative paths) as an anchored regular expression. */
export function globRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      // `**/` matches no folder or any number of them; a trailing `**` anything below.
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:[^/]+/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) {
        source += '\\[';
      } else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else {
      source += char.replace(/[.+^${}()|\\\]]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Every file below `dir`, sorted, without following links to folders or entering SKIPPED_FOLDERS. */
function walk(dir: string): string[] {
  const files: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) {
          pending.push(full);
        }
      } else if (entry.isFile()) {
        files.push(full);
      }
    }
  }
  return files.sort();
}
