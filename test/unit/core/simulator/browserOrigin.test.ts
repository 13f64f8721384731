import * as assert from 'assert';
import * as http from 'http';
import WebSocket from 'ws';
import { startSimulatedNode, type SimulatedNode } from '../../../../src/core/simulator/simulatedNode';

/** What a web page open in the user's browser gets from the simulated node on loopback. */
describe('the simulated node and browser origins', () => {
  let simulator: SimulatedNode;

  beforeEach(async () => {
    simulator = await startSimulatedNode({ port: 0, seed: 3 });
  });

  afterEach(() => simulator.close());

  function upgrade(origin: string | undefined): Promise<{ status: number; body: string } | 'open'> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(simulator.subscribeUrl, origin !== undefined ? { origin } : {});
      ws.once('open', () => {
        ws.terminate();
        resolve('open');
      });
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      ws.once('error', (error) => reject(error));
    });
  }

  function post(origin: string | undefined): Promise<{ status: number; body: string }> {
    const url = new URL('/v1/message/send', simulator.subscribeUrl.replace(/^ws/, 'http'));
    const body = JSON.stringify({ msg: 'aGk=', pubkey: '02' + 'ab'.repeat(32), amount: '1' });
    return new Promise((resolve, reject) => {
      const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(origin !== undefined ? { origin } : {}) } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.once('error', reject);
      request.end(body);
    });
  }

  for (const origin of ['https://evil.example', 'http://127.0.0.1:8882', 'null', 'vscode-webview://abc123', 'vscode-file://vscode-app']) {
    it(`refuses a websocket upgrade and a REST call with Origin ${origin}, with 403 and a clear body`, async () => {
      const refused = await upgrade(origin);
      assert.notStrictEqual(refused, 'open');
      assert.strictEqual((refused as { status: number }).status, 403);
      assert.match((refused as { body: string }).body, /"code":7,"message":"requests from a browser \(with an Origin header\) are refused/);
      const rest = await post(origin);
      assert.strictEqual(rest.status, 403);
      assert.match(rest.body, /requests from a browser/);
      assert.strictEqual(simulator.stats.connections, 0, 'no stream was opened for it');
    });
  }

  it('still serves clients without an Origin: the extension host, the CLI and the tests', async () => {
    assert.strictEqual(await upgrade(undefined), 'open');
    const sent = await post(undefined);
    assert.strictEqual(sent.status, 200);
    assert.match(sent.body, /^\{"id":"[0-9a-f]{64}"\}$/);
  });
});
