import * as assert from 'assert';
import { Emitter } from '../../../../src/core/base/emitter';
import { ListenerErrorReporter } from '../../../../src/core/base/listenerErrorReporter';
import { NodeSubscriptions } from '../../../../src/core/nodeSubscriptions';
import { startSimulatedNode, type SimulatedNode } from '../../../../src/core/simulator/simulatedNode';
import { nextEvent, until } from '../../helpers/waitFor';

/** Runs `body` with mocha's own uncaught-exception handler set aside; returns what went uncaught. */
async function uncaughtDuring(body: () => void): Promise<unknown[]> {
  const mochaHandlers = process.listeners('uncaughtException');
  const uncaught: unknown[] = [];
  const collect = (error: unknown) => uncaught.push(error);
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', collect);
  try {
    body();
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    process.off('uncaughtException', collect);
    mochaHandlers.forEach((handler) => process.on('uncaughtException', handler));
  }
  return uncaught;
}

describe('listener errors', () => {
  it('an emitter without a handler rethrows a listener error, uncaught, after the other listeners ran', async () => {
    const emitter = new Emitter<number>('test.onDidCount');
    const seen: number[] = [];
    emitter.event(() => {
      throw new Error('listener bug');
    });
    emitter.event((value) => seen.push(value));
    const uncaught = await uncaughtDuring(() => emitter.fire(1));
    assert.deepStrictEqual(seen, [1]);
    assert.deepStrictEqual(uncaught.map(String), ['Error: listener bug']);
  });

  it('an emitter with a handler hands it the error and the event name, and nothing goes uncaught', async () => {
    const errors: string[] = [];
    const emitter = new Emitter<number>('test.onDidCount', (error, event) => errors.push(`${event}: ${String(error)}`));
    emitter.event(() => {
      throw new TypeError('bad');
    });
    const uncaught = await uncaughtDuring(() => emitter.fire(1));
    assert.deepStrictEqual(errors, ['test.onDidCount: TypeError: bad']);
    assert.deepStrictEqual(uncaught, []);
  });

  describe('on the pipeline', () => {
    let simulator: SimulatedNode;
    let subscriptions: NodeSubscriptions;
    let errors: string[];

    beforeEach(async () => {
      simulator = await startSimulatedNode({ port: 0, seed: 5 });
      errors = [];
      subscriptions = new NodeSubscriptions({ maxMessages: 50, onListenerError: (error, event) => errors.push(`${event}: ${String(error)}`) });
    });

    afterEach(async () => {
      subscriptions.dispose();
      await simulator.close();
    });

    it("counts a throw in its own events' listeners, its connections' and its watches'", () => {
      assert.strictEqual(subscriptions.listenerErrors, 0);
      const connection = subscriptions.addNode({ name: 'bad', url: 'http://not-a-websocket' });
      subscriptions.onDidClear(() => {
        throw new Error('view bug');
      });
      subscriptions.watches.onDidChange(() => {
        throw new Error('watch view bug');
      });
      connection.onDidChangeStatus(() => {
        throw new Error('status bug');
      });
      subscriptions.clear();
      subscriptions.watches.watch('a'.repeat(64));
      // A URL that cannot work stops at once, with a status change.
      connection.connect();
      assert.deepStrictEqual(errors, [
        'NodeSubscriptions.onDidClear: Error: view bug',
        'WatchRegistry.onDidChange: Error: watch view bug',
        'NodeConnection.onDidChangeStatus: Error: status bug',
      ]);
      assert.strictEqual(subscriptions.listenerErrors, 3);
      // The pipeline's own status listener still ran, after the one that threw.
      assert.strictEqual(subscriptions.connectionState('bad'), 'disconnected');
    });

    it('a throw where the pipeline stores and watches a message is counted, and the next message still arrives', async () => {
      subscriptions.setNodes([{ name: 'sim', url: simulator.subscribeUrl }], new Map());
      subscriptions.connect();
      await nextEvent(subscriptions.onDidChangeStatus, (event) => event.status.state === 'connected');
      await simulator.waitForSubscribers(1);
      const handle = subscriptions.watches.handle.bind(subscriptions.watches);
      let broken = true;
      subscriptions.watches.handle = (message) => {
        if (broken) {
          broken = false;
          throw new Error('watch index bug');
        }
        return handle(message);
      };
      const first = simulator.emit({ data: 'one' });
      const second = simulator.emit({ data: 'two' });
      await until(() => subscriptions.find(second.id) !== undefined, 'the second message');
      assert.deepStrictEqual(errors, ['NodeConnection.onDidReceiveMessage: Error: watch index bug']);
      assert.strictEqual(subscriptions.listenerErrors, 1);
      assert.ok(subscriptions.find(first.id), 'stored before the watches threw');
    });

    it('without a handler, a listener error goes uncaught (a test that does not expect one fails)', async () => {
      const bare = new NodeSubscriptions({ maxMessages: 5 });
      bare.onDidClear(() => {
        throw new Error('unexpected');
      });
      const uncaught = await uncaughtDuring(() => bare.clear());
      bare.dispose();
      assert.deepStrictEqual(uncaught.map(String), ['Error: unexpected']);
      assert.strictEqual(bare.listenerErrors, 1);
    });
  });

  describe('ListenerErrorReporter', () => {
    it('logs the first error of each kind with where it came from, then a count at 10, 100, 1000', () => {
      const lines: string[] = [];
      const reporter = new ListenerErrorReporter((line) => lines.push(line));
      for (let i = 0; i < 1000; i++) {
        reporter.error(new TypeError('x is undefined'), 'NodeSubscriptions.onDidReceiveMessage');
      }
      reporter.error(new RangeError('too far'), 'NodeSubscriptions.onDidReceiveMessage');
      reporter.error(new TypeError('x is undefined'), 'WatchRegistry.onDidChange');
      assert.strictEqual(reporter.total, 1002);
      assert.strictEqual(lines.length, 6, lines.join('\n'));
      assert.match(lines[0]!, /^A listener of NodeSubscriptions\.onDidReceiveMessage threw: TypeError: x is undefined \(at .*listenerErrors\.test/);
      assert.deepStrictEqual(lines.slice(1, 4), [
        'A listener of NodeSubscriptions.onDidReceiveMessage threw 10 times so far: TypeError: x is undefined',
        'A listener of NodeSubscriptions.onDidReceiveMessage threw 100 times so far: TypeError: x is undefined',
        'A listener of NodeSubscriptions.onDidReceiveMessage threw 1000 times so far: TypeError: x is undefined',
      ]);
      assert.match(lines[4]!, /^A listener of NodeSubscriptions\.onDidReceiveMessage threw: RangeError: too far/);
      assert.match(lines[5]!, /^A listener of WatchRegistry\.onDidChange threw: TypeError: x is undefined/);
    });

    it('keeps hostile error text to one short line and a bounded number of kinds', () => {
      const lines: string[] = [];
      const reporter = new ListenerErrorReporter((line) => lines.push(line));
      reporter.error(new Error(`peer said\n[error] forged line\u202e${'x'.repeat(10_000)}`), 'e');
      assert.strictEqual(lines.length, 1);
      assert.ok(!/[\n\r\u202e]/.test(lines[0]!), lines[0]);
      assert.ok(lines[0]!.length < 1000, `${lines[0]!.length} characters`);
      for (let i = 0; i < 10_000; i++) {
        reporter.error(new Error(`distinct ${i}`), 'e');
      }
      // 100 kinds in all: a line each for the first 99 new ones, then one shared kind and its counts.
      assert.strictEqual(lines.length, 1 + 99 + 1 + 3, lines.slice(-5).join('\n'));
      assert.match(lines[100]!, /^A listener of e threw: Error: distinct 99 \(and other errors counted with it\) \(at /);
      assert.strictEqual(lines[103], 'A listener of e threw 1000 times so far: Error: distinct 1098 (and other errors counted with it)');
      assert.strictEqual(reporter.total, 10_001);
    });
  });
});
