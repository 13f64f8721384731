import * as assert from 'assert';
import { Ticker } from '../../../../src/vscode/base/ticker';
import { FakeClock } from '../../helpers/fakeClock';

describe('Ticker', () => {
  it('ticks once a second while needed, and not at all before or after', () => {
    const clock = new FakeClock();
    let ticks = 0;
    const ticker = new Ticker(() => ticks++, clock);
    clock.advance(5000);
    assert.strictEqual(ticks, 0);
    ticker.set(true);
    ticker.set(true);
    clock.advance(3500);
    assert.strictEqual(ticks, 3, 'one tick a second, however often it is asked for');
    ticker.set(false);
    clock.advance(5000);
    assert.strictEqual(ticks, 3);
    assert.deepStrictEqual(clock.pending(), []);
  });

  it('stops from inside its own tick, and when disposed', () => {
    const clock = new FakeClock();
    let ticks = 0;
    const ticker = new Ticker(() => ticker.set(++ticks < 2), clock);
    ticker.set(true);
    clock.advance(10_000);
    assert.strictEqual(ticks, 2);
    assert.deepStrictEqual(clock.pending(), []);
    ticker.set(true);
    ticker.dispose();
    assert.deepStrictEqual(clock.pending(), []);
  });
});
