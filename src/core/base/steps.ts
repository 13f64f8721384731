/**
 * Work written once as a generator that yields between steps, run either at once (`runNow`: from
 * `deactivate()`, or where the caller must have the result) or a step per turn of the event loop
 * (`runInTurns`: a long task that must not hold up everything else in the process).
 */
export type Steps<T> = Generator<void, T, void>;

export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) {
      return step.value;
    }
  }
}

export async function runInTurns<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) {
      return step.value;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
