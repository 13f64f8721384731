import * as l10n from '@vscode/l10n';

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
    return l10n.t('{0} ms', wholeMs);
  }
  const tenths = Math.round(value / 100);
  if (tenths < 100) {
    return l10n.t('{0} s', tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1));
  }
  const seconds = Math.round(value / 1000);
  if (seconds < 60) {
    return l10n.t('{0} s', seconds);
  }
  if (seconds < 600) {
    const rest = seconds % 60;
    return rest === 0 ? l10n.t('{0} m', seconds / 60) : l10n.t('{0} m {1} s', Math.floor(seconds / 60), rest);
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return l10n.t('{0} m', minutes);
  }
  const rest = minutes % 60;
  return rest === 0 ? l10n.t('{0} h', minutes / 60) : l10n.t('{0} h {1} m', Math.floor(minutes / 60), rest);
}
