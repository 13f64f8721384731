// Prints the results of each part of a run (the integration suites per VS Code launch, the restart
// check, the end-to-end steps) in the shape of mocha's spec reporter, each with its own count, and
// ends with one plain "N passed, M failed[, K skipped]" line over all of them: the last line, which
// CI reads. Only executed tests (passed or failed) show that a part worked: a part that executed
// none, unless a filter asked for that, counts as a failure, so a lost tag or a suite skipped
// whole cannot pass unseen.
import { remapStack } from './integration/source-maps.mjs';

/**
 * @typedef {import('../integration/index').RunResults & { error?: { message: string, stack?: string } }} Results
 * @typedef {{ title: string, results: Results, filtered?: boolean }} Part
 *   filtered: the run was narrowed on purpose (IMPERVIOUS_TEST_GREP), so this part may execute
 *   nothing. `--only` leaves whole parts out instead.
 */

/**
 * Tests that ran, passed or failed: a skipped test proves nothing, so a part whose tests were all
 * skipped executed nothing.
 * @param {Results} results
 */
export function executed(results) {
  return results.passes + results.failures;
}

/**
 * Why a part counts as one failure beyond its failed tests, or undefined: it could not run (and
 * reported no failure of its own), or it executed nothing without a filter to explain it (a suite
 * that lost its tag, a launch whose tests were all skipped).
 * @param {Part} part
 */
export function partProblem({ results, filtered }) {
  if (results.error) return results.failures === 0 ? 'could not run' : undefined;
  if (executed(results) > 0 || filtered) return undefined;
  return results.tests.length === 0 ? 'no test ran' : `no test ran: all ${results.tests.length} were skipped`;
}

/**
 * The counts over a run: `failed` holds the failed tests and one for each part with a problem,
 * and one more when nothing at all executed (a grep that matched no test is a mistake, not a
 * success); so a run succeeded exactly when `failed` is 0.
 * @param {Part[]} parts
 */
export function tally(parts) {
  const sum = (count) => parts.reduce((total, part) => total + count(part.results), 0);
  const problems = parts.flatMap((part) => {
    const problem = partProblem(part);
    return problem ? [`${part.title}: ${problem}`] : [];
  });
  const total = { passed: sum((r) => r.passes), failedTests: sum((r) => r.failures), skipped: sum((r) => r.pending), executed: sum(executed) };
  if (total.executed === 0 && problems.length === 0 && total.failedTests === 0) problems.push('the run executed no test');
  return { ...total, problems, failed: total.failedTests + problems.length };
}

/** A part as mocha's spec reporter shows it, ending with its own count. @param {Part} part */
export function partLines({ title, results, filtered }) {
  const lines = [`\n${title}`, ...treeLines(results.tests)];
  if (results.error) lines.push(`  Could not run: ${remapStack(results.error.stack ?? results.error.message)}`);
  results.tests.filter((test) => test.state === 'failed').forEach((test, index) => lines.push(...failureLines(test, index + 1)));
  const problem = partProblem({ title, results, filtered });
  if (problem) lines.push(`  Counted as a failure: ${problem} here, and no filter explains it.`);
  else if (executed(results) === 0 && !results.error) lines.push('  No test matched the filter here.');
  const skipped = results.pending > 0 ? `, ${results.pending} skipped` : '';
  lines.push(`  ${title}: ${results.passes} passed, ${results.failures} failed${skipped} (${formatDuration(results.durationMs)})`);
  return lines;
}

/**
 * The run's summary; its last line, "N passed, M failed" or "N passed, M failed, K skipped" alone,
 * is what CI reads, so nothing may be printed after it. @param {Part[]} parts
 */
export function totalLines(parts) {
  const { passed, failed, failedTests, skipped, executed: ran, problems } = tally(parts);
  const partsCount = `${parts.length} part${parts.length === 1 ? '' : 's'}`;
  const lines = ['', `Executed ${ran} test${ran === 1 ? '' : 's'} in ${partsCount} (${passed} passed, ${failedTests} failed), skipped ${skipped}.`];
  problems.forEach((problem) => lines.push(`Counted as failed: ${problem}.`));
  lines.push('', `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return lines;
}

/** @param {Part} part */
export function printPart(part) {
  partLines(part).forEach((line) => console.log(line));
}

/** @param {Part[]} parts */
export function printTotal(parts) {
  totalLines(parts).forEach((line) => console.log(line));
}

/** A success: no test failed and no part had a problem (see tally). @param {Part[]} parts */
export function succeeded(parts) {
  return tally(parts).failed === 0;
}

function treeLines(tests) {
  const lines = [];
  let shownSuites = [];
  tests.forEach((test) => {
    const suites = test.titlePath.slice(0, -1);
    // Print the describe titles that differ from the previous test's, indented by depth.
    const common = commonPrefixLength(shownSuites, suites);
    suites.slice(common).forEach((title, offset) => lines.push(`${indent(common + offset + 1)}${title}`));
    shownSuites = suites;
    const title = test.titlePath.at(-1);
    const depth = suites.length + 1;
    if (test.state === 'passed') lines.push(`${indent(depth)}✔ ${title} (${test.durationMs} ms)`);
    if (test.state === 'pending') lines.push(`${indent(depth)}- ${title}`);
    if (test.state === 'failed') lines.push(`${indent(depth)}✖ ${title}`);
  });
  return lines;
}

function failureLines(test, number) {
  // A stack starts with the error's name and message.
  const detail = remapStack(withoutColors(test.error?.stack ?? test.error?.message ?? 'no error message'));
  return ['', `  ${number}) ${test.titlePath.join(' › ')}:`, ...detail.split('\n').map((line) => `     ${line}`)];
}

/** Playwright colours its call logs; CI logs show the escape codes as they are. */
function withoutColors(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function commonPrefixLength(a, b) {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length += 1;
  return length;
}

function indent(depth) {
  return '  '.repeat(depth);
}

function formatDuration(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
