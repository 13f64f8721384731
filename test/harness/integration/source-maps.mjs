// Maps stack frames of the compiled suites back to their TypeScript lines. Node's own source map
// support does not help inside VS Code: the extension host installs its own Error.prepareStackTrace.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import * as path from 'node:path';

const maps = new Map();

/** Rewrites each `/abs/file.js:line:column` in `stack` whose file has a map next to it. */
export function remapStack(stack) {
  return stack.replace(/(\/[^\s()]+\.js):(\d+):(\d+)/g, (frame, file, line, column) => {
    const entry = mapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry?.originalSource) return frame;
    const source = path.resolve(path.dirname(file), entry.originalSource.replace(/^file:\/\//, ''));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function mapOf(file) {
  if (!maps.has(file)) {
    const mapFile = `${file}.map`;
    maps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined);
  }
  return maps.get(file);
}
