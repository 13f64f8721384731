// `impervious-events run <file|dir|glob>…`: the editor's request-file runner, on the command line.
// Every file is parsed and checked before anything is sent (a problem anywhere: exit 2, nothing
// sent); then one run, one budget, over every file in the order given.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { minimumAmount } from '../core/sending/amount';
import { formatDuration } from '../core/text/duration';
import { shortId } from '../core/text/messageText';
import { NodeRequestError } from '../core/sending/restClient';
import { requestDiagnostics } from '../core/requests/diagnostics';
import { subscriptionsRequestPort } from '../core/requests/subscriptionsPort';
import { parseRequestFile } from '../core/requests/parser';
import type { RequestFile, RequestProblem } from '../core/requests/requestFile';
import { RequestRunner, type BlockRun, type RequestPort, type RunProgress } from '../core/requests/runner';
import type { PlannedSend, SpendGuard } from '../core/requests/spendGuard';
import type { RunArguments } from './arguments';
import type { CommandContext } from './commandContext';
import { CommandError, ExitCode, UsageError } from './exitCodes';
import { requestFilePaths } from './fileTargets';
import { annotationLine, failureAnnotations } from './githubAnnotations';
import { jsonReport } from './jsonReport';
import { junitXml } from './junitReport';
import { NodeSession, SIMULATED_NODE_NAME } from './nodes';
import { countBlocks, ranBlock, skippedBlock, summaryLine, type BlockReport, type FileReport } from './runReport';
import { commandLineSpendGuard } from './spendRules';
import { terminalText, type Terminal } from './terminal';

/** A request file read, parsed and checked, before any run. */
export interface LoadedFile {
  readonly path: string;
  /** As the user named it: relative to the working folder, with `/`. */
  readonly label: string;
  readonly file: RequestFile;
  readonly problems: readonly RequestProblem[];
}

/** Reads and parses each file, `--var` values over the file's own variables. */
export function loadRequestFiles(paths: readonly string[], args: Pick<RunArguments, 'variables' | 'simulate' | 'nodes'>, cwd: string): LoadedFile[] {
  const nodeNames = args.simulate ? [SIMULATED_NODE_NAME] : args.nodes.map((node) => node.name);
  return paths.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`run: cannot read ${path.relative(cwd, file)}: ${(error as Error).message}`);
    }
    const parsed = withVariables(parseRequestFile(text), args.variables);
    return {
      path: file,
      label: path.relative(cwd, file).split(path.sep).join('/') || path.basename(file),
      file: parsed,
      problems: requestDiagnostics(parsed, { nodeNames, minimumAmount }),
    };
  });
}

/** `--var name=value`: replaces a file variable's value, or adds the variable. */
export function withVariables(file: RequestFile, variables: ReadonlyMap<string, string>): RequestFile {
  if (variables.size === 0) {
    return file;
  }
  const merged = new Map(file.variables);
  const nowhere = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  for (const [name, value] of variables) {
    const existing = merged.get(name);
    merged.set(name, existing ? { ...existing, value } : { name, value, range: nowhere, nameRange: nowhere });
  }
  return { ...file, variables: merged };
}

/** `a.imp:3:7: error: …`, 1-based, as the editor's Problems view places it. */
export function problemLine(label: string, problem: RequestProblem): string {
  return `${label}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: ${problem.severity}: ${terminalText(problem.message, 1000)}`;
}

/** Blocks a run aims at: all, or those whose name or title matches `--grep`. */
export function selectedBlocks(file: RequestFile, grep: RegExp | undefined): number[] {
  return file.blocks.filter((block) => !grep || grep.test(block.name ?? '') || grep.test(block.title)).map((block) => block.index);
}

export async function runCommand(args: RunArguments, context: CommandContext): Promise<ExitCode> {
  const { terminal } = context;
  const files = loadRequestFiles(requestFilePaths(args.targets, context.cwd), args, context.cwd);
  let errors = 0;
  for (const loaded of files) {
    for (const problem of loaded.problems) {
      errors += problem.severity === 'error' ? 1 : 0;
      terminal.error(problemLine(loaded.label, problem));
      if (args.github && problem.severity !== 'information') {
        terminal.line(
          annotationLine(
            { file: loaded.label, line: problem.range.start.line + 1, column: problem.range.start.character + 1, title: 'request file problem', message: terminalText(problem.message, 1000) },
            problem.severity === 'error' ? 'error' : 'warning',
          ),
        );
      }
    }
  }
  if (errors > 0) {
    terminal.error(`${errors} ${errors === 1 ? 'problem' : 'problems'} in the request files: nothing was sent. Fix them and run again.`);
    return ExitCode.Usage;
  }
  const targets = files.map((loaded) => selectedBlocks(loaded.file, args.grep));
  if (targets.every((indices) => indices.length === 0)) {
    throw new UsageError(args.grep ? `run: no block's name or title matches --grep ${args.grep.source}.` : 'run: the request files hold no block.');
  }

  const session = await NodeSession.open(args, { simulatorRate: 0 });
  try {
    if (session.simulator) {
      terminal.error(`Simulated node on ${session.simulator.subscribeUrl}`);
    }
    await session.connect();
    return await new FileRun(args, context, session, files, targets).run();
  } finally {
    await session.close();
  }
}

/** One run over every file: one budget, one results cache (blocks chain within a file), one report. */
class FileRun {
  private unreachable: string | undefined;
  private spendRefused = false;
  private failed = false;
  private readonly terminal: Terminal;
  /** Rejects on Ctrl+C, or when a node stops the stream for good (a refused key): every wait ends. */
  private readonly halted: Promise<never>;
  private halt!: () => void;
  private lost = false;

  constructor(
    private readonly args: RunArguments,
    private readonly context: CommandContext,
    private readonly session: NodeSession,
    private readonly files: readonly LoadedFile[],
    private readonly targets: readonly (readonly number[])[],
  ) {
    this.terminal = context.terminal;
    this.halted = new Promise<never>((_, reject) => (this.halt = () => reject(new Error('stopped'))));
    this.halted.catch(() => undefined);
    context.interruption.onInterrupt(() => this.halt());
    // Drops and reconnects during the run are said on stderr; a node that gives up ends the run (exit 3).
    session.reportStatus(this.terminal, (message) => {
      this.unreachable ??= message;
      this.lost = true;
      this.halt();
    });
  }

  async run(): Promise<ExitCode> {
    const { args, terminal } = this;
    const runner = new RequestRunner(this.port());
    const spend = commandLineSpendGuard({
      limit: args.spendLimit,
      allowReplyAmounts: args.allowReplyAmounts,
      refused: (lines) => {
        this.spendRefused = true;
        lines.forEach((line) => terminal.error(line));
      },
    });
    // The whole run's known sends are weighed before its first send, as a Test Explorer run's are.
    const several = this.files.length > 1;
    const sends: PlannedSend[] = [];
    let later = 0;
    this.files.forEach((loaded, at) => {
      const estimate = runner.estimate(key(loaded), loaded.file, this.targets[at]!, several ? loaded.label : undefined);
      sends.push(...estimate.sends);
      later += estimate.later;
    });
    await spend.begin(sends, later, this.files.filter((_, at) => this.targets[at]!.length > 0).length);

    const interruption = this.context.interruption.onInterrupt(() => terminal.error('Stopping: no more sends; Ctrl+C again to quit at once.'));
    const reports: FileReport[] = [];
    try {
      for (const [at, loaded] of this.files.entries()) {
        reports.push(await this.runFile(runner, loaded, this.targets[at]!, spend, several));
      }
    } finally {
      interruption.dispose();
    }

    const exitCode = this.context.interruption.interrupted
      ? ExitCode.Interrupted
      : this.unreachable !== undefined
        ? ExitCode.Unreachable
        : this.spendRefused
          ? ExitCode.SpendRefused
          : countBlocks(reports).failed > 0
            ? ExitCode.Failed
            : ExitCode.Passed;
    if (this.unreachable !== undefined) {
      terminal.error(this.unreachable);
    }
    this.writeReports(reports, exitCode);
    if (args.github) {
      failureAnnotations(reports).forEach((annotation) => terminal.line(annotationLine({ ...annotation, message: terminalText(annotation.message, 1000) })));
    }
    terminal.line(summaryLine(countBlocks(reports)));
    return exitCode;
  }

  private async runFile(runner: RequestRunner, loaded: LoadedFile, targets: readonly number[], spend: SpendGuard, several: boolean): Promise<FileReport> {
    const { terminal, args } = this;
    const started = performance.now();
    const reports = new Map<number, BlockReport>();
    const timedOutAfter = new Map<number, number>();
    if (targets.length > 0 && !this.stopped()) {
      terminal.line(terminal.paint('bold', loaded.label));
      const live = new LiveWait(terminal);
      try {
        await runner.runBlocks(key(loaded), loaded.file, targets, {
          defaultTimeoutMs: args.timeoutMs,
          spend,
          ...(several ? { fileLabel: loaded.label } : {}),
          stopped: () => this.stopped(),
          onProgress: (event) => {
            live.progress(event);
            if (event.kind === 'timedOut') {
              timedOutAfter.set(event.index, event.elapsedMs);
            }
          },
          onResult: (result, index) => {
            live.stop();
            const report = ranBlock(loaded.file, index, result);
            reports.set(index, report);
            this.failed ||= !result.passed;
            terminal.line(this.resultLine(result, report, timedOutAfter.get(index)));
          },
        });
      } finally {
        live.stop();
      }
    }
    const why = (index: number) =>
      !targets.includes(index)
        ? 'not selected by --grep'
        : this.context.interruption.interrupted
          ? 'not run: the run was interrupted'
          : this.lost
            ? 'not run: the node stopped the stream'
          : this.args.bail && this.failed
            ? 'not run: --bail stopped the run at a failure'
            : 'not run';
    const blocks = loaded.file.blocks.map((block) => reports.get(block.index) ?? skippedBlock(loaded.file, block.index, why(block.index)));
    return { file: loaded.label, blocks, elapsedMs: performance.now() - started };
  }

  private stopped(): boolean {
    return this.context.interruption.interrupted || this.lost || (this.args.bail && this.failed);
  }

  /** `PASS ping  sent 6f1c…  replied in 820 ms`, or FAIL and the first failure. */
  private resultLine(result: BlockRun, report: BlockReport, timedOutMs: number | undefined): string {
    const { terminal } = this;
    const status = result.passed ? terminal.paint('green', 'PASS') : terminal.paint('red', 'FAIL');
    const parts = [`${status} ${terminalText(result.name, 100)}`];
    if (result.id !== '') {
      parts.push(`sent ${terminalText(result.id, 200)}`);
      if (result.latencyMs !== undefined) {
        parts.push(`replied in ${formatDuration(result.latencyMs)}`);
      } else if (timedOutMs !== undefined) {
        parts.push(result.passed ? `no reply in ${formatDuration(timedOutMs)}, as expected` : `timed out after ${formatDuration(timedOutMs)}`);
      }
    }
    const first = report.failedExpectations[0];
    if (!result.passed && first && !(result.latencyMs === undefined && timedOutMs !== undefined)) {
      parts.push(`line ${first.line}: ${terminalText(first.text, 400)}`);
    } else if (!result.passed && report.failedExpectations.length === 0) {
      parts.push(terminalText(result.failures[0] ?? 'failed', 400));
    }
    return `  ${parts.join('  ')}`;
  }

  /**
   * The runner's port over the session's subscriptions. A send the node refuses for its key, or never
   * answers, is noted for exit code 3.
   */
  private port(): RequestPort {
    const port = subscriptionsRequestPort(this.session.subscriptions);
    return {
      ...port,
      // Ctrl+C ends the wait under way (its watch goes with the pipeline) and every later one at once.
      waitForReply: (id, timeoutMs) => Promise.race([port.waitForReply(id, timeoutMs), this.halted]),
      send: async (request) => {
        try {
          return await port.send(request);
        } catch (error) {
          if (error instanceof NodeRequestError && (error.status === 0 || error.status === 401 || error.status === 403)) {
            this.unreachable ??= `${terminalText(error.message, 500)}\n${error.status === 0 ? 'Check that the node runs and that --node names it.' : "Pass the node's API key with --api-key-env VAR."}`;
          }
          throw error;
        }
      },
    };
  }

  private writeReports(reports: readonly FileReport[], exitCode: ExitCode): void {
    const write = (option: string, file: string, text: string) => {
      const target = path.resolve(this.context.cwd, file);
      try {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, text);
      } catch (error) {
        throw new CommandError(`${option}: cannot write ${file}: ${(error as Error).message}`, ExitCode.Usage);
      }
    };
    if (this.args.junit !== undefined) {
      write('--junit', this.args.junit, junitXml(reports));
    }
    if (this.args.json !== undefined) {
      write('--json', this.args.json, jsonReport(reports, exitCode));
    }
  }
}

/** On a terminal, a line that counts the wait for a reply ("ping: waiting 3 s"), redrawn every second. */
class LiveWait {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly terminal: Terminal) {}

  progress(event: RunProgress): void {
    if (event.kind !== 'waiting' || !this.terminal.live) {
      return;
    }
    this.stop();
    const since = performance.now() - event.elapsedMs;
    const draw = () => this.terminal.status(`  ${terminalText(event.name, 100)}: sent ${terminalText(shortId(event.id), 20)}, waiting ${Math.floor((performance.now() - since) / 1000)} s`);
    draw();
    this.timer = setInterval(draw, 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    this.terminal.clearLive();
  }
}

function key(loaded: LoadedFile): string {
  return pathToFileURL(loaded.path).toString();
}
