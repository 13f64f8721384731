/**
 * Work written once as a generator that yields between steps, run either at once (`runNow`: from
 * `deactivate()`, or where the caller must have the result) or in turns of the event loop
 * (`runInTurns`: a long task that must not hold up everything else in the process).
 */
export type Steps<T> = Generator<void, T, void>;

/**
 * A turn of `runInTurns` takes steps until this long has passed, then lets the event loop run:
 * short enough that what shares the process (a stream of messages, a redraw) waits no longer than
 * that, long enough that small steps are not a turn each.
 */
export const TURN_MS = 4;

export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) {
      return step.value;
    }
  }
}

/**
 * Runs `steps` in turns of about `turnMs` each (a turn ends after the step that reaches it, so
 * steps should be well under it), with the rest of the event loop's work between two turns.
 */
export async function runInTurns<T>(steps: Steps<T>, turnMs = TURN_MS): Promise<T> {
  let turnEnds = performance.now() + turnMs;
  for (;;) {
    const step = steps.next();
    if (step.done) {
      return step.value;
    }
    if (performance.now() >= turnEnds) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turnEnds = performance.now() + turnMs;
    }
  }
}

/** Steps of `stableOrderSteps` move about this many indices each. */
const ORDER_STEP_MOVES = 4096;

/**
 * The indices of `keys` in ascending order of key, equal keys in index order (a stable sort), as
 * steps: a natural merge sort, which merges the runs already in order (a few passes for a list
 * made of a few ordered ones), a step after about `ORDER_STEP_MOVES` indices moved.
 */
export function* stableOrderSteps(keys: Float64Array): Steps<Uint32Array> {
  const length = keys.length;
  let order = new Uint32Array(length);
  let spare = new Uint32Array(length);
  let bounds: number[] = [0];
  for (let i = 0; i < length; i++) {
    order[i] = i;
    if (i > 0 && (keys[i] as number) < (keys[i - 1] as number)) {
      bounds.push(i);
    }
  }
  bounds.push(length);
  let moved = 0;
  // Each pass merges neighbouring runs; a run's indices are all below the next run's, so taking
  // from the left on equal keys keeps equal keys in index order.
  while (bounds.length > 2) {
    const merged: number[] = [];
    for (let run = 0; run < bounds.length - 1; run += 2) {
      const low = bounds[run] as number;
      const middle = bounds[run + 1] as number;
      const high = run + 2 < bounds.length ? (bounds[run + 2] as number) : middle;
      merged.push(low);
      let left = low;
      let right = middle;
      for (let at = low; at < high; at++) {
        if (right >= high || (left < middle && (keys[order[left] as number] as number) <= (keys[order[right] as number] as number))) {
          spare[at] = order[left++] as number;
        } else {
          spare[at] = order[right++] as number;
        }
        if (++moved % ORDER_STEP_MOVES === 0) {
          yield;
        }
      }
    }
    merged.push(length);
    bounds = merged;
    [order, spare] = [spare, order];
  }
  return order;
}
