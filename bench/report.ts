import * as os from 'os';

/** One line of the results table. `baseline` and `ratio` are absent where nothing compares. */
export interface BenchRow {
  readonly section: string;
  readonly metric: string;
  readonly unit: string;
  readonly baseline?: number;
  readonly ours: number;
  /** ours / baseline, always; the target says which way is better. */
  readonly ratio?: number;
  /** Human-readable, e.g. `ratio ≥ 0.85` or `< 32 MB`. */
  readonly target?: string;
  readonly ok?: boolean;
}

/** What a section hands back: its rows, and whatever raw figures are worth keeping in the JSON. */
export interface SectionResult {
  readonly rows: BenchRow[];
  readonly details?: unknown;
}

export interface BenchContext {
  /** Rounds per side for the alternating comparisons. */
  readonly rounds: number;
  /** Scales every message count (1 = the figures the targets are defined for). */
  readonly scale: number;
  log(line: string): void;
}

/**
 * A part of `npm run bench`. Sections run in order, each on its own; a new one is added by
 * appending it to the list in `run.ts`.
 */
export interface BenchSection {
  readonly name: string;
  readonly title: string;
  run(context: BenchContext): Promise<SectionResult>;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly node: string;
  readonly platform: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** CPU milliseconds of `work` per pass over `times` passes, so another process on the core does not count. */
export function cpuMs(times: number, work: () => number): number {
  const started = process.cpuUsage();
  let sink = 0;
  for (let i = 0; i < times; i++) {
    sink += work();
  }
  const used = process.cpuUsage(started);
  if (sink < 0) {
    throw new Error('unreachable');
  }
  return (used.user + used.system) / 1000 / times;
}

/** Nearest-rank percentile (`p` in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/**
 * Baseline and ours in alternating order, ABBA style (B O O B B O ...), so that a machine getting
 * slower or faster during the run weighs on both sides alike.
 */
export async function alternate<T>(rounds: number, baseline: () => Promise<T>, ours: () => Promise<T>): Promise<{ baseline: T[]; ours: T[] }> {
  const result = { baseline: [] as T[], ours: [] as T[] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      result.baseline.push(await baseline());
      result.ours.push(await ours());
    } else {
      result.ours.push(await ours());
      result.baseline.push(await baseline());
    }
  }
  return result;
}

export function formatNumber(value: number | undefined): string {
  if (value === undefined) {
    return '';
  }
  if (!Number.isFinite(value)) {
    return String(value);
  }
  const magnitude = Math.abs(value);
  if (magnitude >= 10_000) {
    return Math.round(value).toLocaleString('en-US');
  }
  if (magnitude >= 100) {
    return value.toFixed(0);
  }
  if (magnitude >= 10) {
    return value.toFixed(1);
  }
  return value.toFixed(2);
}

/** A Markdown table, readable as plain text too. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['section', 'metric', 'unit', 'baseline', 'ours', 'ratio', 'target', 'ok'];
  const lines = rows.map((row) => [
    row.section,
    row.metric,
    row.unit,
    formatNumber(row.baseline),
    formatNumber(row.ours),
    row.ratio === undefined ? '' : row.ratio.toFixed(2),
    row.target ?? '',
    row.ok === undefined ? '' : row.ok ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const numeric = new Set([3, 4, 5]);
  const render = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column] as number) : cell.padEnd(widths[column] as number))).join(' | ')} |`;
  return [render(header), `|${widths.map((width, column) => (numeric.has(column) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`, ...lines.map(render)].join('\n');
}
