import * as assert from 'assert';
import { runInTurns, runNow, stableOrderSteps, type Steps } from '../../../../src/core/base/steps';

/** Steps that record, at each step, how many times the event loop ran a check phase in between. */
function* counted(steps: number, seen: number[], turns: { count: number }): Steps<string> {
  for (let i = 0; i < steps; i++) {
    seen.push(turns.count);
    yield;
  }
  return 'done';
}

async function withTurnCounter<T>(run: (turns: { count: number }) => Promise<T>): Promise<T> {
  const turns = { count: 0 };
  let stopped = false;
  const tick = (): void => {
    if (!stopped) {
      turns.count++;
      setImmediate(tick);
    }
  };
  setImmediate(tick);
  try {
    return await run(turns);
  } finally {
    stopped = true;
  }
}

describe('steps', () => {
  it('runInTurns lets the event loop run between turns, and a turn takes steps until its time is up', async () => {
    // A zero-length turn: the event loop runs between every two steps.
    const everyStep: number[] = [];
    assert.strictEqual(await withTurnCounter((turns) => runInTurns(counted(20, everyStep, turns), 0)), 'done');
    for (let i = 1; i < everyStep.length; i++) {
      assert.ok((everyStep[i] as number) > (everyStep[i - 1] as number), `the event loop ran before step ${i}`);
    }
    // A turn that never ends: all the steps in one, nothing else in between.
    const oneTurn: number[] = [];
    assert.strictEqual(await withTurnCounter((turns) => runInTurns(counted(20, oneTurn, turns), Number.POSITIVE_INFINITY)), 'done');
    assert.deepStrictEqual(new Set(oneTurn).size, 1);
    assert.strictEqual(runNow(counted(5, [], { count: 0 })), 'done');
  });

  it('stableOrderSteps orders like a stable sort, for lists of runs, ties and random keys', () => {
    const cases: Float64Array[] = [new Float64Array(0), Float64Array.of(5), Float64Array.of(2, 1), Float64Array.of(1, 1, 1, 0, 0)];
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let n = 0; n < 200; n++) {
      const length = Math.floor(random() * 3000);
      const runs = 1 + Math.floor(random() * 12);
      const keys = new Float64Array(length);
      // `runs` ascending lists one after another (as stores read one after another), with ties.
      for (let i = 0; i < length; i++) {
        const run = Math.floor((i * runs) / Math.max(1, length));
        keys[i] = random() < 0.1 ? Math.floor(random() * 50) : Math.floor(i / runs) * 3 + (run % 3);
      }
      cases.push(keys);
    }
    for (const keys of cases) {
      const expected = Array.from({ length: keys.length }, (_, i) => i).sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
      assert.deepStrictEqual([...runNow(stableOrderSteps(keys))], expected);
    }
  });

  it('stableOrderSteps takes steps of bounded size: 50,000 keys in ten lists need several', () => {
    const keys = new Float64Array(50_000).map((_, i) => (i % 5000) * 10 + Math.floor(i / 5000));
    const steps = stableOrderSteps(keys);
    let count = 0;
    let result = steps.next();
    while (!result.done) {
      count++;
      result = steps.next();
    }
    assert.ok(count >= 40, `${count} steps for 4 passes over 50,000`);
    assert.ok(count <= 60, `${count} steps`);
    for (let i = 1; i < result.value.length; i++) {
      assert.ok((keys[result.value[i] as number] as number) >= (keys[result.value[i - 1] as number] as number));
    }
  });
});
