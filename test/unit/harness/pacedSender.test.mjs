// The paced sender of the VS Code bench's ten-node launch (sendPaced in test/harness/launch/simulator.mjs),
// in plain Node against a stand-in simulator that counts what it is asked to send.
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';
import { describe, it } from 'mocha';
import { sendPaced } from '../../harness/launch/simulator.mjs';

/** Counts sends, and how many each tick of the sender's timer made. */
function countingSimulator() {
  const perTick = [];
  let scheduled = false;
  return {
    sent: 0,
    perTick,
    emitSample() {
      this.sent++;
      // Sends of one tick run in one go: the next turn of the event loop closes the tick's count.
      if (!scheduled) {
        scheduled = true;
        perTick.push(0);
        setImmediate(() => (scheduled = false));
      }
      perTick[perTick.length - 1]++;
    },
  };
}

function blockFor(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the event loop held up, as a busy harness process is
  }
}

describe('the bench harness paced sender', () => {
  it('sends exactly the messages asked for, no sooner than the rate allows, a tick at a time', async () => {
    const simulator = countingSimulator();
    const result = await sendPaced(simulator, 5000, 1000);
    assert.equal(simulator.sent, 1000);
    assert.equal(result.messages, 1000);
    // The last message is due at 200 ms: it cannot have gone sooner.
    assert.ok(result.elapsedMs >= 200, `took ${result.elapsedMs} ms`);
    assert.ok(result.elapsedMs < 200 + 5000, `took ${result.elapsedMs} ms`);
    // About 50 a tick (10 ms at 5,000 a second), never the whole lot at once.
    assert.ok(simulator.perTick.length >= 4, `${simulator.perTick.length} ticks`);
    assert.ok(Math.max(...simulator.perTick) < 1000);
  });

  it('catches up after the event loop was held up, instead of sending at a lower rate', async () => {
    const simulator = countingSimulator();
    setTimeout(() => blockFor(150), 30);
    const result = await sendPaced(simulator, 1000, 400);
    assert.equal(simulator.sent, 400);
    // 10 a tick when on time; the tick after the 150 ms block sends what fell due meanwhile.
    assert.ok(Math.max(...simulator.perTick) >= 100, `largest tick: ${Math.max(...simulator.perTick)}`);
    assert.ok(result.longestTickGapMs >= 150, `longest gap: ${result.longestTickGapMs} ms`);
    assert.ok(result.elapsedMs >= 400 && result.elapsedMs < 400 + 5000, `took ${result.elapsedMs} ms`);
  });
});
