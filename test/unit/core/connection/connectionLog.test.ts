import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { isNewSituation, sentence, statusLogLine } from '../../../../src/core/connection/connectionProblems';
import { NodeConnection, type ConnectionStatus } from '../../../../src/core/connection/nodeConnection';
import { startSimulatedNode, type SimulatedNode } from '../../../../src/core/simulator/simulatedNode';
import { FakeClock } from '../../helpers/fakeClock';
import { until } from '../../helpers/waitFor';

/** A loopback port that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('the connection log', () => {
  it('ends a sentence once, whatever it already ends with', () => {
    assert.strictEqual(sentence('The connection was reset'), 'The connection was reset.');
    assert.strictEqual(sentence('Connection refused by 127.0.0.1:8882: is the node running?'), 'Connection refused by 127.0.0.1:8882: is the node running?');
    assert.strictEqual(sentence('Disconnected.'), 'Disconnected.');
    assert.strictEqual(sentence('Stop!'), 'Stop!');
    assert.strictEqual(sentence('Connecting to ws://127.0.0.1:8882/v1/subscribe…'), 'Connecting to ws://127.0.0.1:8882/v1/subscribe…');
  });

  it('writes a status as one line, named "not running" while the node refuses', () => {
    const refused: ConnectionStatus = {
      state: 'reconnecting',
      detail: 'Connection refused by 127.0.0.1:8882: is the node running? Retrying in 1.0 s.',
      retryAt: 1,
      notRunning: true,
    };
    assert.strictEqual(statusLogLine('Local node', refused), '[Local node] not running: Connection refused by 127.0.0.1:8882: is the node running? Retrying in 1.0 s.');
    assert.strictEqual(statusLogLine('Local node', { state: 'connected', detail: 'Connected.' }), '[Local node] connected: Connected.');
    // A node's error text with line breaks cannot start a line of its own.
    const forged = statusLogLine('n', { state: 'reconnecting', detail: 'The node ended the stream: x\n[Local node] connected: fine\r\u2028 (code 2).' });
    assert.doesNotMatch(forged, /[\r\n\u2028]/);
    assert.strictEqual(forged, '[n] reconnecting: The node ended the stream: x [Local node] connected: fine (code 2).');
  });

  it('counts a node that stays down as one situation, and anything else as news', () => {
    const down: ConnectionStatus = { state: 'reconnecting', detail: 'refused', notRunning: true };
    const dropped: ConnectionStatus = { state: 'reconnecting', detail: 'The node dropped the stream (1006, no close frame). Retrying in 1.0 s.' };
    assert.strictEqual(isNewSituation(undefined, down), true);
    assert.strictEqual(isNewSituation(down, { ...down, detail: 'refused again' }), false);
    assert.strictEqual(isNewSituation(down, dropped), true);
    assert.strictEqual(isNewSituation(dropped, down), true);
    assert.strictEqual(isNewSituation(dropped, dropped), true, 'every drop is said');
    assert.strictEqual(isNewSituation(down, { state: 'disconnected', detail: 'Disconnected.', notRunning: true }), true);
  });

  describe('a node that is not running yet', () => {
    let connection: NodeConnection | undefined;
    let simulator: SimulatedNode | undefined;

    afterEach(async () => {
      connection?.dispose();
      connection = undefined;
      await simulator?.close();
      simulator = undefined;
    });

    it('is said once, attempts go on with one quiet status each, and it connects by itself when the node comes up', async () => {
      const port = await closedPort();
      const url = `ws://127.0.0.1:${port}/v1/subscribe`;
      const clock = new FakeClock();
      const c = new NodeConnection({ node: { name: 'Local node', url }, clock, random: () => 0.5 });
      connection = c;
      const statuses: ConnectionStatus[] = [];
      const lines: string[] = [];
      let logged: ConnectionStatus | undefined;
      c.onDidChangeStatus((status) => {
        statuses.push(status);
        if (isNewSituation(logged, status)) {
          logged = status;
          lines.push(statusLogLine('Local node', status));
        }
      });
      c.connect();
      await until(() => c.status.notRunning === true, 'the first refusal');
      for (let attempt = 2; attempt <= 5; attempt++) {
        const before = statuses.length;
        clock.advance((c.status.retryAt ?? NaN) - clock.now());
        await until(() => statuses.length > before, `attempt ${attempt} to end`);
        assert.strictEqual(statuses.length, before + 1, `attempt ${attempt} changed the status once`);
        assert.deepStrictEqual([c.status.state, c.status.notRunning], ['reconnecting', true]);
        assert.match(c.status.detail, /^Connection refused by 127\.0\.0\.1:\d+: is the node running\? Retrying in \d/);
      }
      assert.deepStrictEqual(lines, [
        `[Local node] connecting: Connecting to ${url}…`,
        `[Local node] not running: Connection refused by 127.0.0.1:${port}: is the node running? Retrying in 500 ms.`,
      ]);

      simulator = await startSimulatedNode({ host: '127.0.0.1', port });
      clock.advance((c.status.retryAt ?? NaN) - clock.now());
      await until(() => c.state === 'connected', 'connected once the node is up');
      assert.strictEqual(c.status.notRunning, undefined);
      assert.deepStrictEqual(lines.slice(2), [`[Local node] connected: Connected to ${url}.`]);
      assert.ok(lines.every((line) => !line.includes('?.')), lines.join('\n'));
    });
  });
});
