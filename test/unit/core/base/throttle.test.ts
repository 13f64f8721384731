import * as assert from 'assert';
import { Throttle } from '../../../../src/core/base/throttle';
import { RejectionReporter } from '../../../../src/core/wire/rejectionReporter';
import { FakeClock } from '../../helpers/fakeClock';

describe('Throttle', () => {
  it('redraws at most ~10 times a second under a burst of 20,000 messages over 3 s', () => {
    const clock = new FakeClock();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 100, clock);
    for (let i = 0; i < 20_000; i++) {
      throttle.schedule();
      clock.advance(3000 / 20_000);
    }
    clock.advance(1000);
    assert.ok(runs <= 35, `${runs} redraws`);
    assert.ok(runs >= 25, `still redraws while the burst lasts (${runs})`);
  });

  it('runs the first change of a quiet period promptly, and a final one after the burst', () => {
    const clock = new FakeClock();
    const at: number[] = [];
    const throttle = new Throttle(() => at.push(clock.now()), 100, clock);
    const start = clock.now();
    throttle.schedule();
    clock.advance(0);
    assert.deepStrictEqual(at, [start]);
    throttle.schedule();
    throttle.schedule();
    clock.advance(150);
    assert.deepStrictEqual(at, [start, start + 100]);
    assert.deepStrictEqual(clock.pending(), [], 'nothing left scheduled');
  });

  it('without leading, waits an interval for every run: no more than D / interval in a burst of D', () => {
    const clock = new FakeClock();
    const at: number[] = [];
    const throttle = new Throttle(() => at.push(clock.now()), 100, clock, false);
    const start = clock.now();
    for (let i = 0; i < 450; i++) {
      throttle.schedule();
      clock.advance(1);
    }
    assert.deepStrictEqual(at, [start + 100, start + 200, start + 300, start + 400]);
    clock.advance(1000);
    assert.deepStrictEqual(at.slice(4), [start + 500], 'the changes after the last run in the burst get one more');
    throttle.schedule();
    clock.advance(99);
    assert.strictEqual(at.length, 5, 'a change after a quiet period waits too');
    clock.advance(1);
    assert.strictEqual(at.length, 6);
  });

  it('flush() runs a pending refresh at once; dispose() drops it', () => {
    const clock = new FakeClock();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 100, clock);
    throttle.flush();
    assert.strictEqual(runs, 0, 'nothing pending, nothing to run');
    throttle.schedule();
    throttle.flush();
    assert.strictEqual(runs, 1);
    throttle.schedule();
    throttle.dispose();
    clock.advance(1000);
    assert.strictEqual(runs, 1);
  });
});

describe('RejectionReporter', () => {
  it('reports the first few rejections in a window and sums up the rest', () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const reporter = new RejectionReporter((line) => lines.push(line), { burst: 3, windowMs: 10_000, clock });
    for (let i = 0; i < 1000; i++) {
      reporter.reject('n', `bad ${i}`);
    }
    assert.strictEqual(lines.length, 3);
    clock.advance(10_000);
    assert.strictEqual(lines.length, 4);
    assert.strictEqual(lines[3], 'Rejected 997 more frames in the last 10 s (the last: [n] bad 999)');
    assert.strictEqual(reporter.total, 1000);
    reporter.reject('n', 'again');
    assert.strictEqual(lines[4], '[n] Rejected a frame: again');
  });
});
