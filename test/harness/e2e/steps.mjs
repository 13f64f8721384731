// Runs a scenario made of steps, in order, and reports it in the shape of the integration suites'
// results (test/integration/index.ts RunResults), so one report prints both.

/**
 * @typedef {{ title: string, run: () => Promise<void>, picture?: string }} Step
 *   picture: the name of a README picture made from the step's screenshot (e2e.mjs saves it)
 * @param {Step[]} steps
 * @param {{ afterStep?: (index: number, step: Step, error?: Error) => Promise<void> }} hooks
 *   afterStep runs after every step that ran (screenshots); its own errors fail that step.
 */
export async function runSteps(steps, { afterStep } = {}) {
  const started = Date.now();
  const tests = [];
  let failed = false;
  for (const [index, step] of steps.entries()) {
    const titlePath = [step.title];
    // Each step builds on the ones before it: after a failure the rest cannot mean anything.
    if (failed) {
      tests.push({ titlePath, state: 'pending' });
      continue;
    }
    const stepStarted = Date.now();
    let error;
    try {
      await step.run();
    } catch (caught) {
      error = caught instanceof Error ? caught : new Error(String(caught));
    }
    try {
      await afterStep?.(index, step, error);
    } catch (caught) {
      error ??= caught instanceof Error ? caught : new Error(String(caught));
    }
    failed = error !== undefined;
    const durationMs = Date.now() - stepStarted;
    tests.push(
      error
        ? { titlePath, state: 'failed', durationMs, error: { message: error.message, stack: error.stack } }
        : { titlePath, state: 'passed', durationMs },
    );
  }
  const count = (state) => tests.filter((test) => test.state === state).length;
  return { passes: count('passed'), failures: count('failed'), pending: count('pending'), durationMs: Date.now() - started, tests };
}
