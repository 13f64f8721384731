import * as l10n from '@vscode/l10n';
import { referencedBlock, shown } from './references';
import { allSpans, displayName, type Range, type RequestBlock, type RequestFile, type RequestProblem } from './requestFile';

interface Dependency {
  readonly block: string;
  /** The first reference to it, where a cycle's problem is shown. */
  readonly range: Range;
}

export interface ReferenceCycle {
  /** Block indices around the cycle, in reference order. */
  readonly blocks: readonly number[];
  /** "a → b → a", shortened in the middle when the cycle is long. */
  readonly description: string;
  /** The reference that closes the cycle. */
  readonly range: Range;
}

export interface RunPlan {
  /** Block indices in the order to run them: every block after the blocks it references. */
  readonly order: readonly number[];
  /**
   * Blocks that reference each other round (every block of the strongly connected group), each
   * with one cycle of its group: they fail without sending.
   */
  readonly cyclic: ReadonlyMap<number, ReferenceCycle>;
}

/** A description naming every block of a 10,000-block cycle would be megabytes, in every failure. */
const SHOWN_CYCLE_HEAD = 4;
const SHOWN_CYCLE_TAIL = 2;

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

interface Edge {
  readonly to: number;
  readonly range: Range;
}

/**
 * Orders `targets` and the blocks they reference, depth first. A referenced block that is not a
 * target and `isDone` (has a result in this window) is not run again. Cycles are found as strongly
 * connected groups (Tarjan), one cycle per group, so planning is linear in blocks and references
 * whatever the file's shape: iterative (a chain of 10,000 blocks cannot overflow the stack), each
 * block's references read once, and a cycle's description only built when read.
 */
export function planRun(file: RequestFile, targets: readonly number[], isDone: (name: string) => boolean = () => false): RunPlan {
  const blocks = file.blocks;
  const byName = new Map<string, number>();
  for (const block of blocks) {
    if (block.name !== undefined && !byName.has(block.name)) {
      byName.set(block.name, block.index);
    }
  }
  const wanted = new Set(targets);
  const edgesOf: (readonly Edge[] | undefined)[] = new Array<readonly Edge[] | undefined>(blocks.length);
  const found = new Int32Array(blocks.length).fill(-1);
  const low = new Int32Array(blocks.length);
  const onStack = new Uint8Array(blocks.length);
  const group = new Int32Array(blocks.length).fill(-1);
  const pending: number[] = [];
  const order: number[] = [];
  const cyclic = new Map<number, ReferenceCycle>();
  let visited = 0;
  let groups = 0;

  const visit = (index: number): void => {
    found[index] = low[index] = visited++;
    pending.push(index);
    onStack[index] = 1;
    edgesOf[index] = dependenciesOf(blocks[index]!).flatMap((dependency): Edge[] => {
      const to = byName.get(dependency.block);
      return to === undefined || (!wanted.has(to) && isDone(dependency.block)) ? [] : [{ to, range: dependency.range }];
    });
  };

  for (const target of targets) {
    if (found[target] !== -1) {
      continue;
    }
    visit(target);
    const stack = [{ index: target, at: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const edges = edgesOf[frame.index]!;
      if (frame.at < edges.length) {
        const next = edges[frame.at++]!.to;
        if (found[next] === -1) {
          visit(next);
          stack.push({ index: next, at: 0 });
        } else if (onStack[next] === 1) {
          low[frame.index] = Math.min(low[frame.index]!, found[next]!);
        }
        continue;
      }
      stack.pop();
      order.push(frame.index);
      const parent = stack[stack.length - 1];
      if (parent) {
        low[parent.index] = Math.min(low[parent.index]!, low[frame.index]!);
      }
      if (low[frame.index] !== found[frame.index]) {
        continue;
      }
      const id = groups++;
      const members: number[] = [];
      let member: number;
      do {
        member = pending.pop()!;
        onStack[member] = 0;
        group[member] = id;
        members.push(member);
      } while (member !== frame.index);
      const cycle = cycleThrough(frame.index, id, group, edgesOf, file);
      if (cycle) {
        members.forEach((index) => cyclic.set(index, cycle));
      }
    }
  }
  return { order, cyclic };
}

/**
 * The shortest cycle from `root` back to it within its group, by breadth-first search over the
 * group's references only (so every group's search together reads each reference once), or
 * `undefined` when the group is one block that does not reference itself.
 */
function cycleThrough(root: number, id: number, group: Int32Array, edgesOf: readonly (readonly Edge[] | undefined)[], file: RequestFile): ReferenceCycle | undefined {
  const parent = new Map<number, number>([[root, -1]]);
  const queue = [root];
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head]!;
    for (const edge of edgesOf[from]!) {
      if (group[edge.to] !== id) {
        continue;
      }
      if (edge.to === root) {
        const path: number[] = [];
        for (let at = from; at !== -1; at = parent.get(at)!) {
          path.push(at);
        }
        return new LazyCycle(path.reverse(), edge.range, file);
      }
      if (!parent.has(edge.to)) {
        parent.set(edge.to, from);
        queue.push(edge.to);
      }
    }
  }
  return undefined;
}

class LazyCycle implements ReferenceCycle {
  private text: string | undefined;

  constructor(
    readonly blocks: readonly number[],
    readonly range: Range,
    private readonly file: RequestFile,
  ) {}

  get description(): string {
    this.text ??= describeCycle(this.blocks, this.file);
    return this.text;
  }
}

function describeCycle(blocks: readonly number[], file: RequestFile): string {
  const name = (index: number): string => shown(displayName(file.blocks[index]!));
  const around = [...blocks, blocks[0]!];
  if (around.length <= SHOWN_CYCLE_HEAD + SHOWN_CYCLE_TAIL + 1) {
    return around.map(name).join(' → ');
  }
  return [...around.slice(0, SHOWN_CYCLE_HEAD).map(name), '…', ...around.slice(-SHOWN_CYCLE_TAIL).map(name)].join(' → ');
}

/** One problem per group of blocks that reference each other round, on the reference that closes its cycle. */
export function cycleProblems(file: RequestFile): RequestProblem[] {
  const { cyclic } = planRun(file, file.blocks.map((block) => block.index));
  const cycles = new Set(cyclic.values());
  return [...cycles].map((cycle) => ({ range: cycle.range, severity: 'error', message: l10n.t('Reference cycle: {0}', cycle.description) }));
}
