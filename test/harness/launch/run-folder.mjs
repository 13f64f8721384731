// The temporary folder of one run of a script: VSIX files, profiles, logs. It goes away at the end
// with anything still using it (a helper that escaped its process group).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { killProcessesUsing } from './process-tree.mjs';
import { onCleanup } from './script-lifecycle.mjs';

/** Creates the run folder; at the end it is removed, unless IMPERVIOUS_TEST_KEEP=1. */
export function createRunFolder(prefix = 'imp-vsc-') {
  // Short: Unix socket paths under the profiles' TMPDIR must stay below 108 bytes.
  const runDir = mkdtempSync(path.join(tmpdir(), prefix));
  const keep = process.env.IMPERVIOUS_TEST_KEEP === '1';
  // Said now, not at the end: the last line of the output is the summary.
  if (keep) console.log(`The run folder will be kept: ${runDir}`);
  onCleanup(
    () => {
      const escaped = killProcessesUsing(runDir);
      if (escaped.length > 0) console.error(`Killed processes left behind:\n  ${escaped.join('\n  ')}`);
      if (!keep) rmSync(runDir, { recursive: true, force: true });
    },
    () => killProcessesUsing(runDir),
  );
  return runDir;
}
