import * as vscode from 'vscode';
import { copyToClipboard, dataAsText } from '../base/clipboard';
import type { Services } from '../services';
import { MESSAGE_SCHEME, MessageDocumentProvider } from './messageDocuments';
import { MessageNotifications } from './messageNotifications';
import { MessagesView } from './messagesView';

/**
 * Messages: the Messages view, the read-only document of each message, and the notifications of
 * answered watches (or of every message). Follows `impervious.groupBy`; any other change of the
 * settings redraws the view.
 */
export function registerMessages(services: Services): MessagesView {
  const { subscriptions, log, notifier, testProbe } = services;
  const messagesView = new MessagesView(subscriptions, services.settings().groupBy, testProbe, (line) => log.warn(line), services.clock);
  const notifications = new MessageNotifications(
    subscriptions,
    () => services.settings().notifications,
    { show: (message) => messagesView.reveal(message), copyData: (message) => copyToClipboard(dataAsText(message), 'data') },
    notifier,
    services.clock,
  );
  services.register(
    messagesView,
    notifications,
    vscode.workspace.registerTextDocumentContentProvider(MESSAGE_SCHEME, new MessageDocumentProvider(subscriptions)),
    services.onDidChangeSettings(({ previous }) => {
      const { groupBy } = services.settings();
      if (groupBy !== previous.groupBy) {
        messagesView.setGroupBy(groupBy);
      }
      messagesView.refresh();
    }),
  );
  return messagesView;
}
