// Entry point of the integration suites, loaded inside a real VS Code extension host.
// `run()` follows the @vscode/test-electron convention (resolve on success, reject on failure);
// `runWithResults()` is for the code-server runner extension, which writes the results to a file
// because that extension host has no terminal of its own to report to.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface TestError {
  readonly message: string;
  readonly stack?: string;
}

export interface TestResult {
  /** Titles from the outermost `describe` to the `it` (or hook), in order. */
  readonly titlePath: readonly string[];
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs?: number;
  readonly error?: TestError;
}

export interface RunResults {
  readonly passes: number;
  readonly failures: number;
  readonly pending: number;
  readonly durationMs: number;
  /** In the order mocha reported them; failed hooks appear here too. */
  readonly tests: readonly TestResult[];
}

/**
 * Tests whose full title carries this tag run only after VS Code restarted on the same user data
 * and workspace (the harness's second launch); they check what the first launch left behind.
 */
export const AFTER_RESTART_TAG = '@after-restart';

/**
 * Tests whose full title carries this tag run only in a launch of their own, on a workspace folder
 * that VS Code does not trust (restricted mode); every other launch trusts its workspace.
 */
export const UNTRUSTED_TAG = '@untrusted';

/**
 * `first`: every test but the tagged ones; `after-restart`: only the @after-restart ones;
 * `untrusted`: only the @untrusted ones; `all`: every test but the @untrusted ones, which would
 * fail in a trusted workspace (so desktop VS Code via test-electron runs all the others).
 */
export type RunPhase = 'first' | 'after-restart' | 'untrusted' | 'all';

/**
 * Which files run: the tests (`*.test.js`), or the benchmarks (`*.bench.js`, under bench/), which
 * only the harness's bench mode runs (scripts/bench-vscode.mjs): they measure, and need the
 * harness to send the burst.
 */
export type SuiteKind = 'tests' | 'benchmarks';

export interface RunOptions {
  /** Mocha reporter; the default `spec` prints to the extension host's stdout. */
  readonly reporter?: string;
  /** Only run tests whose full title matches; defaults to the IMPERVIOUS_TEST_GREP variable. */
  readonly grep?: string;
  /**
   * Which launch this is; defaults to the IMPERVIOUS_TEST_PHASE variable, which only the
   * code-server harness sets. Without it every test but the @untrusted ones runs (`all`: desktop
   * VS Code via test-electron).
   */
  readonly phase?: RunPhase;
  /** Defaults to the IMPERVIOUS_TEST_KIND variable, and to `tests` without it. */
  readonly kind?: SuiteKind;
}

/**
 * Runs every `*.test.js` (or, for `benchmarks`, `*.bench.js`) next to this file and below it, and
 * resolves with what happened.
 */
export function runWithResults(options: RunOptions = {}): Promise<RunResults> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: options.reporter ?? 'spec',
    color: false,
    // A real VS Code opens editors, runs commands and starts servers: slower than unit tests.
    timeout: 20_000,
  });
  const grep = phaseGrep(options.phase ?? parsePhase(process.env.IMPERVIOUS_TEST_PHASE), options.grep ?? process.env.IMPERVIOUS_TEST_GREP);
  mocha.grep(grep);
  const kind = options.kind ?? parseKind(process.env.IMPERVIOUS_TEST_KIND);
  for (const file of findSuiteFiles(__dirname, kind === 'benchmarks' ? '.bench.js' : '.test.js')) {
    mocha.addFile(file);
  }

  return new Promise((resolve, reject) => {
    const tests: TestResult[] = [];
    const started = Date.now();
    try {
      const runner = mocha.run(() => {
        resolve({
          passes: count(tests, 'passed'),
          failures: count(tests, 'failed'),
          pending: count(tests, 'pending'),
          durationMs: Date.now() - started,
          tests,
        });
      });
      runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test) => {
        tests.push({ titlePath: test.titlePath(), state: 'passed', durationMs: test.duration ?? 0 });
      });
      // Also fires for failed hooks, whose tests then never run: they must count as failures.
      runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, error: unknown) => {
        tests.push({ titlePath: test.titlePath(), state: 'failed', durationMs: test.duration ?? 0, error: toTestError(error) });
      });
      runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => {
        tests.push({ titlePath: test.titlePath(), state: 'pending' });
      });
    } catch (error) {
      // A suite file that throws while loading (a bad import, a typo at top level) lands here.
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** The @vscode/test-electron entry point. */
export async function run(): Promise<void> {
  const results = await runWithResults();
  if (results.failures > 0) {
    throw new Error(`${results.failures} integration test(s) failed.`);
  }
}

function parsePhase(value: string | undefined): RunPhase {
  if (value === undefined || value === '') return 'all';
  if (value === 'first' || value === 'after-restart' || value === 'untrusted' || value === 'all') return value;
  throw new Error(`IMPERVIOUS_TEST_PHASE must be first, after-restart, untrusted or all, not "${value}"`);
}

/**
 * One regular expression for mocha, which takes a single grep: the user's pattern (a regex source,
 * as mocha reads a string, or `/source/flags`) and the phase's tags, joined by lookaheads so that
 * all must hold. Mocha's own `invert()` would invert the user's pattern too.
 */
export function phaseGrep(phase: RunPhase, userGrep?: string): RegExp {
  const user = userGrep ? /^\/(.*)\/([gimsuy]*)$/.exec(userGrep) ?? [userGrep, userGrep, ''] : undefined;
  const tagged = {
    first: [lacks(AFTER_RESTART_TAG), lacks(UNTRUSTED_TAG)],
    'after-restart': [has(AFTER_RESTART_TAG), lacks(UNTRUSTED_TAG)],
    untrusted: [has(UNTRUSTED_TAG)],
    all: [lacks(UNTRUSTED_TAG)],
  }[phase];
  const parts = [user ? `(?=[\\s\\S]*?(?:${user[1]}))` : '', ...tagged];
  // The user's flags (`i`) apply to the whole expression; harmless for the tags.
  return new RegExp(`^${parts.join('')}`, (user?.[2] ?? '').replace(/[gy]/g, ''));
}

function has(tag: string): string {
  return `(?=[\\s\\S]*${escapeRegExp(tag)})`;
}

function lacks(tag: string): string {
  return `(?![\\s\\S]*${escapeRegExp(tag)})`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseKind(value: string | undefined): SuiteKind {
  if (value === undefined || value === '') return 'tests';
  if (value === 'tests' || value === 'benchmarks') return value;
  throw new Error(`IMPERVIOUS_TEST_KIND must be tests or benchmarks, not "${value}"`);
}

function findSuiteFiles(directory: string, suffix: string): string[] {
  return fs
    .readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix))
    .sort()
    .map((file) => path.join(directory, file));
}

function count(tests: readonly TestResult[], state: TestResult['state']): number {
  return tests.filter((test) => test.state === state).length;
}

function toTestError(error: unknown): TestError {
  if (error instanceof Error) {
    return error.stack === undefined ? { message: error.message } : { message: error.message, stack: error.stack };
  }
  return { message: String(error) };
}
