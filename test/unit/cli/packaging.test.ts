import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../../..');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('command line: packaging', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

  it('is a bin of the package, `npm run cli` in a clone, bundled before `npm pack`', () => {
    assert.deepStrictEqual(manifest.bin, { 'impervious-events': 'bin/impervious-events.js' });
    const bin = fs.readFileSync(path.join(root, manifest.bin['impervious-events']), 'utf8');
    assert.ok(bin.startsWith('#!/usr/bin/env node\n'), 'runs as a program');
    assert.match(bin, /require\('\.\.\/dist\/cli\.js'\)/);
    assert.match(manifest.scripts.cli, /scripts\/build\.mjs --cli-only && node dist\/cli\.js$/);
    assert.match(manifest.scripts.prepack, /scripts\/build\.mjs --production --cli-only/);
  });

  it('stays out of the VSIX: .vscodeignore lets in the extension\'s bundles only, and packaging builds only those', () => {
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').filter((line) => line.startsWith('!'));
    assert.ok(ignore.includes('!dist/extension.js'));
    assert.deepStrictEqual(ignore.filter((line) => /cli|bin|dist\/\*|dist\/\*\*/.test(line)), []);
    assert.match(manifest.scripts['vscode:prepublish'], /--extension-only/);
    const build = fs.readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8');
    assert.match(build, /if \(args\.has\('--extension-only'\)\) return entry\.extension === true;/);
    assert.match(build, /\{ entryPoints: \['src\/cli\/main\.ts'\], outfile: 'dist\/cli\.js' \}/, 'the command line is not one of the extension\'s bundles');
  });

  it('the npm package holds the command line and what it reads at run time, not the sources', () => {
    const npmignore = fs.readFileSync(path.join(root, '.npmignore'), 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    assert.strictEqual(npmignore[0], '/*');
    for (const kept of ['!/bin/', '!/dist/cli.js', '!/proto/', '!/package.json']) {
      assert.ok(npmignore.includes(kept), kept);
    }
  });

  it('src/cli adapts src/core and never imports vscode or src/vscode', () => {
    const files = filesUnder(path.join(root, 'src/cli'));
    assert.ok(files.length > 5);
    const offenders = files.filter((file) => /(?:from\s+|require\(\s*|import\(\s*)['"](?:vscode|[./]+vscode\/[^'"]*)['"]/.test(fs.readFileSync(file, 'utf8')));
    assert.deepStrictEqual(offenders, []);
  });
});
