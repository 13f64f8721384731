import * as assert from 'assert';
import { phaseGrep } from '../integration/index';

// The code-server harness runs the integration suites twice on the same user data: tests tagged
// @after-restart only in the second launch, every other test only in the first.
describe('integration suite phases', () => {
  const titles = [
    'persistence @before-restart holds messages',
    'persistence @after-restart restores messages',
    'commands and views opens a message',
  ];
  const selected = (grep: RegExp | undefined) => titles.filter((title) => grep === undefined || grep.test(title));

  it('runs every test without a phase or a grep', () => {
    assert.strictEqual(phaseGrep('all'), undefined);
  });

  it('splits the tests between the first launch and the launch after the restart', () => {
    assert.deepStrictEqual(selected(phaseGrep('first')), [titles[0], titles[2]]);
    assert.deepStrictEqual(selected(phaseGrep('after-restart')), [titles[1]]);
  });

  it('keeps the user grep, with its flags, within each phase', () => {
    assert.deepStrictEqual(selected(phaseGrep('first', 'persistence')), [titles[0]]);
    assert.deepStrictEqual(selected(phaseGrep('after-restart', 'persistence')), [titles[1]]);
    assert.deepStrictEqual(selected(phaseGrep('after-restart', 'commands')), []);
    assert.deepStrictEqual(selected(phaseGrep('first', '/^COMMANDS/i')), [titles[2]]);
    assert.deepStrictEqual(selected(phaseGrep('all', 'restores|opens')), [titles[1], titles[2]]);
  });
});
