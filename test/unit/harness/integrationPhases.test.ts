import * as assert from 'assert';
import { phaseGrep } from '../../integration/index';

// The code-server harness runs the integration suites in three launches: tests tagged
// @after-restart only in the second launch on the same user data, tests tagged @untrusted only in
// a launch on an untrusted workspace, every other test only in the first launch.
describe('integration suite phases', () => {
  const titles = [
    'persistence @before-restart holds messages',
    'persistence @after-restart restores messages',
    'commands and views opens a message',
    'untrusted workspace @untrusted ignores the workspace nodes',
  ];
  const selected = (grep: RegExp) => titles.filter((title) => grep.test(title));

  it('runs every test but the @untrusted ones without a phase or a grep', () => {
    assert.deepStrictEqual(selected(phaseGrep('all')), titles.slice(0, 3));
  });

  it('splits the tests between the first launch, the launch after the restart and the untrusted launch', () => {
    assert.deepStrictEqual(selected(phaseGrep('first')), [titles[0], titles[2]]);
    assert.deepStrictEqual(selected(phaseGrep('after-restart')), [titles[1]]);
    assert.deepStrictEqual(selected(phaseGrep('untrusted')), [titles[3]]);
  });

  it('keeps the user grep, with its flags, within each phase', () => {
    assert.deepStrictEqual(selected(phaseGrep('first', 'persistence')), [titles[0]]);
    assert.deepStrictEqual(selected(phaseGrep('after-restart', 'persistence')), [titles[1]]);
    assert.deepStrictEqual(selected(phaseGrep('after-restart', 'commands')), []);
    assert.deepStrictEqual(selected(phaseGrep('first', '/^COMMANDS/i')), [titles[2]]);
    assert.deepStrictEqual(selected(phaseGrep('all', 'restores|opens|ignores')), [titles[1], titles[2]]);
    assert.deepStrictEqual(selected(phaseGrep('untrusted', 'ignores')), [titles[3]]);
    assert.deepStrictEqual(selected(phaseGrep('untrusted', 'restores')), []);
  });
});
