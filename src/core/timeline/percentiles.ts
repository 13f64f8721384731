import { nearestRank } from '../watches/replyLatency';

/** One point of a percentile line: p50 and p95 of the latencies in the window ending at `at`. */
export interface PercentilePoint {
  readonly at: number;
  /** `null` where the window holds no latency: the line has a gap there. */
  readonly p50: number | null;
  readonly p95: number | null;
}

/**
 * p50 and p95 over a sliding window, one point per `ends` entry: the latencies whose time is in
 * `(end - windowMs, end]`. `times` and `values` are parallel, `times` ascending. Two pointers walk
 * the window forward and each window is sorted on its own, so the cost is bounded by
 * `ends.length × (largest window) × log` whatever the span.
 */
export function slidingPercentiles(
  times: readonly number[],
  values: readonly number[],
  ends: readonly number[],
  windowMs: number,
): PercentilePoint[] {
  const points: PercentilePoint[] = [];
  let first = 0;
  let last = 0;
  for (const end of ends) {
    while (last < times.length && (times[last] as number) <= end) {
      last++;
    }
    while (first < last && (times[first] as number) <= end - windowMs) {
      first++;
    }
    if (first === last) {
      points.push({ at: end, p50: null, p95: null });
      continue;
    }
    const window = Float64Array.from(values.slice(first, last)).sort();
    points.push({ at: end, p50: nearestRank(window, 50), p95: nearestRank(window, 95) });
  }
  return points;
}
