import * as vscode from 'vscode';
import { systemClock, type Clock } from '../../core/base/clock';
import type { NodeMessage } from '../../core/nodeMessage';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import { subscriptionsRequestPort } from '../../core/requests/subscriptionsPort';
import { parseRequestFile } from '../../core/requests/parser';
import type { RequestFile } from '../../core/requests/requestFile';
import { RequestResults, RequestRunner, type BlockRun, type RequestPort, type RunProgress, type SpendEstimate } from '../../core/requests/runner';
import { SpendGuard, type SpendGuardOptions, type SpendQuestion } from '../../core/requests/spendGuard';
import { spendQuestionText } from '../../core/requests/spendText';
import { notificationText } from '../../core/text/safeText';
import { ContextKey } from '../contributionIds';
import { walkthroughEvent } from '../base/walkthroughEvents';
import type { Dialogs } from '../services/dialogs';
import type { Settings } from '../services/settings';

/** What a block's SEND line shows: the run in progress, or how the last one ended. */
export interface BlockRunState {
  readonly progress: RunProgress;
  /** When the block started, on the session's clock, for the live "waiting 3 s". */
  readonly startedAt: number;
  readonly result?: BlockRun;
  readonly reply?: NodeMessage;
}

export interface RunTarget {
  readonly uri: vscode.Uri;
  readonly text: string;
}

export interface RunChoice {
  /** A block's index, or every block in file order. */
  readonly blocks: number | 'all';
  /** `false`: the block's expectations are left out, so it is sent without waiting (the "Send" lens). */
  readonly check?: boolean;
  /** The budget of a run that spans several calls (a test run request); else this call is the run. */
  readonly spend?: SpendGuard;
  /** The file as spend questions name it, in a run over several files. */
  readonly fileLabel?: string;
}

/**
 * The request files' runs in this window: one results cache (so blocks chain across runs), the
 * live state of each block for the decorations, CodeLenses and hovers, and the one place that
 * refuses to send from an untrusted workspace. Every send starts here, from a user's action.
 */
export class RequestSession {
  readonly results = new RequestResults();
  private readonly states = new Map<string, Map<string, BlockRunState>>();
  private readonly parsed = new Map<string, { readonly version: number; readonly file: RequestFile }>();
  private readonly port: RequestPort;
  /** Replies by the ID of the message they answer, taken by the progress event that follows. */
  private readonly replies = new Map<string, NodeMessage>();
  private readonly onDidChangeEmitter = new vscode.EventEmitter<string>();
  /** Fires with a file's key (its URI) when one of its blocks changes state. */
  readonly onDidChange = this.onDidChangeEmitter.event;

  constructor(
    subscriptions: NodeSubscriptions,
    private readonly settings: () => Settings,
    /** Where the question goes before a run passes its budget, or sends an amount a reply chose. */
    private readonly dialogs: Dialogs,
    readonly clock: Clock = systemClock,
  ) {
    const port = subscriptionsRequestPort(subscriptions, clock);
    this.port = {
      ...port,
      waitForReply: async (id, timeoutMs) => {
        const reply = await port.waitForReply(id, timeoutMs);
        this.replies.set(id, reply);
        return reply;
      },
    };
  }

  /** The parsed file of an open document, parsed once per version. */
  file(document: vscode.TextDocument): RequestFile {
    const key = document.uri.toString();
    const cached = this.parsed.get(key);
    if (cached?.version === document.version) {
      return cached.file;
    }
    const file = parseRequestFile(document.getText());
    this.parsed.set(key, { version: document.version, file });
    return file;
  }

  forget(document: vscode.TextDocument): void {
    this.parsed.delete(document.uri.toString());
  }

  /** A block's state by its result name (its `@name`, title or `#n`), which survives edits above it. */
  state(uri: vscode.Uri, name: string): BlockRunState | undefined {
    return this.states.get(uri.toString())?.get(name);
  }

  hasWaitingBlocks(): boolean {
    return [...this.states.values()].some((blocks) => [...blocks.values()].some((state) => state.result === undefined));
  }

  /**
   * Runs blocks of a file, after the blocks they reference that have no result yet. Resolves with
   * one result per block run, or `undefined` when nothing may run here (an untrusted workspace).
   */
  async run(target: RunTarget, choice: RunChoice): Promise<BlockRun[] | undefined> {
    if (!vscode.workspace.isTrusted) {
      refuseUntrusted();
      return undefined;
    }
    const key = target.uri.toString();
    const parsed = parseRequestFile(target.text);
    const file = choice.check === false && choice.blocks !== 'all' ? withoutExpectations(parsed, choice.blocks) : parsed;
    const runner = new RequestRunner(this.port, this.results);
    const timeoutSeconds = this.settings().watchTimeoutSeconds;
    const options = {
      defaultTimeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : 30_000,
      spend: choice.spend ?? this.spendGuard(),
      ...(choice.fileLabel !== undefined ? { fileLabel: choice.fileLabel } : {}),
      onProgress: (event: RunProgress) => this.progress(key, event),
    };
    let results: BlockRun[];
    try {
      results = choice.blocks === 'all' ? await runner.runAllRequests(key, file, options) : await runner.runRequest(key, file, choice.blocks, options);
    } catch (error) {
      // No block of this run may stay "waiting" (and keep the decorations' ticker alive) forever.
      const message = error instanceof Error ? error.message : String(error);
      for (const [name, state] of this.blocksOf(key)) {
        if (!state.result) {
          this.finish(key, { name, id: state.progress.id, passed: false, failures: [vscode.l10n.t('not finished: {0}', message)], failedExpectations: [] });
        }
      }
      throw error;
    }
    for (const result of results) {
      this.finish(key, result);
    }
    return results;
  }

  /**
   * Forgets one file's results (by its URI), or every file's: its references have no value until
   * its blocks run again, and its SEND lines let go of the replies they show. A block still running
   * keeps its state.
   */
  clearResults(key?: string): void {
    this.results.clear(key);
    for (const [fileKey, blocks] of this.states) {
      if (key !== undefined && fileKey !== key) {
        continue;
      }
      for (const [name, state] of blocks) {
        if (state.result) {
          blocks.delete(name);
        }
      }
      if (blocks.size === 0) {
        this.states.delete(fileKey);
      }
      this.onDidChangeEmitter.fire(fileKey);
    }
  }

  /** A new run's budget: `impervious.spendLimitSats`, and this session's question past it. */
  spendGuard(options?: SpendGuardOptions): SpendGuard {
    return new SpendGuard(BigInt(this.settings().spendLimitSats), async (question) => askToSpend(this.dialogs, question), options);
  }

  /** What running these blocks of a parsed file would send, as far as can be known before the run. */
  estimate(uri: vscode.Uri, file: RequestFile, blocks: readonly number[], fileLabel?: string): SpendEstimate {
    return new RequestRunner(this.port, this.results).estimate(uri.toString(), file, blocks, fileLabel);
  }

  dispose(): void {
    this.onDidChangeEmitter.dispose();
  }

  private progress(key: string, event: RunProgress): void {
    const blocks = this.blocksOf(key);
    const previous = blocks.get(event.name);
    const startedAt = event.kind === 'sent' || !previous || previous.result ? this.clock.now() - event.elapsedMs : previous.startedAt;
    const reply = event.kind === 'replied' ? this.replies.get(event.id) : undefined;
    this.replies.delete(event.id);
    blocks.set(event.name, { progress: event, startedAt, ...(reply ? { reply } : {}) });
    if (event.kind === 'replied') {
      // The walkthrough's "send and check" step is done when a reply arrives, not on the click.
      walkthroughEvent(ContextKey.RequestReplied);
    }
    this.onDidChangeEmitter.fire(key);
  }

  private finish(key: string, result: BlockRun): void {
    const blocks = this.blocksOf(key);
    const state = blocks.get(result.name);
    const progress = state?.progress ?? { kind: 'failed', index: -1, name: result.name, id: result.id, elapsedMs: 0 };
    blocks.set(result.name, { progress, startedAt: state?.startedAt ?? this.clock.now(), result, ...(state?.reply ? { reply: state.reply } : {}) });
    this.onDidChangeEmitter.fire(key);
  }

  private blocksOf(key: string): Map<string, BlockRunState> {
    let blocks = this.states.get(key);
    if (!blocks) {
      blocks = new Map();
      this.states.set(key, blocks);
    }
    return blocks;
  }
}

/** The file with one block's expectations left out: "Send" sends it without waiting to judge a reply. */
function withoutExpectations(file: RequestFile, index: number): RequestFile {
  return { ...file, blocks: file.blocks.map((block) => (block.index === index ? { ...block, expectations: [] } : block)) };
}

function refuseUntrusted(): void {
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window
    .showWarningMessage(vscode.l10n.t('Request files are not run in Restricted Mode: this workspace is not trusted. Trust it to send its requests.'), manage)
    .then((choice) => (choice === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
}

/** The modal before spending past the budget: what will be sent, to whom, against the limit. */
function askToSpend(dialogs: Dialogs, spend: SpendQuestion): Thenable<boolean> {
  const { message, detail } = spendQuestionText(spend);
  return dialogs.confirm({
    about: { kind: 'spend', spend },
    message: notificationText(message, 400),
    // Line by line: the list is one send a line, and a line is where a forged link would have to fit.
    detail: detail.split('\n').map((line) => notificationText(line, 300)).join('\n'),
    button: vscode.l10n.t('Send'),
  });
}
