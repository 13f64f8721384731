import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..', '..');

/** The part of esbuild's metafile read here: which source files went into the bundle. */
interface Metafile {
  readonly inputs: Record<string, unknown>;
}

describe('the extension bundle', function () {
  // esbuild builds the extension's bundles in a few seconds; a busy machine takes longer.
  this.timeout(120_000);
  let outdir: string;
  let inputs: string[];
  let bundle: string;

  before(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-bundle-'));
    execFileSync(process.execPath, ['scripts/build.mjs', '--production', '--extension-only', `--outdir=${outdir}`], { cwd: root, stdio: 'inherit' });
    inputs = metafileInputs('extension.meta.json');
    bundle = fs.readFileSync(path.join(outdir, 'extension.js'), 'utf8');
  });

  after(() => fs.rmSync(outdir, { recursive: true, force: true }));

  /** The source files that went into a bundle, from its metafile. */
  function metafileInputs(metafile: string): string[] {
    return Object.keys((JSON.parse(fs.readFileSync(path.join(outdir, metafile), 'utf8')) as Metafile).inputs);
  }

  it('carries neither protobufjs nor the simulated node, which activation does not need', () => {
    const carried = inputs.filter((input) => /node_modules\/(protobufjs|long)\/|src\/core\/simulator\/simulatedNode\.ts$|src\/core\/wire\/wireTypes\.ts$/.test(input));
    assert.deepStrictEqual(carried, []);
    assert.ok(inputs.some((input) => input.endsWith('src/core/wire/wireSchema.ts')), 'the decoder reads the field tables made at build time');
  });

  it("carries no request-file parser, runner or checks: they load from dist/requests.js on first use", () => {
    const carried = inputs.filter((input) => /src\/core\/requests\/(?!jsonPath\.ts$)|src\/vscode\/requests\/(?!index\.ts$|lazyRequestFiles\.ts$|requestLanguage\.ts$)/.test(input));
    assert.deepStrictEqual(carried, [], 'only the part activation registers (the query language shares jsonPath.ts)');
    const requests = metafileInputs('requests.meta.json');
    for (const part of ['src/core/requests/parser.ts', 'src/core/requests/runner.ts', 'src/core/requests/diagnostics.ts', 'src/vscode/requests/requestTests.ts']) {
      assert.ok(requests.includes(part), `dist/requests.js carries ${part}`);
    }
    // A word of the parser's own errors, which only the parser writes.
    assert.ok(!bundle.includes('Before the first'), 'a parser message is in dist/extension.js');
  });

  it('loads the simulated node and request files from their own bundles, which the VSIX ships', async () => {
    const required = [...bundle.matchAll(/require\("\.\/([\w.-]+\.js)"\)/g)].map((match) => match[1]);
    assert.deepStrictEqual(required.sort(), ['requests.js', 'simulator.js']);
    const shipped = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((line) => line.trim());
    for (const file of required) {
      assert.ok(shipped.includes(`!dist/${file}`), `.vscodeignore lets in dist/${file}`);
    }
    const simulator = (await import(path.join(outdir, 'simulator.js'))) as { startSimulatedNode?: unknown };
    assert.strictEqual(typeof simulator.startSimulatedNode, 'function');
  });
});
