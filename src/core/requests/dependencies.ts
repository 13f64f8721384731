import * as l10n from '@vscode/l10n';
import { referencedBlock } from './references';
import { allSpans, displayName, type Range, type RequestBlock, type RequestFile, type RequestProblem } from './requestFile';

interface Dependency {
  readonly block: string;
  /** The first reference to it, where a cycle's problem is shown. */
  readonly range: Range;
}

export interface ReferenceCycle {
  /** Block indices around the cycle, in reference order. */
  readonly blocks: readonly number[];
  /** "a → b → a". */
  readonly description: string;
  /** The reference that closes the cycle. */
  readonly range: Range;
}

export interface RunPlan {
  /** Block indices in the order to run them: every block after the blocks it references. */
  readonly order: readonly number[];
  /** Blocks on a reference cycle, with the cycle: they fail without sending. */
  readonly cyclic: ReadonlyMap<number, ReferenceCycle>;
}

/** The named blocks a block references, each once, in the order they first appear. */
export function dependenciesOf(block: RequestBlock): Dependency[] {
  const seen = new Map<string, Dependency>();
  for (const span of allSpans(block)) {
    for (const reference of span.references) {
      const name = reference.target && referencedBlock(reference.target);
      if (name !== undefined && !seen.has(name)) {
        seen.set(name, { block: name, range: reference.range });
      }
    }
  }
  return [...seen.values()];
}

/**
 * Orders `targets` and the blocks they reference, depth first. A referenced block that is not a
 * target and `isDone` (has a result in this window) is not run again. Iterative, so a chain of
 * 10,000 blocks cannot overflow the stack; every block and reference is visited once.
 */
export function planRun(file: RequestFile, targets: readonly number[], isDone: (name: string) => boolean = () => false): RunPlan {
  const byName = new Map<string, number>();
  for (const block of file.blocks) {
    if (block.name !== undefined && !byName.has(block.name)) {
      byName.set(block.name, block.index);
    }
  }
  const wanted = new Set(targets);
  const state = new Uint8Array(file.blocks.length);
  const stackIndex = new Int32Array(file.blocks.length).fill(-1);
  const order: number[] = [];
  const cyclic = new Map<number, ReferenceCycle>();
  for (const target of targets) {
    if (state[target] !== 0) {
      continue;
    }
    const stack = [{ index: target, deps: dependenciesOf(file.blocks[target]!), at: 0 }];
    state[target] = 1;
    stackIndex[target] = 0;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.at < frame.deps.length) {
        const dependency = frame.deps[frame.at++]!;
        const next = byName.get(dependency.block);
        if (next === undefined || (!wanted.has(next) && isDone(dependency.block))) {
          continue;
        }
        if (state[next] === 1) {
          const blocks = stack.slice(stackIndex[next]).map((entry) => entry.index);
          const description = [...blocks, next].map((index) => displayName(file.blocks[index]!)).join(' → ');
          const cycle = { blocks, description, range: dependency.range };
          blocks.forEach((index) => cyclic.has(index) || cyclic.set(index, cycle));
        } else if (state[next] === 0) {
          state[next] = 1;
          stackIndex[next] = stack.length;
          stack.push({ index: next, deps: dependenciesOf(file.blocks[next]!), at: 0 });
        }
        continue;
      }
      state[frame.index] = 2;
      stackIndex[frame.index] = -1;
      order.push(frame.index);
      stack.pop();
    }
  }
  return { order, cyclic };
}

/** One problem per reference cycle in the file, on the reference that closes it. */
export function cycleProblems(file: RequestFile): RequestProblem[] {
  const { cyclic } = planRun(file, file.blocks.map((block) => block.index));
  const cycles = new Set(cyclic.values());
  return [...cycles].map((cycle) => ({ range: cycle.range, severity: 'error', message: l10n.t('Reference cycle: {0}', cycle.description) }));
}
