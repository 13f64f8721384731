// The built command line (dist/cli.js) spawned as a user or a CI job runs it, against a simulated
// node on loopback: exit codes, reports and output as they reach a shell.
import * as assert from 'assert';
import { execFileSync, spawn } from 'child_process';
import { XMLParser } from 'fast-xml-parser';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { startSimulatedNode, type SimulatedNode } from '../../../src/core/simulator/simulatedNode';
import { sampleRequestText } from '../../../src/vscode/requests/sampleRequestFile';
import { until } from '../helpers/waitFor';

const root = path.resolve(__dirname, '../../../..');
const CLI = path.join(root, 'dist', 'cli.js');
const PEER = '02' + '5a'.repeat(32);

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI to its end (or kills it after `timeoutMs`), with no terminal and no colour settings inherited. */
function cli(args: readonly string[], cwd: string, timeoutMs = 20_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, GITHUB_ACTIONS: '', NO_COLOR: '' };
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`impervious-events ${args.join(' ')} did not end within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** POST /v1/message/send as any script would; resolves with the new message's ID. */
function restSend(sim: SimulatedNode, text: string): Promise<string> {
  const body = JSON.stringify({ msg: Buffer.from(text).toString('base64'), pubkey: PEER, amount: '1' });
  return new Promise((resolve, reject) => {
    const request = http.request(`${sim.restUrl}/v1/message/send`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let answer = '';
      response.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
      response.on('end', () => resolve((JSON.parse(answer) as { id: string }).id));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const PASSING = `@peer = ${PEER}
### ping
# @name ping
SEND {{peer}}

hello

> expect reply within 5s
> expect reply.data contains "hello"
`;

const FAILING = `@peer = ${PEER}
### ping
# @name ping
SEND {{peer}}

hello

> expect reply.data == "pong"
`;

const PROBLEM = `### broken
SEND {{nobody}}

hello
`;

const QUOTE = `@peer = ${PEER}
### ask for a quote
# @name quote
SEND {{peer}}

{"action":"quote"}

> expect reply.json.price_sat == 250

### pay what the peer asked
# @name pay
SEND {{peer}}
Amount: {{quote.reply.json.price_sat}}

paying
`;

describe('command line, end to end (dist/cli.js against a simulated node on loopback)', function () {
  this.timeout(60_000);
  let dir: string;
  let sim: SimulatedNode;

  before(() => {
    // Built as `npm run cli` builds it, so these tests run what a user runs.
    execFileSync(process.execPath, ['scripts/build.mjs', '--cli-only'], { cwd: root, stdio: 'inherit' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-cli-'));
    fs.writeFileSync(path.join(dir, 'passing.imp'), PASSING);
    fs.writeFileSync(path.join(dir, 'failing.imp'), FAILING);
    fs.writeFileSync(path.join(dir, 'problem.imp'), PROBLEM);
    fs.writeFileSync(path.join(dir, 'quote.imp'), QUOTE);
    fs.writeFileSync(path.join(dir, 'sample.imp'), sampleRequestText([{ name: 'alice', pubkey: PEER }]));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    sim = await startSimulatedNode({ port: 0, seed: 3, replyDelayMs: 20 });
  });

  afterEach(async () => {
    await sim.close();
  });

  const node = () => ['--node', sim.subscribeUrl];

  it('--simulate: the sample request file passes (exit 0), one line per block and the closing line', async () => {
    const result = await cli(['run', 'sample.imp', '--simulate'], dir);
    assert.strictEqual(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.strictEqual(lines[0], 'sample.imp');
    assert.match(lines[1]!, /^ {2}PASS ping {2}sent [0-9a-f]{64} {2}replied in \d+ ms$/);
    assert.match(lines[2]!, /^ {2}PASS followUp {2}sent [0-9a-f]{64} {2}replied in \d+ ms$/);
    assert.strictEqual(lines.at(-1), '2 passed, 0 failed');
  });

  it('a passing file against a node named with --node: exit 0, the sends reached that node', async () => {
    const result = await cli(['run', 'passing.imp', ...node()], dir);
    assert.strictEqual(result.code, 0, result.stderr);
    assert.strictEqual(result.stdout.trim().split('\n').at(-1), '1 passed, 0 failed');
    assert.strictEqual(sim.stats.restRequests, 1);
  });

  it('a failing expectation: exit 1, and the JUnit report names it with expected and actual', async () => {
    const result = await cli(['run', 'failing.imp', 'passing.imp', ...node(), '--junit', 'out/results.xml', '--json', 'out/results.json'], dir);
    assert.strictEqual(result.code, 1, result.stderr);
    assert.match(result.stdout, /FAIL ping {2}sent [0-9a-f]{64} {2}replied in \d+ ms {2}line 8: reply\.data: expected "pong", got "re: hello"/);
    assert.strictEqual(result.stdout.trim().split('\n').at(-1), '1 passed, 1 failed');
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(fs.readFileSync(path.join(dir, 'out/results.xml'), 'utf8'));
    const [failing, passing] = junit.testsuites.testsuite;
    assert.deepStrictEqual([failing.name, failing.failures, passing.name, passing.failures], ['failing.imp', '1', 'passing.imp', '0']);
    const testcase = failing.testcase[0];
    assert.strictEqual(testcase.name, 'ping');
    assert.strictEqual(testcase.failure.message, 'reply.data: expected "pong", got "re: hello"');
    assert.match(testcase.failure['#text'], /expected: "pong"\nactual: "re: hello"/);
    assert.match(testcase['system-out'], /^sent: [0-9a-f]{64}\nreply: [0-9a-f]{64}$/);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'out/results.json'), 'utf8'));
    assert.deepStrictEqual([json.passed, json.failed, json.exitCode], [1, 1, 1]);
  });

  it('a file with a problem: exit 2, the problem at file:line:column, and nothing sent from any file', async () => {
    const result = await cli(['run', 'passing.imp', 'problem.imp', ...node()], dir);
    assert.strictEqual(result.code, 2);
    assert.match(result.stderr, /^problem\.imp:2:6: error: Unknown variable "nobody"$/m);
    assert.strictEqual(sim.stats.restRequests, 0, 'the simulated node saw no send');
    assert.strictEqual(sim.stats.connections, 0);
  });

  it('a usage error: exit 2, on stderr, with where to look', async () => {
    const result = await cli(['run', 'passing.imp', '--timeout', 'soon'], dir);
    assert.strictEqual(result.code, 2);
    assert.match(result.stderr, /--timeout takes a duration/);
    assert.match(result.stderr, /See impervious-events run --help\./);
    assert.strictEqual(result.stdout, '');
  });

  it('a closed port: exit 3, and what to check', async () => {
    const port = await closedPort();
    const result = await cli(['run', 'passing.imp', '--node', `ws://127.0.0.1:${port}/v1/subscribe`], dir);
    assert.strictEqual(result.code, 3, result.stderr);
    assert.match(result.stderr, /not running/);
    assert.match(result.stderr, /Check that the node runs/);
  });

  it('a refused API key: exit 3, and how to pass one', async () => {
    await sim.close();
    sim = await startSimulatedNode({ port: 0, seed: 3, replyDelayMs: 20, apiKey: 'right' });
    const result = await cli(['run', 'passing.imp', ...node(), '--api-key-env', 'IMP_TEST_KEY'], dir).catch((error: Error) => assert.fail(error));
    assert.strictEqual(result.code, 2, 'IMP_TEST_KEY is not set: a usage error');
    const env = { ...process.env, IMP_TEST_KEY: 'wrong' };
    const refused = await new Promise<Finished>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'run', 'passing.imp', ...node(), '--api-key-env', 'IMP_TEST_KEY'], { cwd: dir, env });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('close', (code) => resolve({ code, stdout: '', stderr }));
    });
    assert.strictEqual(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /--api-key-env/);
    assert.ok(!refused.stderr.includes('wrong'), 'the key is never printed');
  });

  it('an amount a peer chose, over the limit: exit 4, refused and said, not sent (with --allow-reply-amounts too)', async () => {
    for (const extra of [[], ['--allow-reply-amounts']]) {
      const before = sim.stats.restRequests;
      const result = await cli(['run', 'quote.imp', ...node(), ...extra], dir);
      assert.strictEqual(result.code, 4, result.stderr);
      assert.match(result.stderr, /Not sent \(spend rules\): The amount of the next send, 250 sat, came from the reply to "quote"/);
      assert.match(result.stdout, /PASS quote/);
      assert.match(result.stdout, /FAIL pay {2}not sent: the amount for this run was not confirmed/);
      assert.strictEqual(sim.stats.restRequests - before, 1, 'only the quote request was sent');
    }
    const allowed = await cli(['run', 'quote.imp', ...node(), '--allow-reply-amounts', '--spend-limit', '1000'], dir);
    assert.strictEqual(allowed.code, 0, allowed.stderr);
  });

  it('Ctrl+C (SIGINT): the run stops without another send and exits 130 at once, its closing line printed', async () => {
    await sim.close();
    sim = await startSimulatedNode({ port: 0, seed: 3, replyDelayMs: 20_000 });
    fs.writeFileSync(path.join(dir, 'two.imp'), `${PASSING}\n### again\nSEND {{peer}}\n\nagain\n`);
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, 'run', 'two.imp', ...node()], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(() => sim.stats.restRequests === 1, 'the first send', 15_000);
    child.kill('SIGINT');
    assert.strictEqual(await closed, 130);
    assert.ok(Date.now() - started < 15_000);
    assert.strictEqual(sim.stats.restRequests, 1);
    assert.strictEqual(stdout.trim().split('\n').at(-1), '0 passed, 1 failed, 1 skipped');
  });

  it('tail --count 5 --json: five NDJSON lines, each a message with every field', async () => {
    sim.setRate(20);
    const result = await cli(['tail', ...node(), '--count', '5', '--json'], dir);
    assert.strictEqual(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.strictEqual(lines.length, 5);
    for (const line of lines) {
      const record = JSON.parse(line);
      assert.deepStrictEqual(Object.keys(record).slice(0, 8), ['node', 'id', 'replyToId', 'fromPubkey', 'data', 'serviceType', 'amount', 'receivedAt']);
      assert.strictEqual(record.node, sim.subscribeUrl);
      assert.match(record.id, /^[0-9a-f]{64}$/);
      if (record.text !== undefined) {
        assert.strictEqual(Buffer.from(record.data, 'base64').toString('utf8'), record.text);
      }
    }
  });

  it('wait <id>: the simulated peer\'s reply to a send made with curl-like REST, exit 0; an ID nobody answers, exit 1 at --timeout', async () => {
    await sim.close();
    sim = await startSimulatedNode({ port: 0, seed: 3, replyDelayMs: 3000 });
    const id = await restSend(sim, 'are you there');
    const result = await cli(['wait', id, ...node(), '--timeout', '20s', '--json'], dir);
    assert.strictEqual(result.code, 0, result.stderr);
    const reply = JSON.parse(result.stdout);
    assert.deepStrictEqual([reply.replyToId, reply.fromPubkey, reply.text], [id, PEER, 're: are you there']);

    const timedOut = await cli(['wait', 'f'.repeat(64), ...node(), '--timeout', '300ms'], dir);
    assert.strictEqual(timedOut.code, 1);
    assert.match(timedOut.stderr, /No reply to f{64} within 300 ms\./);
  });

  it('send --wait: the ID, then the reply', async () => {
    const result = await cli(['send', PEER, 'hello there', ...node(), '--wait', '--timeout', '10s'], dir);
    assert.strictEqual(result.code, 0, result.stderr);
    const [id, reply] = result.stdout.trim().split('\n');
    assert.match(id!, /^[0-9a-f]{64}$/);
    assert.match(reply!, /re: hello there$/);
    assert.ok(reply!.includes(`↩ ${id}`), reply);
    const tooMuch = await cli(['send', PEER, 'hello', ...node(), '--amount', '101'], dir);
    assert.strictEqual(tooMuch.code, 4);
    assert.match(tooMuch.stderr, /Not sent \(spend rules\)/);
  });
});
