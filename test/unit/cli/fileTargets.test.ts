import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError } from '../../../src/cli/exitCodes';
import { globRegExp, requestFilePaths } from '../../../src/cli/fileTargets';

describe('command line: which request files', () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-targets-'));
    for (const file of ['b.imp', 'a.imp', 'notes.txt', 'sub/c.imp', 'sub/deep/d.imp', 'node_modules/x/e.imp']) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), '');
    }
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const relative = (files: string[]) => files.map((file) => path.relative(dir, file).split(path.sep).join('/'));

  it('takes files in the order given, a folder\'s .imp files sorted (not node_modules), each file once', () => {
    assert.deepStrictEqual(relative(requestFilePaths(['sub/c.imp', '.', 'a.imp'], dir)), ['sub/c.imp', 'a.imp', 'b.imp', 'sub/deep/d.imp']);
  });

  it('expands globs itself, with * within a name and ** across folders', () => {
    assert.deepStrictEqual(relative(requestFilePaths(['*.imp'], dir)), ['a.imp', 'b.imp']);
    assert.deepStrictEqual(relative(requestFilePaths(['sub/**/*.imp'], dir)), ['sub/c.imp', 'sub/deep/d.imp']);
    assert.deepStrictEqual(relative(requestFilePaths([`${dir}/[b]?imp`], '/')), ['b.imp']);
    assert.ok(globRegExp('**/*.imp').test('x/y/z.imp') && globRegExp('**/*.imp').test('z.imp') && !globRegExp('*.imp').test('x/z.imp'));
  });

  it('says which target finds nothing (a usage error: exit 2)', () => {
    assert.throws(() => requestFilePaths(['missing.imp'], dir), (error: unknown) => error instanceof UsageError && /missing\.imp does not exist/.test(error.message));
    assert.throws(() => requestFilePaths(['*.nothing'], dir), /no file matches \*\.nothing/);
    fs.mkdirSync(path.join(dir, 'empty'), { recursive: true });
    assert.throws(() => requestFilePaths(['empty'], dir), /holds no \.imp file/);
  });
});
