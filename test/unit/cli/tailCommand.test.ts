// `tail` in process: the stream through a drop, and what reaches the terminal.
import * as assert from 'assert';
import { Interruption } from '../../../src/cli/commandContext';
import { runCommandLine } from '../../../src/cli/commandLine';
import { ExitCode } from '../../../src/cli/exitCodes';
import { startSimulatedNode, type SimulatedNode } from '../../../src/core/simulator/simulatedNode';
import { capturedTerminal } from '../helpers/outputCapture';
import { until } from '../helpers/waitFor';

describe('command line: tail in process', function () {
  this.timeout(30_000);
  let sim: SimulatedNode;

  beforeEach(async () => {
    sim = await startSimulatedNode({ port: 0, seed: 8 });
  });

  afterEach(() => sim.close());

  function tail(args: string[], interruption = new Interruption()) {
    const { terminal, stdout, stderr } = capturedTerminal();
    const done = runCommandLine(['tail', '--node', `sim=${sim.subscribeUrl}`, ...args], { terminal, cwd: process.cwd(), env: {}, stdin: process.stdin, interruption });
    return { stdout, stderr, done };
  }

  it('goes on after the node drops the stream: it reconnects, says so on stderr, and counts on', async () => {
    const { stdout, stderr, done } = tail(['--count', '4']);
    await sim.waitForSubscribers(1);
    sim.emit({ data: 'one' });
    sim.emit({ data: 'two' });
    await until(() => stdout.text.split('\n').length > 2, 'two lines');
    sim.dropAll();
    await sim.waitForSubscribers(1, 10_000);
    await until(() => /connected/.test(stderr.text.split('\n').slice(-2).join('')), 'connected again', 10_000);
    sim.emit({ data: 'three' });
    sim.emit({ data: 'four' });
    sim.emit({ data: 'five' });
    assert.strictEqual(await done, ExitCode.Passed);
    const lines = stdout.text.trim().split('\n');
    assert.deepStrictEqual(lines.map((line) => line.split('  ').at(-1)), ['one', 'two', 'three', 'four']);
    assert.match(stderr.text, /\[sim\] reconnecting/);
  });

  it('stops at --for, and on Ctrl+C with 130', async () => {
    const started = Date.now();
    assert.strictEqual(await tail(['--for', '300ms']).done, ExitCode.Passed);
    assert.ok(Date.now() - started < 5000);
    const interruption = new Interruption();
    const stopped = tail([], interruption);
    await sim.waitForSubscribers(1);
    interruption.interrupt();
    assert.strictEqual(await stopped.done, ExitCode.Interrupted);
  });

  it('--filter prints and counts only the messages that match the query', async () => {
    const { stdout, stderr, done } = tail(['--filter', 'type:invoice -json.status=void', '--count', '2', '--json']);
    await until(() => /Listening/.test(stderr.text), 'listening');
    sim.emit({ serviceType: 'chat', data: 'invoice for you' });
    sim.emit({ serviceType: 'invoice', data: '{"status":"void","n":1}' });
    sim.emit({ serviceType: 'invoice', data: '{"status":"open","n":2}' });
    sim.emit({ serviceType: 'chat', data: 'paid?' });
    sim.emit({ serviceType: 'invoice', data: 'not JSON, n 3' });
    sim.emit({ serviceType: 'invoice', data: '{"status":"open","n":4}' });
    assert.strictEqual(await done, ExitCode.Passed);
    const lines = stdout.text.trim().split('\n').map((line) => JSON.parse(line) as { serviceType: string; text: string });
    assert.deepStrictEqual(lines.map((line) => line.text), ['{"status":"open","n":2}', 'not JSON, n 3']);
    assert.match(stderr.text, /Listening on sim for 2 messages matching type:invoice -json\.status=void;/);
  });

  it('a malformed --filter is a usage error that names the column, before connecting', async () => {
    const { stderr, done } = tail(['--filter', 'type:invoice (amount>5']);
    assert.strictEqual(await done, ExitCode.Usage);
    assert.match(stderr.text, /Column 14: expected '\)' to close this '\('/);
    assert.strictEqual(sim.stats.connections, 0, 'nothing connected');
  });
});
