/**
 * One way to write a span of time wherever replies are timed: "820 ms", "1.4 s", "12 s", "2 m 5 s",
 * "1 h 5 m". Milliseconds under a second, tenths of a second under ten, whole seconds under a
 * minute, then minutes (with seconds under ten minutes), then hours and minutes. Each unit is chosen
 * after rounding, so 999.6 ms reads "1 s", never "1000 ms".
 */
export function formatDuration(ms: number): string {
  const value = Number.isFinite(ms) && ms > 0 ? ms : 0;
  const wholeMs = Math.round(value);
  if (wholeMs < 1000) {
    return `${wholeMs} ms`;
  }
  const tenths = Math.round(value / 100);
  if (tenths < 100) {
    return tenths % 10 === 0 ? `${tenths / 10} s` : `${(tenths / 10).toFixed(1)} s`;
  }
  const seconds = Math.round(value / 1000);
  if (seconds < 60) {
    return `${seconds} s`;
  }
  if (seconds < 600) {
    const rest = seconds % 60;
    return rest === 0 ? `${seconds / 60} m` : `${Math.floor(seconds / 60)} m ${rest} s`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes} m`;
  }
  const rest = minutes % 60;
  return rest === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${rest} m`;
}
