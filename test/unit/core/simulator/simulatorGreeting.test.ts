import * as assert from 'assert';
import { previewData } from '../../../../src/core/text/messageText';
import { NodeConnection } from '../../../../src/core/connection/nodeConnection';
import type { NodeMessage } from '../../../../src/core/nodeMessage';
import { SimulatorControl } from '../../../../src/vscode/nodes/simulatorControl';
import { until } from '../../helpers/waitFor';

describe('the simulated node started from VS Code', () => {
  let control: SimulatorControl | undefined;
  let connection: NodeConnection | undefined;

  afterEach(async () => {
    connection?.dispose();
    connection = undefined;
    await control?.stop();
    control = undefined;
  });

  it('opens on a conversation: its greeting is the sample peers talking, not empty messages', async () => {
    control = new SimulatorControl(() => undefined);
    await control.start();
    connection = new NodeConnection({ node: control.node! });
    const received: NodeMessage[] = [];
    connection.onDidReceiveMessage((message) => received.push(message));
    connection.connect();
    await control.greet(6);
    await until(() => received.length === 6, 'the six greeting messages');
    const previews = received.map((message) => previewData(message));
    assert.ok(received.every((message) => message.data.byteLength > 0), previews.join(' | '));
    assert.ok(!previews.includes('(empty)'), previews.join(' | '));
    assert.ok(new Set(previews).size > 1, `not one message six times: ${previews.join(' | ')}`);
    // Whatever the seed, the peers take turns: six messages from six peers.
    assert.strictEqual(new Set(received.map((message) => message.fromPubkey)).size, Math.min(6, control.peers.length), 'each from another peer');
  });
});
