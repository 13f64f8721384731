import * as l10n from '@vscode/l10n';
import { formatDuration } from '../text/duration';
import type { RecoveryReport } from './gapBackfill';

/**
 * The one log line of a gap: what was recovered, or why nothing could be. The node's error text
 * goes in as an argument; the log writes it on one line (`logText`), so it cannot forge another.
 */
export function describeRecovery(report: RecoveryReport): { readonly warning: boolean; readonly line: string } {
  if (report.error !== undefined) {
    return { warning: true, line: l10n.t('[{0}] Could not recover messages missed while reconnecting: {1}', report.node, report.error) };
  }
  const parts = [
    report.recovered === 0
      ? l10n.t('[{0}] No messages were missed while reconnecting', report.node)
      : report.recovered === 1
        ? l10n.t('[{0}] Recovered 1 message missed while reconnecting', report.node)
        : l10n.t('[{0}] Recovered {1} messages missed while reconnecting', report.node, report.recovered),
  ];
  if (report.overLimit > 0) {
    parts.push(l10n.t('{0} older ones were left out, over the bound of held messages', report.overLimit));
  }
  if (report.unreadable > 0) {
    parts.push(l10n.t('{0} stored entries were not messages and were skipped', report.unreadable));
  }
  return { warning: report.overLimit > 0, line: parts.join('; ') };
}

/** The status tooltip's line for a node that keeps nothing; `undefined` when the stream was not down. */
export function downtimeLine(downMs: number): string | undefined {
  if (downMs <= 0) {
    return undefined;
  }
  return l10n.t('Stream down {0} in the last hour: messages sent then are lost', formatDuration(downMs));
}
