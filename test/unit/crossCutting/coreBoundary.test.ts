import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('src/core', () => {
  it('never imports vscode, so it runs and is tested in plain Node', () => {
    const root = path.resolve(__dirname, '../../../../src/core');
    const files = filesUnder(root);
    assert.ok(files.length > 5, `found the core sources (${files.length})`);
    const offenders = files.filter((file) =>
      /(?:from\s+|require\(\s*|import\(\s*)['"]vscode['"]/.test(fs.readFileSync(file, 'utf8')),
    );
    assert.deepStrictEqual(offenders, []);
  });
});
