import * as l10n from '@vscode/l10n';
import type { Clock } from '../base/clock';
import { isNodePubkey } from '../sending/nodePubkey';
import type { NodeMessage } from '../nodeMessage';
import { dependenciesOf, planRun, type RunPlan } from './dependencies';
import { checkExpectations, isReplyAssertion, replyWaitMs, type ExpectationFailure, type MatchedMessage } from './expectations';
import { headerValueProblem } from './parser';
import { MAX_KEPT_REPLY_BYTES, needsReply, referencedBlock, resolveSpan, shown, type BlockOutcome, type ResolveContext } from './references';
import { allSpans, displayName, type HeaderName, type RequestBlock, type RequestFile, type TextSpan } from './requestFile';
import type { PlannedSend, SpendGuard } from './spendGuard';

/** A send as the runner asks for it; `node` undefined lets the port pick the first connected node. */
export interface RequestSend {
  readonly node?: string;
  readonly pubkey: string;
  readonly data: Uint8Array;
  readonly amount?: bigint;
  readonly replyToId?: string;
}

/** What the runner needs from the extension: injected so the same file runs in plain Node tests. */
export interface RequestPort {
  /** Resolves with the ID the node gave the message. */
  send(request: RequestSend): Promise<string>;
  /** Resolves with the reply to `id`, or rejects when none came within `timeoutMs`. */
  waitForReply(id: string, timeoutMs: number): Promise<NodeMessage>;
  /**
   * Resolves with the first message received from now on that `matches` (a reply or not, from any
   * node), or `undefined` when none came within `timeoutMs` or `signal` aborted first.
   */
  waitForMessage(matches: (message: NodeMessage) => boolean, timeoutMs: number, signal: AbortSignal): Promise<NodeMessage | undefined>;
  minimumAmount(bytes: number): bigint;
  nodeNames(): readonly string[];
  readonly clock: Clock;
}

/** Per block, the shape `impervious.runRequest` / `runAllRequests` return. */
export interface BlockRunResult {
  readonly name: string;
  /** `''` when the block was not sent. */
  readonly id: string;
  readonly replyId?: string;
  readonly passed: boolean;
  readonly latencyMs?: number;
  readonly failures: string[];
}

/** A block's run as the editor shows it: the result, and each failed expectation with what it compared. */
export interface BlockRun extends BlockRunResult {
  /** Empty when the block was not sent or its send failed (`failures` says why). */
  readonly failedExpectations: readonly ExpectationFailure[];
}

/** The fields of a run that the commands return, and no other. */
export function publicResult({ name, id, replyId, passed, latencyMs, failures }: BlockRun): BlockRunResult {
  return { name, id, ...(replyId !== undefined ? { replyId } : {}), passed, ...(latencyMs !== undefined ? { latencyMs } : {}), failures };
}

export type RunProgressKind = 'sent' | 'waiting' | 'replied' | 'timedOut' | 'failed';

export interface RunProgress {
  readonly kind: RunProgressKind;
  readonly index: number;
  readonly name: string;
  /** The sent message's ID (`''` before a send). */
  readonly id: string;
  /** Since the block started. */
  readonly elapsedMs: number;
  /** For `failed`: why. */
  readonly detail?: string;
}

export interface RunOptions {
  /** When a block has no `@timeout`: the editor passes `impervious.watchTimeoutSeconds` (or 30 s when 0). */
  readonly defaultTimeoutMs: number;
  /** The run's budget: one per click, test run request or command, shared by every block and file it runs. */
  readonly spend: SpendGuard;
  /** The file as questions name it, in a run over several files. */
  readonly fileLabel?: string;
  readonly onProgress?: (event: RunProgress) => void;
  /** Told of each block's result as soon as it is decided, with the block's index (the command line prints it then). */
  readonly onResult?: (result: BlockRun, index: number) => void;
  /**
   * Asked before each block: `true` ends the run there, and the blocks not run yet are left out of
   * the results (the command line's `--bail` and its Ctrl+C).
   */
  readonly stopped?: () => boolean;
}

/** The sends a run can name before it starts, and how many more only replies will reveal. */
export interface SpendEstimate {
  readonly sends: readonly PlannedSend[];
  readonly later: number;
}

/** What request results hold at most: the oldest file's results go first, then the oldest replies' data. */
export const RESULT_LIMITS = { files: 64, totalBytes: 16 * 1024 * 1024 };

/** Block results of this window, per file, so a later run can chain on an earlier one; bounded by RESULT_LIMITS. */
export class RequestResults {
  /** In use order: the least recently used file first. */
  private readonly files = new Map<string, FileOutcomes>();
  private bytes = 0;

  constructor(private readonly limits: typeof RESULT_LIMITS = RESULT_LIMITS) {}

  /** One file's results; the runner sets and deletes them as blocks run. */
  outcomes(fileKey: string): Map<string, BlockOutcome> {
    let outcomes = this.files.get(fileKey);
    if (outcomes) {
      this.files.delete(fileKey);
    } else {
      const created = new FileOutcomes((change) => {
        // A run still holding a cleared file's outcomes changes nothing counted here.
        if (this.files.get(fileKey) === created) {
          this.resize(fileKey, change);
        }
      });
      outcomes = created;
    }
    this.files.set(fileKey, outcomes);
    while (this.files.size > this.limits.files) {
      this.clear(this.files.keys().next().value!);
    }
    return outcomes;
  }

  /** Forgets one file's results, or every file's. */
  clear(fileKey?: string): void {
    for (const [key, outcomes] of this.files) {
      if (fileKey === undefined || key === fileKey) {
        this.bytes -= outcomes.bytes;
        this.files.delete(key);
      }
    }
  }

  /** Files with results, and the bytes their results hold. */
  get size(): { readonly files: number; readonly bytes: number } {
    return { files: this.files.size, bytes: this.bytes };
  }

  private resize(fileKey: string, change: number): void {
    this.bytes += change;
    for (const key of [...this.files.keys()]) {
      if (this.bytes <= this.limits.totalBytes) {
        return;
      }
      if (key !== fileKey) {
        this.clear(key);
      }
    }
    // One file holds more than the budget: its oldest replies lose their data, never their IDs,
    // so a block that ran is not sent again just to be referenced.
    this.files.get(fileKey)?.dropOldestData(() => this.bytes <= this.limits.totalBytes);
  }
}

/** One file's outcomes, counting the bytes they hold; a reply is copied, so no frame buffer stays alive through it. */
class FileOutcomes extends Map<string, BlockOutcome> {
  bytes = 0;

  constructor(private readonly onResize: (change: number) => void) {
    super();
  }

  override set(name: string, outcome: BlockOutcome): this {
    const previous = this.get(name);
    const kept = keptOutcome(outcome);
    super.set(name, kept);
    this.account(outcomeBytes(kept) - (previous ? outcomeBytes(previous) : 0));
    return this;
  }

  override delete(name: string): boolean {
    const previous = this.get(name);
    const deleted = super.delete(name);
    if (previous) {
      this.account(-outcomeBytes(previous));
    }
    return deleted;
  }

  override clear(): void {
    super.clear();
    this.account(-this.bytes);
  }

  dropOldestData(enough: () => boolean): void {
    for (const [name, outcome] of this) {
      if (enough()) {
        return;
      }
      if (outcome.reply && outcome.reply.data.byteLength > 0) {
        super.set(name, dropData(outcome));
        this.account(-outcome.reply.data.byteLength);
      }
    }
  }

  private account(change: number): void {
    this.bytes += change;
    if (change !== 0) {
      this.onResize(change);
    }
  }
}

function keptOutcome(outcome: BlockOutcome): BlockOutcome {
  const reply = outcome.reply;
  if (!reply || outcome.replyBytesDropped !== undefined) {
    return outcome;
  }
  return reply.data.byteLength > MAX_KEPT_REPLY_BYTES ? dropData(outcome) : { ...outcome, reply: { ...reply, data: new Uint8Array(reply.data) } };
}

function dropData(outcome: BlockOutcome): BlockOutcome {
  const reply = outcome.reply!;
  return { ...outcome, reply: { ...reply, data: new Uint8Array(0) }, replyBytesDropped: outcome.replyBytesDropped ?? reply.data.byteLength };
}

/** Near enough: the data, and the strings at two bytes a character. */
function outcomeBytes(outcome: BlockOutcome): number {
  const reply = outcome.reply;
  const replyBytes = reply ? reply.data.byteLength + 2 * (reply.id.length + reply.replyToId.length + reply.fromPubkey.length + reply.node.length + reply.serviceType.length) : 0;
  return 64 + 2 * outcome.id.length + replyBytes;
}

export interface PreparedSend {
  readonly request: RequestSend;
  /** The send as a spend question names it. */
  readonly planned: PlannedSend;
}

/**
 * Runs the blocks of a request file through a port. Sends happen only from `runRequest` and
 * `runAllRequests`, which the editor calls on a user's action.
 */
export class RequestRunner {
  constructor(
    private readonly port: RequestPort,
    readonly results: RequestResults = new RequestResults(),
  ) {}

  /** Runs one block, after the blocks it references that have no result in this window yet. */
  runRequest(fileKey: string, file: RequestFile, index: number, options: RunOptions): Promise<BlockRun[]> {
    return this.run(fileKey, file, [index], options);
  }

  /** Runs every block in file order, each after the blocks it references. */
  runAllRequests(fileKey: string, file: RequestFile, options: RunOptions): Promise<BlockRun[]> {
    return this.run(fileKey, file, file.blocks.map((block) => block.index), options);
  }

  /** Runs these blocks in file order, each after the blocks it references (the command line's `--grep`). */
  runBlocks(fileKey: string, file: RequestFile, targets: readonly number[], options: RunOptions): Promise<BlockRun[]> {
    return this.run(fileKey, file, targets, options);
  }

  /** What running `targets` would send, as far as it can be known before any send: for a run over several files. */
  estimate(fileKey: string, file: RequestFile, targets: readonly number[], fileLabel?: string): SpendEstimate {
    const outcomes = this.results.outcomes(fileKey);
    return this.estimateOf(file, this.plan(file, targets, outcomes), { variables: file.variables, outcomes }, fileLabel);
  }

  private plan(file: RequestFile, targets: readonly number[], outcomes: ReadonlyMap<string, BlockOutcome>): RunPlan {
    return planRun(file, targets.filter((index) => file.blocks[index] !== undefined), (name) => outcomes.has(name));
  }

  /**
   * The sends that can be prepared now; a block that cannot (it waits on a reply in this run) is
   * counted in `later`, and the guard weighs it again just before it is sent.
   */
  private estimateOf(file: RequestFile, plan: RunPlan, context: ResolveContext, fileLabel: string | undefined): SpendEstimate {
    const sends: PlannedSend[] = [];
    let later = 0;
    for (const index of plan.order) {
      if (plan.cyclic.has(index)) {
        continue;
      }
      const block = file.blocks[index]!;
      const prepared = this.prepare(block, context, fileLabel);
      if (typeof prepared !== 'string') {
        sends.push(prepared.planned);
      } else if (dependenciesOf(block).length > 0) {
        later++;
      }
    }
    return { sends, later };
  }

  private async run(fileKey: string, file: RequestFile, targets: readonly number[], options: RunOptions): Promise<BlockRun[]> {
    const outcomes = this.results.outcomes(fileKey);
    const context: ResolveContext = { variables: file.variables, outcomes };
    const plan = this.plan(file, targets, outcomes);
    const repliesWanted = replyReferences(file);
    const { spend } = options;
    const estimate = this.estimateOf(file, plan, context, options.fileLabel);
    await spend.begin(estimate.sends, estimate.later);
    const results: BlockRun[] = [];
    for (const index of plan.order) {
      if (options.stopped?.() === true) {
        break;
      }
      const block = file.blocks[index]!;
      const started = this.port.clock.now();
      const record = (result: BlockRun): void => {
        results.push(result);
        options.onResult?.(result, index);
      };
      const fail = (failure: string): void => {
        if (block.name !== undefined) {
          outcomes.delete(block.name);
        }
        options.onProgress?.({ kind: 'failed', index, name: displayName(block), id: '', elapsedMs: this.port.clock.now() - started, detail: failure });
        record({ name: displayName(block), id: '', passed: false, failures: [failure], failedExpectations: [] });
      };
      const cycle = plan.cyclic.get(index);
      if (cycle) {
        fail(l10n.t('not sent: reference cycle {0}', cycle.description));
        continue;
      }
      if (spend.declined) {
        fail(notConfirmed());
        continue;
      }
      // Prepared again now: the blocks before it may have changed what its references resolve to.
      const prepared = this.prepare(block, context, options.fileLabel);
      if (typeof prepared === 'string') {
        fail(l10n.t('not sent: {0}', prepared));
        continue;
      }
      if (!(await spend.allow(prepared.planned))) {
        fail(notConfirmed());
        continue;
      }
      const waitForReply = block.expectations.some(({ assertion }) => isReplyAssertion(assertion)) || repliesWanted.has(block.name);
      record(await this.sendAndCheck(block, prepared, context, outcomes, waitForReply, options));
    }
    return results;
  }

  private async sendAndCheck(
    block: RequestBlock,
    prepared: PreparedSend,
    context: ResolveContext,
    outcomes: Map<string, BlockOutcome>,
    waitForReply: boolean,
    options: RunOptions,
  ): Promise<BlockRun> {
    const name = displayName(block);
    const clock = this.port.clock;
    const started = clock.now();
    const progress = (kind: RunProgressKind, id: string, detail?: string) =>
      options.onProgress?.({ kind, index: block.index, name, id, elapsedMs: clock.now() - started, ...(detail !== undefined ? { detail } : {}) });
    // Watching starts before the send, so a message that comes while the send is answered counts.
    const stopWatching = new AbortController();
    const matching = this.watchMatches(block, started, stopWatching.signal);
    let id: string;
    try {
      id = await this.port.send(prepared.request);
    } catch (error) {
      stopWatching.abort();
      const failure = l10n.t('send failed: {0}', shown(errorText(error)));
      if (block.name !== undefined) {
        outcomes.delete(block.name);
      }
      progress('failed', '', failure);
      return { name, id: '', passed: false, failures: [failure], failedExpectations: [] };
    }
    progress('sent', id);
    if (block.name !== undefined) {
      outcomes.set(block.name, { id, reply: undefined });
    }
    if (!waitForReply && matching.size === 0) {
      return { name, id, passed: true, failures: [], failedExpectations: [] };
    }
    const waitMs = replyWaitMs(block.expectations, block.timeoutMs ?? options.defaultTimeoutMs);
    progress('waiting', id);
    const replyWait = async (): Promise<NodeMessage | undefined> => {
      if (!waitForReply) {
        return undefined;
      }
      try {
        const found = await this.port.waitForReply(id, waitMs);
        progress('replied', id);
        return found;
      } catch {
        progress('timedOut', id);
        return undefined;
      }
    };
    const [reply, matched] = await Promise.all([replyWait().then((found) => ({ found, at: clock.now() })), settledMatches(matching)]);
    const latencyMs = reply.found ? reply.at - started : undefined;
    if (block.name !== undefined) {
      outcomes.set(block.name, { id, reply: reply.found });
    }
    const failedExpectations = checkExpectations(block.expectations, { reply: reply.found, latencyMs, waitedMs: waitMs, matched }, context);
    return {
      name,
      id,
      ...(reply.found ? { replyId: reply.found.id, latencyMs } : {}),
      passed: failedExpectations.length === 0,
      failures: failedExpectations.map((failure) => failure.text),
      failedExpectations,
    };
  }

  /** One wait per `message matching` expectation (by its position), each for its own duration from `started`. */
  private watchMatches(block: RequestBlock, started: number, signal: AbortSignal): Map<number, Promise<MatchedMessage | undefined>> {
    const clock = this.port.clock;
    const waits = new Map<number, Promise<MatchedMessage | undefined>>();
    block.expectations.forEach(({ assertion }, index) => {
      if (assertion.kind === 'messageMatching') {
        const { query, ms } = assertion;
        const found = this.port.waitForMessage((message) => query.matches(message, clock.now()), ms, signal);
        waits.set(
          index,
          found.then((message) => (message ? { message, latencyMs: clock.now() - started } : undefined)),
        );
      }
    });
    return waits;
  }

  /** The send a block makes now, or why it cannot be made. */
  private prepare(block: RequestBlock, context: ResolveContext, fileLabel: string | undefined): PreparedSend | string {
    if (!block.pubkey || !block.sendRange) {
      return l10n.t('the block has no SEND line');
    }
    const failures: string[] = [];
    const pubkey = resolveSpan(block.pubkey, context);
    failures.push(...pubkey.failures);
    if (pubkey.failures.length === 0 && !isNodePubkey(pubkey.text)) {
      failures.push(l10n.t('SEND: "{0}" is not a node pubkey', shown(pubkey.text)));
    }
    const headers = new Map<HeaderName, string>();
    for (const header of block.headers) {
      const value = resolveSpan(header.value, context);
      failures.push(...value.failures.map((failure) => `${header.name}: ${failure}`));
      const problem = value.failures.length === 0 ? headerValueProblem(header.name, value.text.trim()) : undefined;
      if (problem) {
        failures.push(`${header.name}: ${problem}`);
      }
      headers.set(header.name, value.text.trim());
    }
    const node = headers.get('Node');
    if (node !== undefined && !failures.some((failure) => failure.startsWith('Node:'))) {
      const problem = nodeProblem(node, this.port.nodeNames());
      if (problem) {
        failures.push(problem);
      }
    }
    const body = block.body ? resolveSpan(block.body, context) : { text: '', failures: [] };
    failures.push(...body.failures);
    if (failures.length > 0) {
      return failures.join('; ');
    }
    const data = Buffer.from(body.text, 'utf8');
    const minimum = this.port.minimumAmount(data.byteLength);
    const amountText = headers.get('Amount');
    const amount = amountText !== undefined ? BigInt(amountText) : minimum;
    if (amount < minimum) {
      return l10n.t("Amount: {0} is below the node's minimum of {1} for this body", amount.toString(), minimum.toString());
    }
    const replyToId = headers.get('Reply-To');
    const recipient = pubkey.text.trim();
    const amountFrom = block.headers.find((header) => header.name === 'Amount')?.value;
    const amountSource = amountFrom && blockReferencedBy(amountFrom);
    const recipientSource = blockReferencedBy(block.pubkey);
    return {
      request: { pubkey: recipient, data: new Uint8Array(data), amount, ...(node !== undefined ? { node } : {}), ...(replyToId !== undefined ? { replyToId } : {}) },
      planned: {
        block: displayName(block),
        recipient,
        amount,
        ...(fileLabel !== undefined ? { file: fileLabel } : {}),
        ...(amountSource !== undefined ? { amountFrom: amountSource } : {}),
        ...(recipientSource !== undefined ? { recipientFrom: recipientSource } : {}),
      },
    };
  }
}

/** Why `Node:` cannot be sent through, or `undefined`: it must name a configured node, never a URL. */
export function nodeProblem(node: string, configured: readonly string[]): string | undefined {
  const list = configured.length > 0 ? configured.map((name) => `"${shown(name)}"`).join(', ') : l10n.t('none');
  if (/[/:]/.test(node) && !configured.includes(node)) {
    return l10n.t('Node: "{0}" looks like a URL; name a configured node (configured: {1})', shown(node), list);
  }
  return configured.includes(node) ? undefined : l10n.t('Node: no configured node is named "{0}" (configured: {1})', shown(node), list);
}

/** The waits' outcomes by expectation, once all are settled; a wait that matched nothing is left out. */
async function settledMatches(waits: ReadonlyMap<number, Promise<MatchedMessage | undefined>>): Promise<Map<number, MatchedMessage>> {
  const matched = new Map<number, MatchedMessage>();
  for (const [index, wait] of waits) {
    const found = await wait;
    if (found) {
      matched.set(index, found);
    }
  }
  return matched;
}

/** Names of blocks whose reply another block references, so they wait for it even without expectations. */
function replyReferences(file: RequestFile): Set<string | undefined> {
  const names = new Set<string | undefined>();
  for (const block of file.blocks) {
    for (const span of allSpans(block)) {
      for (const reference of span.references) {
        if (reference.target && needsReply(reference.target) && reference.target.kind !== 'variable') {
          names.add(reference.target.block);
        }
      }
    }
  }
  return names;
}

/** The first block a span reads from (its ID, its reply or the reply's JSON), or `undefined` when it reads none. */
function blockReferencedBy(span: TextSpan): string | undefined {
  for (const reference of span.references) {
    const block = reference.target && referencedBlock(reference.target);
    if (block !== undefined) {
      return block;
    }
  }
  return undefined;
}

function notConfirmed(): string {
  return l10n.t('not sent: the amount for this run was not confirmed');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
