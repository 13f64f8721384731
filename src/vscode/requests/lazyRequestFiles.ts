import * as vscode from 'vscode';
import { DisposableStore } from '../base/disposableStore';
import type { CommandTable } from '../commands/services';
import { REQUEST_TEST_CONTROLLER_ID } from '../contributionIds';
import { REQUEST_COMMANDS, REQUEST_LANGUAGE } from './requestLanguage';
import type { RequestFiles, RequestFilesServices } from './requestFiles';

/** `{{` and `.` open references, a space follows SEND and `expect`, `:` ends a header's name. */
const COMPLETION_TRIGGER_CHARACTERS = ['{', '.', ' ', ':', '|'];

/**
 * Request files as activation registers them: the language's CodeLens, completion and hover
 * providers, its commands and the Testing view's controller, each of which hands its calls to
 * `RequestFiles` (the parser, the runner, the checks: dist/requests.js), loaded on first use.
 * It loads when a request file opens (or is open at activation), a request command runs, or the
 * Testing view asks for the controller's tests; a window without request files never loads it.
 */
export class LazyRequestFiles extends DisposableStore {
  readonly controller: vscode.TestController;
  readonly runProfile: vscode.TestRunProfile;
  /** For the command registry: each command loads the rest, then runs its handler there. */
  readonly commands: CommandTable;
  private loading: Promise<RequestFiles> | undefined;
  private loadedFiles: RequestFiles | undefined;
  private readonly lensesChanged = this.register(new vscode.EventEmitter<void>());

  constructor(
    private readonly services: Omit<RequestFilesServices, 'controller'>,
    private readonly logError: (line: string) => void,
  ) {
    super();
    this.controller = this.register(vscode.tests.createTestController(REQUEST_TEST_CONTROLLER_ID, vscode.l10n.t('Impervious Requests')));
    this.runProfile = this.controller.createRunProfile(vscode.l10n.t('Run'), vscode.TestRunProfileKind.Run, async (request, token) => (await this.loaded()).tests.run(request, token), true);
    // The Testing view asks for the root's children (no item) when it first shows the tests.
    this.controller.resolveHandler = async (item) => {
      if (!item) {
        await (await this.loaded()).tests.ready;
      }
    };
    this.controller.refreshHandler = async () => (await this.loaded()).tests.findFiles();
    const selector: vscode.DocumentSelector = { language: REQUEST_LANGUAGE };
    this.register(
      vscode.languages.registerCodeLensProvider(selector, {
        onDidChangeCodeLenses: this.lensesChanged.event,
        provideCodeLenses: async (document) => (await this.loaded()).codeLenses.provideCodeLenses(document),
      }),
    );
    this.register(
      vscode.languages.registerCompletionItemProvider(
        selector,
        { provideCompletionItems: async (document, position) => (await this.loaded()).completion.provideCompletionItems(document, position) },
        ...COMPLETION_TRIGGER_CHARACTERS,
      ),
    );
    this.register(vscode.languages.registerHoverProvider(selector, { provideHover: async (document, position) => (await this.loaded()).hover.provideHover(document, position) }));
    this.commands = REQUEST_COMMANDS.map((id) => [id, async (...args: never[]) => (await this.loaded()).commands[id](...args)] as const);
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.loadFor(document)));
    // Activated by opening a request file (`onLanguage:impervious`), it is open already.
    vscode.workspace.textDocuments.forEach((document) => this.loadFor(document));
  }

  /** The part loaded on first use, once it is; the tests check that activation does not load it. */
  get files(): RequestFiles | undefined {
    return this.loadedFiles;
  }

  /** Loads the rest (once), and resolves with it. */
  loaded(): Promise<RequestFiles> {
    this.loading ??= import('./requestFiles').then(({ RequestFiles }) => {
      const files = this.register(new RequestFiles({ ...this.services, controller: this.controller }));
      this.register(files.codeLenses.onDidChangeCodeLenses(() => this.lensesChanged.fire()));
      this.loadedFiles = files;
      return files;
    });
    return this.loading;
  }

  private loadFor(document: vscode.TextDocument): void {
    if (document.languageId === REQUEST_LANGUAGE) {
      this.loaded().catch((error: unknown) => this.logError(vscode.l10n.t('Request files could not be loaded: {0}', error instanceof Error ? error.message : String(error))));
    }
  }
}
