import * as assert from 'assert';
import { ReadTurn, type PausableReader } from '../../../../src/core/connection/readTurn';

/** A fake reader: it records its pauses and resumes (the real ones are ws sockets; see nodeConnection.test.ts). */
class FakeReader implements PausableReader {
  readonly calls: string[] = [];
  pause(): void {
    this.calls.push('pause');
  }
  resume(): void {
    this.calls.push('resume');
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ReadTurn', () => {
  it('pauses every reader that hands over a frame once the share is spent, and resumes them all at the next turn', async () => {
    const turn = new ReadTurn(4);
    const [a, b, c] = [new FakeReader(), new FakeReader(), new FakeReader()];
    turn.frame(a);
    turn.frame(b);
    turn.frame(a);
    assert.deepStrictEqual([a.calls, b.calls], [[], []], 'under the share: nobody pauses');
    turn.frame(b);
    turn.frame(a);
    turn.frame(a);
    turn.frame(b);
    assert.deepStrictEqual([a.calls, b.calls, c.calls], [['pause'], ['pause'], []], 'each paused once, whoever spent the share');
    await nextTurn();
    assert.deepStrictEqual([a.calls, b.calls, c.calls], [['pause', 'resume'], ['pause', 'resume'], []]);
    // A new share: three more frames pause nobody.
    turn.frame(c);
    turn.frame(c);
    turn.frame(c);
    assert.deepStrictEqual(c.calls, []);
  });

  it('does not resume a reader it was told to forget (its socket closed)', async () => {
    const turn = new ReadTurn(1);
    const [a, b] = [new FakeReader(), new FakeReader()];
    turn.frame(a);
    turn.frame(b);
    turn.forget(a);
    await nextTurn();
    assert.deepStrictEqual([a.calls, b.calls], [['pause'], ['pause', 'resume']]);
  });

  it('pauses once the turn has lasted turnMs, reading the clock every 32 frames, and counts each turn afresh', async () => {
    let now = 1000;
    const turn = new ReadTurn(512, 4, () => now);
    const a = new FakeReader();
    for (let i = 0; i < 40; i++) {
      turn.frame(a);
      // Cold code: each frame takes 0.2 ms, so the turn passes 4 ms at the 20th frame.
      now += 0.2;
    }
    assert.deepStrictEqual(a.calls, ['pause'], 'paused at the first clock reading past 4 ms (the 32nd frame), once');
    await nextTurn();
    assert.deepStrictEqual(a.calls, ['pause', 'resume']);
    // Quick frames: 511 in a turn pause nobody; the next turn's count starts again.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 511; i++) {
        turn.frame(a);
      }
      await nextTurn();
    }
    assert.deepStrictEqual(a.calls, ['pause', 'resume'], 'frames spread over turns never spend a share');
  });
});
