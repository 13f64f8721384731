// Prints the results the runner extension wrote, in the shape of mocha's spec reporter, and ends
// with the plain "N passed, M failed" line that CI reads.
import { remapStack } from './source-maps.mjs';

/** @param {import('../../test/integration/index').RunResults & { error?: { message: string, stack?: string } }} results */
export function printResults(results) {
  console.log('');
  printTree(results.tests);
  const failed = results.tests.filter((test) => test.state === 'failed');
  if (results.error) {
    console.log(`  The integration suites could not run: ${remapStack(results.error.stack ?? results.error.message)}`);
  }
  failed.forEach((test, index) => printFailure(test, index + 1));
  if (results.tests.length === 0 && !results.error) {
    console.log('  No integration test ran: no *.test.js was found next to out/test/integration/index.js.');
  }
  console.log('');
  console.log(`  ${results.tests.length} test(s) in ${formatDuration(results.durationMs)}`);
  const skipped = results.pending > 0 ? `, ${results.pending} skipped` : '';
  console.log(`${results.passes} passed, ${results.failures} failed${skipped}`);
}

/** Whether the run counts as a success: something ran and nothing failed. */
export function succeeded(results) {
  return results.failures === 0 && !results.error && results.passes > 0;
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
  const detail = remapStack(test.error?.stack ?? test.error?.message ?? 'no error message');
  console.log(detail.split('\n').map((line) => `     ${line}`).join('\n'));
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
