// `--json FILE`: every block's result, IDs, latencies and failures, for scripts that read the run.
import type { ExitCode } from './exitCodes';
import { countBlocks, type FileReport } from './runReport';

/** Bumped when a field changes meaning or goes away; new fields do not bump it. */
export const JSON_REPORT_VERSION = 1;

export function jsonReport(files: readonly FileReport[], exitCode: ExitCode): string {
  return `${JSON.stringify({ version: JSON_REPORT_VERSION, ...countBlocks(files), exitCode, files }, null, 2)}\n`;
}
