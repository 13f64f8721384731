import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../../..');
// `vscode.l10n.t('…')` with a string literal first: the form `npm run l10n` exports.
const CALL = /\bl10n\.t\(\s*(?:'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)"|`((?:\\.|[^`\\$])*)`)/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(file) : entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** The text of a JS string literal's body: the escapes these sources use. */
function unescape(body: string): string {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, escape: string) => {
    if (escape.startsWith('u{')) return String.fromCodePoint(parseInt(escape.slice(2, -1), 16));
    if (escape.length > 1) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[escape] ?? escape;
  });
}

/** Every message a source passes to `l10n.t`. */
function localizedMessages(source: string): string[] {
  return [...source.matchAll(CALL)].map((match) => unescape(match[1] ?? match[2] ?? match[3] ?? ''));
}

describe('the English l10n bundle', () => {
  const bundle: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.json'), 'utf8'));
  const used = new Map<string, string>();
  for (const file of sourceFiles(path.join(root, 'src'))) {
    for (const message of localizedMessages(fs.readFileSync(file, 'utf8'))) {
      used.set(message, path.relative(root, file));
    }
  }

  it('holds every message the extension localizes, and no other (`npm run l10n` rebuilds it)', () => {
    assert.ok(used.size > 0, 'l10n.t calls were found');
    assert.deepStrictEqual([...used].filter(([message]) => bundle[message] === undefined).map(([message, file]) => `${file}: ${message}`), []);
    assert.deepStrictEqual(Object.keys(bundle).filter((message) => !used.has(message)), []);
    // English is the source: each message is its own text.
    assert.deepStrictEqual(Object.entries(bundle).filter(([key, value]) => key !== value), []);
  });

  it('reads the messages of calls however they are quoted and escaped', () => {
    const source = [
      "vscode.l10n.t('{0}: not running', name);",
      'vscode.l10n.t("Impervious: {0}", node)',
      'l10n.t(`Set API Key\\u2026`)',
      "vscode.l10n.t(\n  'It\\'s {0}',\n  x)",
      'vscode.l10n.t(variable)',
    ].join('\n');
    assert.deepStrictEqual(localizedMessages(source), ['{0}: not running', 'Impervious: {0}', 'Set API Key…', "It's {0}"]);
  });
});
