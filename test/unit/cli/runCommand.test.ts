// `run` in process, against a simulated node on loopback: the options that pick, stop and report.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Interruption } from '../../../src/cli/commandContext';
import { runCommandLine } from '../../../src/cli/commandLine';
import { ExitCode } from '../../../src/cli/exitCodes';
import { startSimulatedNode, type SimulatedNode } from '../../../src/core/simulator/simulatedNode';
import { capturedTerminal } from '../helpers/outputCapture';
import { until } from '../helpers/waitFor';

const PEER = '02' + '5a'.repeat(32);

const FILE = `@peer = ${PEER}
@word = hello
### first
# @name first
SEND {{peer}}

{{word}}

> expect reply.data == "re: bye"

### second
# @name second
SEND {{peer}}
Reply-To: {{first.id}}

second

> expect reply.data contains "second"

### third
# @name third
SEND {{peer}}

third
`;

describe('command line: run in process', function () {
  this.timeout(30_000);
  let dir: string;
  let sim: SimulatedNode;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-run-'));
    fs.writeFileSync(path.join(dir, 'chain.imp'), FILE);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    sim = await startSimulatedNode({ port: 0, seed: 5, replyDelayMs: 20 });
  });

  afterEach(() => sim.close());

  async function run(args: string[], interruption = new Interruption(), env: NodeJS.ProcessEnv = {}) {
    const { terminal, stdout, stderr } = capturedTerminal(env);
    const code = await runCommandLine(['run', 'chain.imp', '--node', `sim=${sim.subscribeUrl}`, ...args], { terminal, cwd: dir, env, stdin: process.stdin, interruption });
    return { code, stdout: stdout.text, stderr: stderr.text, lines: stdout.text.trim().split('\n') };
  }

  it('--var overrides a file variable', async () => {
    const failing = await run([]);
    assert.strictEqual(failing.code, ExitCode.Failed);
    const passing = await run(['--var', 'word=bye']);
    assert.strictEqual(passing.code, ExitCode.Passed, passing.stdout + passing.stderr);
    assert.strictEqual(passing.lines.at(-1), '3 passed, 0 failed');
  });

  it('--grep runs the matching blocks and what they reference; the others are skipped', async () => {
    const result = await run(['--grep', '^sec', '--var', 'word=bye', '--json', 'r.json']);
    assert.strictEqual(result.code, ExitCode.Passed, result.stderr);
    assert.strictEqual(result.lines.at(-1), '2 passed, 0 failed, 1 skipped');
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    assert.deepStrictEqual(report.files[0].blocks.map((block: { name: string; status: string }) => [block.name, block.status]), [['first', 'passed'], ['second', 'passed'], ['third', 'skipped']]);
    assert.strictEqual(report.files[0].blocks[2].skipped, 'not selected by --grep');
    const none = await run(['--grep', 'nothing-like-this']);
    assert.strictEqual(none.code, ExitCode.Usage);
  });

  it('--bail stops at the first failed block: nothing more is sent, the rest is skipped', async () => {
    const result = await run(['--bail']);
    assert.strictEqual(result.code, ExitCode.Failed);
    assert.strictEqual(result.lines.at(-1), '0 passed, 1 failed, 2 skipped');
    assert.strictEqual(sim.stats.restRequests, 1);
  });

  it('GitHub annotations at the failed expectation\'s line, on GITHUB_ACTIONS=true', async () => {
    const result = await run([], new Interruption(), { GITHUB_ACTIONS: 'true' });
    assert.ok(result.lines.includes('::error file=chain.imp,line=9,title=first failed::reply.data: expected "re: bye", got "re: hello"'), result.stdout);
  });

  it('Ctrl+C stops the run cleanly: the wait ends, nothing more is sent, the reports are written, exit 130', async () => {
    await sim.close();
    sim = await startSimulatedNode({ port: 0, seed: 5, replyDelayMs: 20_000 });
    const interruption = new Interruption();
    const started = Date.now();
    const pending = run(['--junit', 'stopped.xml'], interruption);
    await until(() => sim.stats.restRequests === 1, 'the first send', 10_000);
    interruption.interrupt();
    const result = await pending;
    assert.strictEqual(result.code, ExitCode.Interrupted);
    assert.ok(Date.now() - started < 10_000);
    assert.strictEqual(sim.stats.restRequests, 1);
    assert.match(result.stderr, /Stopping: no more sends/);
    assert.strictEqual(result.lines.at(-1), '0 passed, 1 failed, 2 skipped');
    assert.match(fs.readFileSync(path.join(dir, 'stopped.xml'), 'utf8'), /<skipped message="not run: the run was interrupted"\/>/);
  });

  it('a node that refuses the key after a drop ends the run: the drop is said, the wait ends, exit 3', async () => {
    await sim.close();
    sim = await startSimulatedNode({ port: 0, seed: 5, replyDelayMs: 20_000 });
    const pending = run([]);
    await until(() => sim.stats.restRequests === 1, 'the first send', 10_000);
    sim.setApiKey('a key this run does not have');
    sim.dropAll();
    const result = await pending;
    assert.strictEqual(result.code, ExitCode.Unreachable, result.stderr);
    assert.match(result.stderr, /\[sim\] reconnecting/);
    assert.match(result.stderr, /--api-key-env/);
    assert.strictEqual(result.lines.at(-1), '0 passed, 1 failed, 2 skipped');
  });
});
