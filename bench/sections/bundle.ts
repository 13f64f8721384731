import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { BenchContext, BenchSection, SectionResult } from '../report';

const TARGET_KB = 300;
/** How many of the bundle's biggest inputs the section prints. */
const TOP_INPUTS = 10;

/** The part of esbuild's metafile the section reads. */
interface Metafile {
  readonly outputs: Record<string, { readonly bytes: number; readonly inputs: Record<string, { readonly bytesInOutput: number }> }>;
}

interface BundleInput {
  readonly input: string;
  readonly bytes: number;
}

/** The production bundle, built as packaging builds it (`vscode:prepublish`), and what it carries. */
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
    return {
      rows: [{ section: '5. package', metric: 'dist/extension.js (production)', unit: 'KB', ours: kb, target: `< ${TARGET_KB} KB`, ok: kb < TARGET_KB }],
      details: { bytes, inputs, files },
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
