import * as vscode from 'vscode';
import type { CommandTable } from '../commands';
import { CommandId, ViewId } from '../contributionIds';
import type { MessagesView } from '../messages/messagesView';
import type { Services } from '../services';
import { copyThreadDiagram } from './threadDiagramCommand';
import { TimelineView } from './timelineView';

export type { TimelineProbe } from './timelineView';

/**
 * The Timeline (a webview view in the panel; its chart is a bundle of its own, loaded by the
 * webview) and thread diagrams: registers the view's provider, and returns the commands
 * `impervious.showTimeline` and `impervious.copyThreadDiagram` for the command registry.
 */
export function registerTimeline(services: Services, messagesView: MessagesView): CommandTable {
  const { subscriptions, extensionUri, dialogs } = services;
  const timeline = new TimelineView({ subscriptions, messagesView, extensionUri });
  services.register(timeline, vscode.window.registerWebviewViewProvider(ViewId.Timeline, timeline));
  return [
    [CommandId.ShowTimeline, () => timeline.show()],
    [CommandId.CopyThreadDiagram, (argument?: unknown) => copyThreadDiagram(dialogs, subscriptions, argument)],
  ];
}
