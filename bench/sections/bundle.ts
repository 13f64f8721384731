import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { BenchContext, BenchSection, SectionResult } from '../report';

const TARGET_KB = 300;

/** The production bundle, built as packaging builds it (`vscode:prepublish`). */
export const bundleSection: BenchSection = {
  name: 'bundle',
  title: 'Extension bundle size',
  async run(context: BenchContext): Promise<SectionResult> {
    const root = path.resolve(__dirname, '..', '..', '..');
    execFileSync(process.execPath, ['scripts/build.mjs', '--production', '--extension-only'], { cwd: root, stdio: 'inherit' });
    const bytes = fs.statSync(path.join(root, 'dist', 'extension.js')).size;
    const kb = bytes / 1024;
    context.log(`  dist/extension.js: ${bytes} bytes`);
    return {
      rows: [{ section: '5. package', metric: 'dist/extension.js (production)', unit: 'KB', ours: kb, target: `< ${TARGET_KB} KB`, ok: kb < TARGET_KB }],
      details: { bytes },
    };
  },
};
