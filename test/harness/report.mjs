// Prints the results of each part of a run (the integration suites per VS Code launch, the restart
// check, the end-to-end steps) in the shape of mocha's spec reporter, each with its own count, and
// ends with one plain "N passed, M failed" line over all of them: the last line, which CI reads.
import { remapStack } from './source-maps.mjs';

/**
 * @typedef {import('../integration/index').RunResults & { error?: { message: string, stack?: string } }} Results
 * @typedef {{ title: string, results: Results, emptyIsFine?: boolean }} Part
 *   emptyIsFine: a part that ran no test is no failure (a grep left nothing for it).
 */

/** @param {Part} part */
export function printPart({ title, results, emptyIsFine }) {
  console.log(`\n${title}`);
  printTree(results.tests);
  if (results.error) {
    console.log(`  Could not run: ${remapStack(results.error.stack ?? results.error.message)}`);
  }
  results.tests.filter((test) => test.state === 'failed').forEach((test, index) => printFailure(test, index + 1));
  if (results.tests.length === 0 && !results.error) {
    console.log(emptyIsFine ? '  No test matched here.' : '  No test ran: no *.test.js was found next to out/test/integration/index.js?');
  }
  const skipped = results.pending > 0 ? `, ${results.pending} skipped` : '';
  console.log(`  ${title}: ${results.passes} passed, ${results.failures} failed${skipped} (${formatDuration(results.durationMs)})`);
}

/** The overall line; nothing may be printed after it. @param {Part[]} parts */
export function printTotal(parts) {
  const sum = (key) => parts.reduce((total, { results }) => total + results[key], 0);
  const skipped = sum('pending') > 0 ? `, ${sum('pending')} skipped` : '';
  console.log('');
  console.log(`${sum('passes')} passed, ${sum('failures')} failed${skipped}`);
}

/** A success: no part failed or could not run, none ran nothing unexpectedly, and something passed. */
export function succeeded(parts) {
  const partOk = ({ results, emptyIsFine }) => results.failures === 0 && !results.error && (emptyIsFine || results.tests.length > 0);
  return parts.every(partOk) && parts.some(({ results }) => results.passes > 0);
}

function printTree(tests) {
  let shownSuites = [];
  tests.forEach((test) => {
    const suites = test.titlePath.slice(0, -1);
    // Print the describe titles that differ from the previous test's, indented by depth.
    const common = commonPrefixLength(shownSuites, suites);
    suites.slice(common).forEach((title, offset) => console.log(`${indent(common + offset + 1)}${title}`));
    shownSuites = suites;
    const title = test.titlePath.at(-1);
    const depth = suites.length + 1;
    if (test.state === 'passed') console.log(`${indent(depth)}✔ ${title} (${test.durationMs} ms)`);
    if (test.state === 'pending') console.log(`${indent(depth)}- ${title}`);
    if (test.state === 'failed') console.log(`${indent(depth)}✖ ${title}`);
  });
}

function printFailure(test, number) {
  console.log('');
  console.log(`  ${number}) ${test.titlePath.join(' › ')}:`);
  // A stack starts with the error's name and message.
  const detail = remapStack(withoutColors(test.error?.stack ?? test.error?.message ?? 'no error message'));
  console.log(detail.split('\n').map((line) => `     ${line}`).join('\n'));
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
