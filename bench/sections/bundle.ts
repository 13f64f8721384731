import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import type { BenchContext, BenchSection, SectionResult } from '../report';

const TARGET_KB = 300;
/** How many of the bundle's biggest inputs the section prints. */
const TOP_INPUTS = 10;
/** The Timeline's webview script (uPlot included): loaded by its webview only, never at activation. */
const TIMELINE_TARGET_KB = 100;

/** The part of esbuild's metafile the section reads. */
interface Metafile {
  readonly outputs: Record<string, { readonly bytes: number; readonly inputs: Record<string, { readonly bytesInOutput: number }> }>;
}

interface BundleInput {
  readonly input: string;
  readonly bytes: number;
}

/** The production bundles, built as packaging builds them (`vscode:prepublish`), and what the extension's carries. */
export const bundleSection: BenchSection = {
  name: 'bundle',
  title: 'Extension bundle size',
  async run(context: BenchContext): Promise<SectionResult> {
    const root = path.resolve(__dirname, '..', '..', '..');
    execFileSync(process.execPath, ['scripts/build.mjs', '--production', '--extension-only'], { cwd: root, stdio: 'inherit' });
    const bytes = fs.statSync(path.join(root, 'dist', 'extension.js')).size;
    const kb = bytes / 1024;
    context.log(`  dist/extension.js: ${bytes} bytes, loaded at activation; its biggest inputs:`);
    const inputs = biggestInputs(root, 'dist/extension.js');
    for (const { input, bytes: inputBytes } of inputs) {
      context.log(`    ${(inputBytes / 1024).toFixed(1).padStart(6)} KB  ${input}`);
    }
    const files = shippedBundles(root).map((file) => ({ file, bytes: fs.statSync(path.join(root, file)).size }));
    context.log(`  every bundle in the VSIX: ${files.map(({ file, bytes: fileBytes }) => `${file} ${(fileBytes / 1024).toFixed(1)} KB`).join(', ')}`);
    const timeline = fs.readFileSync(path.join(root, 'dist', 'timeline.js'));
    const timelineKb = timeline.byteLength / 1024;
    const timelineGzipBytes = gzipSync(timeline).byteLength;
    const timelineCssBytes = fs.statSync(path.join(root, 'dist', 'timeline.css')).size;
    context.log(`  dist/timeline.js: ${timeline.byteLength} bytes (${timelineGzipBytes} gzipped), dist/timeline.css: ${timelineCssBytes} bytes`);
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
      details: { bytes, inputs, files, timelineBytes: timeline.byteLength, timelineGzipBytes, timelineCssBytes },
    };
  },
};

/** The inputs of `outfile` by the bytes they take in it, from the metafile the build wrote beside it. */
function biggestInputs(root: string, outfile: string): BundleInput[] {
  const metafile = JSON.parse(fs.readFileSync(path.join(root, outfile.replace(/\.js$/, '.meta.json')), 'utf8')) as Metafile;
  const output = metafile.outputs[outfile];
  if (!output) {
    throw new Error(`the metafile of ${outfile} does not describe it`);
  }
  return Object.entries(output.inputs)
    .map(([input, { bytesInOutput }]) => ({ input: input.replace(/^(\.\.\/)*(\w[^/]*\/)?node_modules\//, 'node_modules/'), bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, TOP_INPUTS);
}

/** The scripts under dist/ that `.vscodeignore` lets into the VSIX. */
function shippedBundles(root: string): string[] {
  return fs
    .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((line) => /^!(dist\/[\w.-]+\.js)$/.exec(line.trim())?.[1])
    .filter((file): file is string => file !== undefined);
}
