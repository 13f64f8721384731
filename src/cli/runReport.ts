// A run of request files as the reporters see it: per file, per block, what happened. Built from
// the core runner's results; the terminal, JUnit, JSON and GitHub reporters all read this one shape.
import type { BlockRun } from '../core/requests/runner';
import { displayName, type RequestFile } from '../core/requests/requestFile';

export type BlockStatus = 'passed' | 'failed' | 'skipped';

export interface FailedExpectationReport {
  /** Its position among the block's expectations. */
  readonly expectation: number;
  /** 1-based line of its `> expect` in the file. */
  readonly line: number;
  readonly text: string;
  readonly expected?: string;
  readonly actual?: string;
}

export interface BlockReport {
  readonly index: number;
  /** The block's result name: `@name`, else title, else `#n`. */
  readonly name: string;
  readonly title: string;
  /** 1-based line of its `###`. */
  readonly line: number;
  readonly status: BlockStatus;
  /** The ID the node gave the sent message; absent when nothing was sent. */
  readonly id?: string;
  readonly replyId?: string;
  readonly latencyMs?: number;
  readonly failures: readonly string[];
  readonly failedExpectations: readonly FailedExpectationReport[];
  /** For a skipped block: why it was not run. */
  readonly skipped?: string;
}

export interface FileReport {
  /** The file as the user named it, relative to the working folder, with `/`. */
  readonly file: string;
  readonly blocks: readonly BlockReport[];
  /** How long the file's run took. */
  readonly elapsedMs: number;
}

export interface RunCounts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** A block's report from its run's result. */
export function ranBlock(file: RequestFile, index: number, result: BlockRun): BlockReport {
  const block = file.blocks[index]!;
  return {
    index,
    name: result.name,
    title: block.title,
    line: block.range.start.line + 1,
    status: result.passed ? 'passed' : 'failed',
    ...(result.id !== '' ? { id: result.id } : {}),
    ...(result.replyId !== undefined ? { replyId: result.replyId } : {}),
    ...(result.latencyMs !== undefined ? { latencyMs: result.latencyMs } : {}),
    failures: result.failures,
    failedExpectations: result.failedExpectations.map((failure) => ({
      expectation: failure.expectation,
      line: (block.expectations[failure.expectation]?.range.start.line ?? block.range.start.line) + 1,
      text: failure.text,
      ...(failure.comparison ? { expected: failure.comparison.expected, actual: failure.comparison.actual } : {}),
    })),
  };
}

/** A block the run did not reach (`--grep`, `--bail`, Ctrl+C). */
export function skippedBlock(file: RequestFile, index: number, why: string): BlockReport {
  const block = file.blocks[index]!;
  return { index, name: displayName(block), title: block.title, line: block.range.start.line + 1, status: 'skipped', failures: [], failedExpectations: [], skipped: why };
}

export function countBlocks(files: readonly FileReport[]): RunCounts {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const file of files) {
    for (const block of file.blocks) {
      counts[block.status]++;
    }
  }
  return counts;
}

/** The closing line: `N passed, M failed`, and `, K skipped` when some were. */
export function summaryLine(counts: RunCounts): string {
  return `${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`;
}
