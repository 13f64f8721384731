import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SimulatedNode } from '../../src/core/simulator/simulatedNode';
import { NOTIFICATION_BATCH_MS } from '../../src/vscode/messages/messageNotifications';
import { canSeeWorkbench, clearNotifications, notificationOnScreen, shownNotifications } from './workbench';
import { activateExtension, connectToSimulator, outputChannelLog, setNodes, setSetting, TEST_NODE, waitUntil, type ExtensionExports } from './harness';

describe('settings in VS Code', () => {
  let api: ExtensionExports;
  let simulator: SimulatedNode;

  before(async () => {
    api = await activateExtension();
    simulator = await connectToSimulator(api);
  });

  after(async () => {
    for (const name of ['watchTimeoutSeconds', 'notifications', 'maxMessages']) {
      await setSetting(name, undefined);
    }
    await setNodes([]);
    await simulator?.close();
  });

  it('watchTimeoutSeconds ends a watch with a warning', async () => {
    await setSetting('watchTimeoutSeconds', 1);
    await clearNotifications();
    const watch = await vscode.commands.executeCommand<{ state: string; messageId: string }>('impervious.watchReply', 'late-0001');
    assert.strictEqual(watch?.state, 'waiting');
    await waitUntil(() => watch.state === 'timedOut', 'the watch to time out', 5000);
    await notificationOnScreen((line) => line === 'No reply to late-0001 arrived in time; stopped waiting.', 'the warning');
    await waitUntil(() => api.internals.testProbe.notifications.some((line) => line.startsWith('No reply to late-0001 arrived in time')), 'the warning');
    await setSetting('watchTimeoutSeconds', undefined);
  });

  it('notifications "all" sums a burst up in one notification; "none" shows nothing', async () => {
    await setSetting('notifications', 'all');
    await clearNotifications();
    const before = api.internals.testProbe.notifications.length;
    for (let i = 0; i < 5; i++) {
      simulator.emit({ data: `burst ${i}` });
    }
    const shown = await notificationOnScreen((line) => line.startsWith('5 new messages'), 'the summed-up notification', 5000);
    if (shown) {
      assert.match(shown.text, /^5 new messages; the last from [^:]+: burst 4$/);
      const burst = (await shownNotifications()).filter((notification) => /^(Message from|\d+ new messages)/.test(notification.text));
      assert.strictEqual(burst.length, 1, 'one notification on screen for the burst');
    }
    await waitUntil(() => api.internals.testProbe.notifications.length > before, 'the summed-up notification', 5000);
    assert.deepStrictEqual(
      api.internals.testProbe.notifications.slice(before).map((line) => line.replace(/from [^:]+:/, 'from …:')),
      ['5 new messages; the last from …: burst 4'],
    );

    await setSetting('notifications', 'none');
    const watch = await vscode.commands.executeCommand<{ promise: Promise<unknown> }>('impervious.watchReply', 'quiet-0001');
    const count = api.internals.testProbe.notifications.length;
    simulator.emit({ replyToId: 'quiet-0001', data: 'answered quietly' });
    await watch!.promise;
    // A watched reply would be notified as the watch settles, a message in "all" mode within one
    // batch: wait out the batch, the longest any notification could take.
    await new Promise((resolve) => setTimeout(resolve, NOTIFICATION_BATCH_MS + 100));
    if (canSeeWorkbench) {
      const quiet = (await shownNotifications()).filter((notification) => /answered quietly|quiet-0001/.test(notification.text));
      assert.deepStrictEqual(quiet, [], 'no notification on screen');
    }
    assert.strictEqual(api.internals.testProbe.notifications.length, count);
  });

  it('maxMessages bounds what is held, at once and as messages arrive', async () => {
    for (let i = 0; i < 30; i++) {
      simulator.emit({ data: `filler ${i}` });
    }
    await waitUntil(() => api.messages(TEST_NODE).length >= 30, 'the filler');
    await setSetting('maxMessages', 10);
    await waitUntil(() => api.messages(TEST_NODE).length === 10, 'the store to shrink');
    const last = simulator.emit({ data: 'newest' });
    await waitUntil(() => api.messages(TEST_NODE).some((m) => m.id === last.id), 'the newest message');
    assert.strictEqual(api.messages(TEST_NODE).length, 10);
    assert.strictEqual(api.messages(TEST_NODE)[9]!.id, last.id);
  });

  it('reports a bad node entry and keeps the good ones', async () => {
    await setNodes([{ name: TEST_NODE, url: simulator.subscribeUrl }, { name: 'Broken', url: 'http://not-a-websocket' }]);
    // The report, in the log, says which entry and why; the same pass applies the good entries.
    const report = 'impervious.nodes[1]: "http://not-a-websocket" must start with ws:// or wss://';
    await waitUntil(() => outputChannelLog(api).includes(report), 'the report of the bad entry in the log');
    assert.deepStrictEqual(api.internals.subscriptions.nodeNames(), [TEST_NODE]);
    assert.strictEqual(api.connectionState(TEST_NODE), 'connected');
  });
});
