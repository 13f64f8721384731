import * as assert from 'assert';
import { LINK_WATCH_TIMEOUT_MS, LINK_WATCHES_PER_MINUTE, linkWatchTimeoutMs, LinkWatches, RateWindow, type LinkWatchOutcome } from '../../../../src/core/ids/linkWatches';
import { WatchRegistry } from '../../../../src/core/watches/watches';
import { FakeClock } from '../../helpers/fakeClock';

describe('LinkWatches', () => {
  let clock: FakeClock;
  let registry: WatchRegistry;
  let links: LinkWatches;

  beforeEach(() => {
    clock = new FakeClock();
    registry = new WatchRegistry(() => undefined, clock);
    links = new LinkWatches(registry, clock);
  });

  function burst(count: number, prefix: string, timeoutSettingMs = 0): LinkWatchOutcome[] {
    return Array.from({ length: count }, (_, index) => links.watch(`${prefix}-${index}`, undefined, timeoutSettingMs));
  }

  it('adds 3 watches a minute from links; 20 links at once make 3 watches and one message', () => {
    assert.strictEqual(LINK_WATCHES_PER_MINUTE, 3);
    const outcomes = burst(20, 'page');
    assert.deepStrictEqual(
      registry.list().map((watch) => watch.messageId),
      ['page-0', 'page-1', 'page-2'],
    );
    assert.ok(outcomes.slice(0, 3).every((outcome) => 'watching' in outcome));
    assert.deepStrictEqual(outcomes.slice(3), [{ refused: 'rate', tell: true }, ...Array(16).fill({ refused: 'rate', tell: false })]);
    assert.strictEqual(links.remaining(), 0);
  });

  it('gives each link a slot back a minute after it was used, and tells of the next burst once again', () => {
    burst(1, 'early');
    clock.advance(30_000);
    burst(2, 'later');
    assert.deepStrictEqual(burst(2, 'refused'), [{ refused: 'rate', tell: true }, { refused: 'rate', tell: false }]);
    clock.advance(29_999);
    assert.strictEqual(links.remaining(), 0);
    clock.advance(1);
    assert.strictEqual(links.remaining(), 1, 'the first link\'s minute is over');
    assert.ok('watching' in links.watch('next-minute', undefined, 0));
    assert.deepStrictEqual(burst(3, 'again'), [{ refused: 'rate', tell: true }, { refused: 'rate', tell: false }, { refused: 'rate', tell: false }]);
    clock.advance(60_000);
    assert.strictEqual(links.remaining(), 3);
    assert.strictEqual(registry.list().length, 4);
  });

  it('does not lock links out when the clock goes back', () => {
    let time = 5_000_000;
    const settable = new LinkWatches(registry, { now: () => time });
    ['before-1', 'before-2', 'before-3'].forEach((id) => settable.watch(id, undefined, 0));
    assert.strictEqual(settable.remaining(), 0);
    time -= 3_600_000;
    assert.strictEqual(settable.remaining(), 3);
  });

  it('times every link watch out: the watch timeout setting, or 10 minutes when it is 0', () => {
    assert.strictEqual(LINK_WATCH_TIMEOUT_MS, 600_000);
    assert.strictEqual(linkWatchTimeoutMs(0), 600_000);
    assert.strictEqual(linkWatchTimeoutMs(Number.NaN), 600_000);
    assert.strictEqual(linkWatchTimeoutMs(45_000), 45_000);
    const [byDefault] = burst(1, 'default');
    const [bySetting] = burst(1, 'setting', 45_000);
    assert.ok(byDefault && 'watching' in byDefault && bySetting && 'watching' in bySetting);
    assert.strictEqual(byDefault.watching.deadline, clock.now() + 600_000);
    assert.strictEqual(bySetting.watching.deadline, clock.now() + 45_000);
    clock.advance(600_000);
    assert.strictEqual(byDefault.watching.state, 'timedOut');
  });

  it('refuses, never throws, when the registry is full, and tells once', () => {
    const full = new WatchRegistry(() => undefined, clock, { waiting: 1, visible: 1 });
    full.watch('already-waiting-1');
    const limited = new LinkWatches(full, clock);
    const outcomes = ['link-1', 'link-2'].map((id) => limited.watch(id, undefined, 0));
    assert.deepStrictEqual(outcomes.map((outcome) => ('refused' in outcome ? [outcome.refused, outcome.tell] : 'watching')), [
      ['limit', true],
      ['limit', false],
    ]);
    const [first] = outcomes;
    assert.ok(first && 'reason' in first);
    assert.match(first.reason, /Already waiting for 1 replies/);
    assert.strictEqual(limited.remaining(), 3, 'a refused link takes no slot');
    assert.deepStrictEqual(full.list().map((watch) => watch.messageId), ['already-waiting-1']);
  });
});

describe('RateWindow', () => {
  it('lets `limit` events through in any window, refuses the rest, and opens again as the oldest leave', () => {
    const clock = new FakeClock();
    const window = new RateWindow(3, 60_000, clock);
    assert.deepStrictEqual(
      Array.from({ length: 5 }, () => window.take()),
      [true, true, true, false, false],
    );
    clock.advance(59_999);
    assert.strictEqual(window.take(), false);
    clock.advance(1);
    assert.strictEqual(window.remaining(), 3);
    assert.strictEqual(window.take(), true);
  });

  it('a clock set back ends the window instead of holding it shut', () => {
    const clock = new FakeClock();
    const window = new RateWindow(1, 60_000, clock);
    clock.advance(10_000);
    assert.strictEqual(window.take(), true);
    clock.advance(-5_000);
    assert.strictEqual(window.take(), true);
  });
});
