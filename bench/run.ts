// `npm run bench`: the benchmark sections in order, one table, and the raw figures as JSON in
// bench-results/. Options: --only throughput,decode  --rounds 5  --scale 0.1 (quick check)  --strict
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { formatTable, machineInfo, type BenchRow, type BenchSection } from './report';
import { bundleSection } from './sections/bundle';
import { cliSection } from './sections/cli';
import { decodeSection } from './sections/decode';
import { latencySection } from './sections/latency';
import { memorySection } from './sections/memory';
import { querySection } from './sections/query';
import { requestFilesSection } from './sections/requestFiles';
import { throughputSection } from './sections/throughput';
import { vscodeSection } from './sections/vscode';

/** A new section goes at the end of this list. */
const SECTIONS: readonly BenchSection[] = [throughputSection, decodeSection, memorySection, latencySection, bundleSection, vscodeSection, requestFilesSection, cliSection, querySection];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      rounds: { type: 'string', default: '5' },
      scale: { type: 'string', default: '1' },
      strict: { type: 'boolean', default: false },
    },
  });
  const rounds = Number(values.rounds);
  const scale = Number(values.scale);
  if (!Number.isInteger(rounds) || rounds < 1 || !(scale > 0)) {
    throw new Error('--rounds needs a whole number ≥ 1 and --scale a number > 0');
  }
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !SECTIONS.some((section) => section.name === name)) ?? [];
  if (unknown.length > 0) {
    throw new Error(`unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((section) => section.name).join(', ')}`);
  }
  if (!(globalThis as { gc?: unknown }).gc) {
    console.warn('(run with node --expose-gc for a GC before each in-memory round)');
  }

  const machine = machineInfo();
  const started = new Date();
  console.log(`Impervious Node Events benchmark: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node}, ${machine.platform}`);
  console.log(`${rounds} rounds per side, alternating; figures are medians.${scale !== 1 ? ` Scale ${scale}: not the figures the targets are for.` : ''}\n`);

  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  for (const section of SECTIONS.filter((candidate) => !only || only.includes(candidate.name))) {
    console.log(`${section.title}…`);
    const sectionStart = performance.now();
    const result = await section.run({ rounds, scale, log: (line) => console.log(line) });
    const seconds = (performance.now() - sectionStart) / 1000;
    console.log(`  (${seconds.toFixed(1)} s)\n`);
    rows.push(...result.rows);
    details[section.name] = { seconds, rows: result.rows, details: result.details };
  }

  console.log(formatTable(rows));
  console.log(`\nMachine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}.`);
  const missed = rows.filter((row) => row.ok === false);
  console.log(missed.length === 0 ? 'Every target met.' : `Targets missed: ${missed.map((row) => `${row.section} / ${row.metric}`).join('; ')}.`);

  const dir = path.resolve(__dirname, '..', '..', 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const json = JSON.stringify({ started: started.toISOString(), machine, rounds, scale, rows, sections: details }, null, 2);
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(dir, 'latest.json'), json);
  console.log(`Results: ${path.relative(process.cwd(), file)}`);
  if (values.strict && missed.length > 0) {
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
