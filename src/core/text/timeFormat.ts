import * as l10n from '@vscode/l10n';

export function formatTime(timestamp: number): string {
  const date = new Date(timestamp);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A duration for "waiting 12 s", "answered in 1.2 s". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) {
    return l10n.t('{0} s', seconds.toFixed(1));
  }
  if (seconds < 120) {
    return l10n.t('{0} s', Math.round(seconds));
  }
  const minutes = Math.floor(seconds / 60);
  return minutes < 120 ? l10n.t('{0} min', minutes) : l10n.t('{0} h {1} min', Math.floor(minutes / 60), minutes % 60);
}
