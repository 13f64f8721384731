import * as vscode from 'vscode';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { SamplePeer } from '../../core/simulator/samplePeers';
import type { CommandTable } from '../commands/services';
import { DisposableStore } from '../base/disposableStore';
import type { Dialogs } from '../services/dialogs';
import type { Settings } from '../services/settings';
import { RequestCodeLenses } from './requestCodeLenses';
import { requestCommands } from './requestCommands';
import { RequestCompletion } from './requestCompletion';
import { RequestDiagnostics } from './requestDiagnostics';
import { RequestHover } from './requestHover';
import { REQUEST_LANGUAGE, RequestSession } from './requestSession';
import { RequestTests } from './requestTests';
import { RunDecorations } from './runDecorations';

/** Everything the editor does with `.imp` request files, built in one place for `activate()`. */
export class RequestFiles extends DisposableStore {
  readonly session: RequestSession;
  readonly decorations: RunDecorations;
  readonly tests: RequestTests;
  readonly commands: CommandTable;

  constructor(subscriptions: NodeSubscriptions, settings: () => Settings, dialogs: Dialogs, simulatorPeers: () => readonly SamplePeer[]) {
    super();
    const selector: vscode.DocumentSelector = { language: REQUEST_LANGUAGE };
    this.session = this.register(new RequestSession(subscriptions, settings, dialogs));
    this.decorations = this.register(new RunDecorations(this.session));
    this.tests = this.register(new RequestTests(this.session));
    this.register(new RequestDiagnostics(this.session, subscriptions));
    this.register(vscode.languages.registerCodeLensProvider(selector, new RequestCodeLenses(this.session)));
    this.register(vscode.languages.registerCompletionItemProvider(selector, new RequestCompletion(this.session, subscriptions), ...RequestCompletion.triggerCharacters));
    this.register(vscode.languages.registerHoverProvider(selector, new RequestHover(this.session)));
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
