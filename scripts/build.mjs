// Bundles the extension, the `impervious-events` command line and the standalone simulator with esbuild.
// esbuild does not type-check: `npm run typecheck` does that.
//
// The extension is more than one bundle: what activation does not need is a bundle of its own,
// loaded by a dynamic `import()` the first time it is used (`LAZY_MODULES`). Each bundle's
// metafile goes beside it (dist/<name>.meta.json) for the benchmark, which lists what it carries.
import * as esbuild from 'esbuild';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWireSchema } from './wire-schema.mjs';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
// --outdir=<folder> builds there instead of dist/ (the bundle's unit test builds into a temporary folder).
const outdir = [...args].find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';

/**
 * Modules the extension imports with `import()` only, each bundled apart into dist/: the
 * extension's bundle keeps a `require` of the file instead of the module's code.
 */
const LAZY_MODULES = {
  'src/core/simulator/simulatedNode.ts': 'simulator.js',
  // Request files' parser, runner, checks and views: loaded when a request file opens, a request
  // command runs or the Testing view asks for tests (src/vscode/requests/lazyRequestFiles.ts).
  'src/vscode/requests/requestFiles.ts': 'requests.js',
};

/**
 * Turns each dynamic `import()` of a lazy module into a `require` of its bundle, beside the
 * importer's, when the promise runs: a module of the extension host's own CommonJS loader, as the
 * extension's bundle is.
 */
const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: /^\./, namespace: 'file' }, (resolve) => {
      const relative = path.relative(root, path.resolve(resolve.resolveDir, resolve.path)).split(path.sep).join('/');
      const bundle = LAZY_MODULES[`${relative}.ts`];
      if (!bundle) return undefined;
      if (resolve.kind !== 'dynamic-import') {
        return { errors: [{ text: `${relative} is bundled apart (${bundle}): import it with import(), not statically` }] };
      }
      return { path: bundle, namespace: 'lazy-module' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-module' }, (load) => ({ contents: `module.exports = require('./${load.path}');`, loader: 'js' }));
    build.onResolve({ filter: /.*/, namespace: 'lazy-module' }, (resolve) => ({ path: resolve.path, external: true }));
  },
};

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

const lazyEntries = Object.entries(LAZY_MODULES).map(([source, bundle]) => ({ entryPoints: [source], outfile: `dist/${bundle}`, extension: true }));

const entries = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', extension: true, plugins: [lazyModules] },
  ...lazyEntries,
  { entryPoints: ['scripts/sim.ts'], outfile: 'dist/sim.js' },
  // The command line: its own bundle, never in the VSIX (.vscodeignore lets in the extension's bundles only).
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  // The Timeline's webview: a browser bundle of its own (with its chart library and stylesheet,
  // dist/timeline.css), loaded only by the webview, so dist/extension.js does not grow.
  { entryPoints: ['src/webview/timeline/main.ts'], outfile: 'dist/timeline.js', platform: 'browser', format: 'iife', target: 'es2022', external: [], webview: true },
].filter((entry) => {
  // The webview's bundle ships in the VSIX with the extension's.
  if (entry.webview) return !args.has('--sim-only') && !args.has('--cli-only');
  // --extension-only is what packaging needs: the VSIX ships the extension's bundles, not the CLIs.
  if (args.has('--extension-only')) return entry.extension === true;
  if (args.has('--sim-only')) return entry.outfile === 'dist/sim.js';
  if (args.has('--cli-only')) return entry.outfile === 'dist/cli.js';
  return true;
});

/** dist/extension.js → dist/extension.meta.json */
const metafilePath = (outfile) => path.resolve(root, outfile.replace(/\.js$/, '.meta.json'));

writeWireSchema();
const options = entries.map(({ webview: _, extension: __, outfile, ...entry }) => ({ ...common, ...entry, outfile: path.join(outdir, path.basename(outfile)) }));
if (watch) {
  const contexts = await Promise.all(options.map((entry) => esbuild.context(entry)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  const results = await Promise.all(options.map((entry) => esbuild.build(entry)));
  results.forEach((result, i) => writeFileSync(metafilePath(options[i].outfile), JSON.stringify(result.metafile)));
}
