import * as vscode from 'vscode';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { SamplePeer } from '../../core/simulator/samplePeers';
import { DisposableStore } from '../base/disposableStore';
import type { Dialogs } from '../services/dialogs';
import { localizeCore } from '../services/localization';
import type { Settings } from '../services/settings';
import { RequestCodeLenses } from './requestCodeLenses';
import { requestCommands, type RequestCommandHandlers } from './requestCommands';
import { RequestCompletion } from './requestCompletion';
import { RequestDiagnostics } from './requestDiagnostics';
import { RequestHover } from './requestHover';
import { REQUEST_LANGUAGE } from './requestLanguage';
import { RequestSession } from './requestSession';
import { RequestTests } from './requestTests';
import { RunDecorations } from './runDecorations';

/** What the part of request files that loads on first use is built from. */
export interface RequestFilesServices {
  readonly subscriptions: NodeSubscriptions;
  readonly settings: () => Settings;
  readonly dialogs: Dialogs;
  /** The simulated node's sample peers while it runs. */
  readonly simulatorPeers: () => readonly SamplePeer[];
  /** Made at activation, so that the Testing view knows of request files before this part loads. */
  readonly controller: vscode.TestController;
}

/**
 * Everything the editor does with `.imp` request files: the parser, the runner and what shows
 * their results. A bundle of its own (dist/requests.js), which `LazyRequestFiles` loads the first
 * time a request file opens, a request command runs or the Testing view asks for its tests; the
 * providers it registered at activation hand their calls to the ones here.
 */
export class RequestFiles extends DisposableStore {
  readonly session: RequestSession;
  readonly decorations: RunDecorations;
  readonly tests: RequestTests;
  readonly codeLenses: RequestCodeLenses;
  readonly completion: RequestCompletion;
  readonly hover: RequestHover;
  readonly commands: RequestCommandHandlers;

  constructor({ subscriptions, settings, dialogs, simulatorPeers, controller }: RequestFilesServices) {
    super();
    // This bundle has its own copy of `@vscode/l10n`, which core's sentences here go through.
    localizeCore();
    this.session = this.register(new RequestSession(subscriptions, settings, dialogs));
    this.decorations = this.register(new RunDecorations(this.session));
    this.tests = this.register(new RequestTests(controller, this.session));
    this.register(new RequestDiagnostics(this.session, subscriptions));
    this.codeLenses = new RequestCodeLenses(this.session);
    this.completion = new RequestCompletion(this.session, subscriptions);
    this.hover = new RequestHover(this.session);
    this.commands = requestCommands({ session: this.session, subscriptions, simulatorPeers });
    // Results hold replies' data: a closed file's are not kept for a reopening that may never come.
    this.register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.languageId === REQUEST_LANGUAGE) {
          this.session.clearResults(document.uri.toString());
        }
      }),
    );
  }
}
