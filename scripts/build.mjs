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
  // The Timeline's webview: a browser bundle of its own (with its chart library and stylesheet,
  // dist/timeline.css), loaded only by the webview, so dist/extension.js does not grow.
  { entryPoints: ['src/webview/timeline/main.ts'], outfile: 'dist/timeline.js', platform: 'browser', format: 'iife', target: 'es2022', external: [], webview: true },
].filter((entry) => {
  // The webview's bundle ships in the VSIX with the extension's.
  if (entry.webview) return !args.has('--sim-only') && !args.has('--cli-only');
  // --extension-only is what packaging needs: the VSIX ships the extension bundle, not the CLIs.
  if (args.has('--extension-only')) return entry.outfile === 'dist/extension.js';
  if (args.has('--sim-only')) return entry.outfile === 'dist/sim.js';
  if (args.has('--cli-only')) return entry.outfile === 'dist/cli.js';
  return true;
});

if (watch) {
  const contexts = await Promise.all(entries.map(({ webview: _, ...entry }) => esbuild.context({ ...common, ...entry })));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(entries.map(({ webview: _, ...entry }) => esbuild.build({ ...common, ...entry })));
}
