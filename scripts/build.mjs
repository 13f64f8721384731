// Bundles the extension, the `impervious-events` command line and the standalone simulator with esbuild.
// esbuild does not type-check: `npm run typecheck` does that.
import * as esbuild from 'esbuild';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: !production,
  minify: production,
  // ws optionally requires these native add-ons; it works without them.
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
  logLevel: 'warning',
  metafile: true,
};

const entries = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['scripts/sim.ts'], outfile: 'dist/sim.js' },
  // The command line: its own bundle, never in the VSIX (.vscodeignore lets in dist/extension.js only).
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
].filter((entry) => {
  // --extension-only is what packaging needs: the VSIX ships the extension bundle, not the CLIs.
  if (args.has('--extension-only')) return entry.outfile === 'dist/extension.js';
  if (args.has('--sim-only')) return entry.outfile === 'dist/sim.js';
  if (args.has('--cli-only')) return entry.outfile === 'dist/cli.js';
  return true;
});

if (watch) {
  const contexts = await Promise.all(entries.map((entry) => esbuild.context({ ...common, ...entry })));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(entries.map((entry) => esbuild.build({ ...common, ...entry })));
}
