import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import type { BenchContext, BenchSection, SectionResult } from '../report';

const TARGET_KB = 300;
/** The Timeline's webview script (uPlot included): loaded by its webview only, never at activation. */
const TIMELINE_TARGET_KB = 100;

/** The production bundles, built as packaging builds them (`vscode:prepublish`). */
export const bundleSection: BenchSection = {
  name: 'bundle',
  title: 'Extension bundle size',
  async run(context: BenchContext): Promise<SectionResult> {
    const root = path.resolve(__dirname, '..', '..', '..');
    execFileSync(process.execPath, ['scripts/build.mjs', '--production', '--extension-only'], { cwd: root, stdio: 'inherit' });
    const bytes = fs.statSync(path.join(root, 'dist', 'extension.js')).size;
    const kb = bytes / 1024;
    const timeline = fs.readFileSync(path.join(root, 'dist', 'timeline.js'));
    const timelineKb = timeline.byteLength / 1024;
    const timelineGzipBytes = gzipSync(timeline).byteLength;
    const timelineCssBytes = fs.statSync(path.join(root, 'dist', 'timeline.css')).size;
    context.log(`  dist/extension.js: ${bytes} bytes; dist/timeline.js: ${timeline.byteLength} bytes (${timelineGzipBytes} gzipped), dist/timeline.css: ${timelineCssBytes} bytes`);
    return {
      rows: [
        { section: '5. package', metric: 'dist/extension.js (production)', unit: 'KB', ours: kb, target: `< ${TARGET_KB} KB`, ok: kb < TARGET_KB },
        {
          section: '5. package',
          metric: `dist/timeline.js, the Timeline's webview with uPlot (production; ${(timelineGzipBytes / 1024).toFixed(0)} KB gzipped)`,
          unit: 'KB',
          ours: timelineKb,
          target: `< ${TIMELINE_TARGET_KB} KB`,
          ok: timelineKb < TIMELINE_TARGET_KB,
        },
      ],
      details: { bytes, timelineBytes: timeline.byteLength, timelineGzipBytes, timelineCssBytes },
    };
  },
};
