// The VS Code harness's report (test/harness/report.mjs), in plain Node: what counts as a run that
// worked, and the last line CI reads.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { partLines, partProblem, succeeded, tally, totalLines } from '../../harness/report.mjs';

/** Results in the runner's shape, from a list of test states. */
function results(states, extra = {}) {
  const tests = states.map((state, index) => ({ titlePath: ['suite', `test ${index + 1}`], state, durationMs: 1 }));
  const count = (state) => states.filter((each) => each === state).length;
  return { passes: count('passed'), failures: count('failed'), pending: count('pending'), durationMs: 5, tests, ...extra };
}

const part = (title, states, options = {}) => ({ title, results: results(states), ...options });
const lastLine = (parts) => totalLines(parts).at(-1);

describe('the VS Code harness report', () => {
  it('passes a run whose parts all executed tests, and counts skipped ones apart', () => {
    const parts = [part('first', ['passed', 'passed', 'pending']), part('e2e', ['passed'])];
    assert.deepEqual(tally(parts), { passed: 3, failedTests: 0, skipped: 1, executed: 3, problems: [], failed: 0 });
    assert.equal(succeeded(parts), true);
    assert.equal(lastLine(parts), '3 passed, 0 failed, 1 skipped');
  });

  it('ends with "N passed, M failed" when nothing was skipped, alone on its line', () => {
    const lines = totalLines([part('first', ['passed', 'failed'])]);
    assert.equal(lines.at(-1), '1 passed, 1 failed');
    assert.match(lines.at(-1), /^\d+ passed, \d+ failed(, \d+ skipped)?$/);
    assert.ok(!lines.at(-1).includes('\n'));
  });

  it('fails a part whose tests were all skipped: skipped tests did not run', () => {
    const parts = [part('first', ['passed']), part('after restart', ['pending', 'pending'])];
    assert.equal(partProblem(parts[1]), 'no test ran: all 2 were skipped');
    assert.equal(succeeded(parts), false);
    assert.equal(lastLine(parts), '1 passed, 1 failed, 2 skipped');
    assert.ok(totalLines(parts).includes('Counted as failed: after restart: no test ran: all 2 were skipped.'));
  });

  it('fails a launch that ran no test at all, as one whose tagged suite went missing', () => {
    const parts = [part('first', ['passed', 'passed']), part('untrusted', [])];
    assert.equal(partProblem(parts[1]), 'no test ran');
    assert.equal(succeeded(parts), false);
    assert.equal(lastLine(parts), '2 passed, 1 failed');
    assert.ok(partLines(parts[1]).some((line) => line.includes('Counted as a failure: no test ran here')));
  });

  it('lets a part execute nothing when a grep narrowed the run on purpose', () => {
    const parts = [part('first', ['passed'], { filtered: true }), part('untrusted', [], { filtered: true })];
    assert.equal(partProblem(parts[1]), undefined);
    assert.equal(succeeded(parts), true);
    assert.equal(lastLine(parts), '1 passed, 0 failed');
    assert.ok(partLines(parts[1]).includes('  No test matched the filter here.'));
  });

  it('fails a run that executed nothing anywhere, filtered or not: a grep that matches nothing is a mistake', () => {
    const parts = [part('first', ['pending'], { filtered: true }), part('untrusted', [], { filtered: true })];
    assert.deepEqual(tally(parts).problems, ['the run executed no test']);
    assert.equal(succeeded(parts), false);
    assert.equal(lastLine(parts), '0 passed, 1 failed, 1 skipped');
  });

  it('counts a part that could not run as a failure once, whether or not it reported one itself', () => {
    const error = { message: 'the suites did not load' };
    const silent = { title: 'first', results: results([], { error }) };
    const reported = { title: 'first', results: results([], { error, failures: 1 }) };
    assert.equal(partProblem(silent), 'could not run');
    assert.equal(partProblem(reported), undefined);
    for (const broken of [silent, reported]) {
      const parts = [broken, part('e2e', ['passed'])];
      assert.equal(succeeded(parts), false);
      assert.equal(lastLine(parts), '1 passed, 1 failed');
    }
    assert.ok(partLines(silent).includes('  Could not run: the suites did not load'));
  });

  it('fails a run with a failed test, and says how many executed of each kind', () => {
    const parts = [part('first', ['passed', 'failed', 'pending']), part('e2e', ['passed', 'passed'])];
    assert.equal(succeeded(parts), false);
    assert.deepEqual(totalLines(parts).slice(-3), ['Executed 4 tests in 2 parts (3 passed, 1 failed), skipped 1.', '', '3 passed, 1 failed, 1 skipped']);
  });

  it('prints each part with its tree, its failures and its own count', () => {
    const failing = { ...part('first', ['passed', 'failed']) };
    failing.results.tests[1].error = { message: 'boom', stack: 'Error: boom\n    at somewhere' };
    const lines = partLines(failing);
    assert.deepEqual(lines.slice(0, 4), ['\nfirst', '  suite', '    ✔ test 1 (1 ms)', '    ✖ test 2']);
    assert.ok(lines.includes('  1) suite › test 2:'));
    assert.ok(lines.includes('     Error: boom'));
    assert.equal(lines.at(-1), '  first: 1 passed, 1 failed (5 ms)');
  });
});
