// `npx impervious-events` from the package as npm ships it: packed, installed into an empty folder
// (its dependencies come from the npm registry), and run there, far from this clone.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../../..');
const PEER = '02' + '5a'.repeat(32);
/** npm commands are bounded: a registry that does not answer fails the test rather than hanging it. */
const NPM_TIMEOUT_MS = 150_000;

describe('command line: the npm package', function () {
  this.timeout(NPM_TIMEOUT_MS * 2 + 30_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-pack-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('packs, installs into an empty folder, and runs there with npx: --version and a request file against --simulate', async () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // `npm pack` bundles first (the prepack script), as a publish would.
    const { stdout: packed } = await run(npm, ['pack', '--pack-destination', dir, '--silent'], { cwd: root, timeout: NPM_TIMEOUT_MS });
    const tarball = path.join(dir, packed.trim().split('\n').at(-1)!);
    assert.ok(fs.existsSync(tarball), tarball);

    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    await run(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: project, timeout: NPM_TIMEOUT_MS });
    const installed = path.join(project, 'node_modules', 'impervious-events');
    // The package is the command line: no sources, no extension bundle.
    assert.ok(fs.existsSync(path.join(installed, 'dist', 'cli.js')));
    assert.ok(!fs.existsSync(path.join(installed, 'src')) && !fs.existsSync(path.join(installed, 'dist', 'extension.js')));

    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const { stdout: version } = await run(npm, ['exec', '--no', '--', 'impervious-events', '--version'], { cwd: project, timeout: 60_000 });
    assert.strictEqual(version.trim(), manifest.version);

    fs.writeFileSync(path.join(project, 'ping.imp'), `### ping\nSEND ${PEER}\n\nping\n\n> expect reply.data contains "ping"\n`);
    const { stdout } = await run(npm, ['exec', '--no', '--', 'impervious-events', 'run', 'ping.imp', '--simulate'], { cwd: project, timeout: 60_000 });
    assert.strictEqual(stdout.trim().split('\n').at(-1), '1 passed, 0 failed');
  });
});
