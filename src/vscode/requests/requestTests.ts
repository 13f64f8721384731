import * as vscode from 'vscode';
import { singleLine } from '../../core/text/safeText';
import { blockKeys } from '../../core/requests/blockKeys';
import { parseRequestFile } from '../../core/requests/parser';
import { displayName, type RequestBlock, type RequestFile } from '../../core/requests/requestFile';
import type { BlockRun } from '../../core/requests/runner';
import type { PlannedSend } from '../../core/requests/spendGuard';
import { DisposableStore } from '../base/disposableStore';
import { toRange } from './requestDiagnostics';
import { REQUEST_LANGUAGE } from './requestLanguage';
import type { RequestSession } from './requestSession';

/** Workspaces can hold vendored trees; the Test Explorer lists this many request files at most. */
const MAX_FILES = 500;
/** A request file is hand-written; a bigger `.imp` file is not read for tests. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The Test Explorer's view of request files: one item per `.imp` file in the workspace, one test
 * per block with expectations. A test's ID is its block's key (its result name, numbered when
 * another block has the same name), not its position, so its result stays with it when the file
 * is edited (here or elsewhere) above it.
 *
 * One run request is one run: one budget (`impervious.spendLimitSats`) for all its files and
 * blocks. The profile stays VS Code's default, so the Testing view runs `.imp` tests like any
 * other; a request for every test (Run All Tests, or the controller's root) was not aimed at
 * request files, and asks before its first send however little it spends, naming how many sends
 * in how many files.
 *
 * The controller and its run profile are made at activation (`lazyRequestFiles.ts`), so the
 * Testing view knows of request files before this part loads; this finds the workspace's files
 * once it is loaded, whatever loaded it (the Testing view resolving, a request file opened, a command).
 */
export class RequestTests extends DisposableStore {
  /** Resolves once the workspace's request files have been found. */
  readonly ready: Promise<void>;

  constructor(
    readonly controller: vscode.TestController,
    private readonly session: RequestSession,
  ) {
    super();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/*.imp'));
    this.register(watcher.onDidCreate((uri) => void this.readFile(uri)));
    this.register(watcher.onDidChange((uri) => void this.readFile(uri)));
    this.register(watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())));
    this.register(vscode.workspace.onDidChangeTextDocument((event) => this.update(event.document)));
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.update(document)));
    // The document whose opening loaded this part was opened before these listeners were.
    vscode.workspace.textDocuments.forEach((document) => this.update(document));
    this.ready = this.findFiles();
  }

  /**
   * Runs the chosen tests (every test for Run All), file by file, each file's in file order, under
   * one budget. Run All waits until the workspace's files are found: it may come before the Testing view ever resolved them.
   */
  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    if (request.include === undefined) {
      await this.ready;
    }
    return this.runTests(request, token);
  }

  /** Finds the workspace's request files (again, for the Testing view's Refresh Tests). */
  async findFiles(): Promise<void> {
    const uris = await vscode.workspace.findFiles('**/*.imp', '**/node_modules/**', MAX_FILES);
    await Promise.all(uris.map((uri) => this.readFile(uri)));
  }

  private async readFile(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open) {
      this.update(open);
      return;
    }
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) {
        return;
      }
      this.setFile(uri, parseRequestFile(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8')));
    } catch {
      this.controller.items.delete(uri.toString());
    }
  }

  private update(document: vscode.TextDocument): void {
    if (document.languageId === REQUEST_LANGUAGE && document.uri.scheme === 'file') {
      this.setFile(document.uri, this.session.file(document));
    }
  }

  private setFile(uri: vscode.Uri, file: RequestFile): void {
    const tests = file.blocks.filter((block) => block.expectations.length > 0);
    if (tests.length === 0) {
      this.controller.items.delete(uri.toString());
      return;
    }
    let item = this.controller.items.get(uri.toString());
    if (!item) {
      item = this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
      this.controller.items.add(item);
    }
    const keys = blockKeys(file);
    const children = tests.map((block) => {
      const child = this.controller.createTestItem(testId(uri, keys[block.index]!), displayName(block), uri);
      child.range = toRange(block.range);
      return child;
    });
    item.children.replace(children);
  }

  private async runTests(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      const excluded = new Set((request.exclude ?? []).map((item) => item.id));
      const roots = request.include ?? [...collect(this.controller.items)];
      const byFile = new Map<string, vscode.TestItem[]>();
      for (const root of roots) {
        const tests = root.children.size > 0 ? [...collect(root.children)] : [root];
        for (const test of tests) {
          if (!excluded.has(test.id) && !excluded.has(fileId(test)) && test.uri) {
            byFile.set(test.uri.toString(), [...(byFile.get(test.uri.toString()) ?? []), test]);
          }
        }
      }
      const files: TestFile[] = [];
      for (const [uriText, tests] of byFile) {
        const uri = vscode.Uri.parse(uriText, true);
        const document = await vscode.workspace.openTextDocument(uri);
        const file = this.session.file(document);
        const keys = blockKeys(file);
        const blocks = new Map(file.blocks.map((block) => [testId(uri, keys[block.index]!), block]));
        tests.sort((a, b) => (blocks.get(a.id)?.index ?? 0) - (blocks.get(b.id)?.index ?? 0));
        tests.forEach((test) => run.enqueued(test));
        files.push({ uri, label: vscode.workspace.asRelativePath(uri), text: document.getText(), file, tests, blocks });
      }
      const spend = this.session.spendGuard({ askFirst: request.include === undefined });
      if (vscode.workspace.isTrusted) {
        // The question names every send of the request before the first one, across its files.
        const sends: PlannedSend[] = [];
        let later = 0;
        for (const { uri, label, file, tests, blocks } of files) {
          const indices = tests.flatMap((test) => blocks.get(test.id)?.index ?? []);
          const estimate = this.session.estimate(uri, file, indices, files.length > 1 ? label : undefined);
          sends.push(...estimate.sends);
          later += estimate.later;
        }
        await spend.begin(sends, later, files.length);
      }
      tests: for (const { uri, label, text, tests, blocks } of files) {
        for (const [position, test] of tests.entries()) {
          if (token.isCancellationRequested) {
            tests.slice(position).forEach((rest) => run.skipped(rest));
            break tests;
          }
          const block = blocks.get(test.id);
          run.started(test);
          if (!block) {
            run.errored(test, new vscode.TestMessage(vscode.l10n.t('Not run: the block this test was made for is no longer in the file. Run it again from the refreshed list.')));
            continue;
          }
          if (!vscode.workspace.isTrusted) {
            run.errored(test, new vscode.TestMessage(vscode.l10n.t('Not run: request files are not run in Restricted Mode (this workspace is not trusted).')));
            continue;
          }
          const results = await this.session.run({ uri, text }, { blocks: block.index, spend, ...(files.length > 1 ? { fileLabel: label } : {}) });
          const result = results?.[results.length - 1];
          if (result) {
            run.appendOutput(`${outputLine(test.label, result)}\r\n`, undefined, test);
          }
          if (!result) {
            run.errored(test, new vscode.TestMessage(vscode.l10n.t('Not run.')));
          } else if (result.passed) {
            run.passed(test, result.latencyMs);
          } else {
            run.failed(test, failureMessages(result, block, uri), result.latencyMs);
          }
        }
      }
    } finally {
      run.end();
    }
  }
}

/** A file of a test run, read once at the run's start: every block of it runs from this text. */
interface TestFile {
  readonly uri: vscode.Uri;
  readonly label: string;
  readonly text: string;
  readonly file: RequestFile;
  readonly tests: vscode.TestItem[];
  readonly blocks: ReadonlyMap<string, RequestBlock>;
}

/** The run's output is a terminal: one line per test, peer text cleaned of control characters. */
function outputLine(label: string, result: BlockRun): string {
  if (!result.passed) {
    return singleLine(vscode.l10n.t('{0}: failed: {1}', label, result.failures.join('; ')));
  }
  return singleLine(
    result.latencyMs !== undefined ? vscode.l10n.t('{0}: passed, replied in {1} ms', label, Math.round(result.latencyMs)) : vscode.l10n.t('{0}: passed', label),
  );
}

function testId(uri: vscode.Uri, key: string): string {
  return `${uri.toString()}#${key}`;
}

function fileId(test: vscode.TestItem): string {
  return test.parent?.id ?? '';
}

function* collect(items: vscode.TestItemCollection): Generator<vscode.TestItem> {
  for (const [, item] of items) {
    yield item;
  }
}

/**
 * One message per failed expectation, at its line; a failed `==` carries the two values, which
 * VS Code shows side by side. A block that was not sent has its reasons at the block.
 */
function failureMessages(result: BlockRun, block: RequestBlock, uri: vscode.Uri): vscode.TestMessage[] {
  const at = (message: vscode.TestMessage, range: RequestBlock['range']): vscode.TestMessage => {
    message.location = new vscode.Location(uri, toRange(range));
    return message;
  };
  if (result.failedExpectations.length === 0) {
    return result.failures.map((failure) => at(new vscode.TestMessage(failure), block.range));
  }
  return result.failedExpectations.map(({ expectation, text, comparison }) =>
    at(comparison ? vscode.TestMessage.diff(text, comparison.expected, comparison.actual) : new vscode.TestMessage(text), block.expectations[expectation]?.range ?? block.range),
  );
}
