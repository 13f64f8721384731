import * as vscode from 'vscode';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import { CommandId, ViewId } from '../ids';
import type { Log } from '../log';
import type { MessagesView } from '../messagesView';
import type { Notifier } from '../notifier';
import { copyThreadDiagram } from './threadDiagramCommand';
import { TimelineView } from './timelineView';

export type { TimelineProbe } from './timelineView';

export interface TimelineRegistration {
  readonly hub: NodeSubscriptions;
  readonly messagesView: MessagesView;
  readonly extensionUri: vscode.Uri;
  readonly log: Log;
  readonly notifier: Notifier;
}

/**
 * The Timeline (a webview view in the panel) and thread diagrams: the view's provider and the
 * commands `impervious.showTimeline` and `impervious.copyThreadDiagram`. A command that throws is
 * logged and shown, as in the command registry.
 */
export function registerTimeline({ hub, messagesView, extensionUri, log, notifier }: TimelineRegistration): vscode.Disposable[] {
  const timeline = new TimelineView({ hub, messagesView, extensionUri });
  const command = (id: CommandId, handler: (argument?: unknown) => Promise<unknown>): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (argument?: unknown) => {
      try {
        return await handler(argument);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error(`${id}: ${message}`);
        void notifier.error(message);
        return undefined;
      }
    });
  return [
    timeline,
    vscode.window.registerWebviewViewProvider(ViewId.Timeline, timeline),
    command(CommandId.ShowTimeline, () => timeline.show()),
    command(CommandId.CopyThreadDiagram, (argument) => copyThreadDiagram(hub, argument)),
  ];
}
