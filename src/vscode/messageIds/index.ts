import * as vscode from 'vscode';
import type { MessagesView } from '../messages/messagesView';
import type { Services } from '../services';
import { DeepLinkHandler } from './deepLinkHandler';
import { EditorIdContext } from './cursorIds';
import { IdHoverProvider } from './idHover';
import { IdTerminalLinkProvider } from './idTerminalLinks';
import { KnownIds } from './knownIds';

/** Message IDs where the developer works, and the links into VS Code that name them. */
export interface EditorIds {
  readonly ids: KnownIds;
  readonly terminalLinks: IdTerminalLinkProvider;
  readonly deepLinks: DeepLinkHandler;
}

/**
 * IDs in editors and terminals: hovers in every editor, links in the terminal, the editor's
 * context keys, and the `/message` and `/watch` links (`impervious.watchTimeoutSeconds`).
 */
export function registerIds(services: Services, messagesView: MessagesView): EditorIds {
  const { subscriptions, notifier, testProbe } = services;
  const ids = new KnownIds(subscriptions);
  const terminalLinks = new IdTerminalLinkProvider(ids, testProbe);
  const deepLinks = new DeepLinkHandler(subscriptions, messagesView, () => services.settings().watchTimeoutSeconds * 1000, notifier, testProbe, services.restored);
  services.register(
    ids,
    vscode.languages.registerHoverProvider('*', new IdHoverProvider(subscriptions, ids, services.clock)),
    vscode.window.registerTerminalLinkProvider(terminalLinks),
    vscode.window.registerUriHandler(deepLinks),
    new EditorIdContext(ids),
  );
  return { ids, terminalLinks, deepLinks };
}
