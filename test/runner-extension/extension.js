// Test-only extension for the code-server harness (scripts/test-vscode.mjs, test/harness).
// code-server has no `extensionTestsPath` hook that works from the outside, so this extension,
// installed next to the one under test, runs the compiled integration suites inside the extension
// host (where `require('vscode')` is the real API) and writes the results where the harness waits.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by VS Code as is */

const fs = require('fs');
const path = require('path');

/** Set by the harness on the code-server process; the extension host inherits them. */
const suitesEnv = 'IMPERVIOUS_TEST_SUITES';
const resultsEnv = 'IMPERVIOUS_TEST_RESULTS';
/** Where deactivate() leaves its mark: the harness's proof that a launch ended cleanly. */
const deactivatedEnv = 'IMPERVIOUS_TEST_DEACTIVATED';

function activate() {
  const suitesPath = process.env[suitesEnv];
  const resultsPath = process.env[resultsEnv];
  if (!suitesPath || !resultsPath) {
    // Installed by hand or started without the harness: stay idle.
    return;
  }
  // Not awaited: activation should return promptly; the results go to the file, not to VS Code.
  void runSuites(suitesPath, resultsPath);
}

async function runSuites(suitesPath, resultsPath) {
  let results;
  try {
    const suites = require(suitesPath);
    results = await suites.runWithResults();
  } catch (error) {
    // Loading or running the suites failed as a whole; the harness reports this as one failure.
    results = { passes: 0, failures: 1, pending: 0, durationMs: 0, tests: [], error: describeError(error) };
  }
  writeAtomically(resultsPath, JSON.stringify(results, null, 2));
}

function describeError(error) {
  return error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
}

// The harness polls for the file: a rename means it never reads half of it.
function writeAtomically(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  fs.writeFileSync(partial, text);
  fs.renameSync(partial, file);
}

/**
 * The extension host calls every active extension's deactivate() together when VS Code shuts down
 * cleanly, and not at all when it is killed. A restart test is only meaningful after a clean end,
 * so the harness checks for this file before the second launch.
 */
function deactivate() {
  const markerPath = process.env[deactivatedEnv];
  if (markerPath) writeAtomically(markerPath, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
}

module.exports = { activate, deactivate };
