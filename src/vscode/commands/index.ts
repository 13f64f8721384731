import * as vscode from 'vscode';
import { exportCommands } from './export';
import { messageCommands } from './messages';
import { nodeCommands } from './nodes';
import { sendCommands } from './send';
import type { Services } from '../services';
import type { CommandServices, CommandTable } from './services';
import { simulatorCommands } from './simulator';
import { viewCommands } from './view';
import { watchCommands } from './watches';

export type { CommandServices, CommandTable } from './services';

/** What the commands act on beyond the services: parts of the features. */
export type CommandFeatures = Pick<CommandServices, 'messagesView' | 'ids' | 'applyNodes'>;

/**
 * Registers every command in one place. A handler that throws is logged and shown as an error
 * message, and the command returns `undefined`. `more`: the tables of features that build their own
 * (request files).
 */
export function registerCommands(all: Services, features: CommandFeatures, ...more: CommandTable[]): void {
  const { subscriptions, log, apiKeys, simulator, notifier, dialogs, settings } = all;
  const services: CommandServices = { subscriptions, log, apiKeys, simulator, notifier, dialogs, settings, ...features };
  const commands = [
    ...nodeCommands(services),
    ...messageCommands(services),
    ...watchCommands(services),
    ...sendCommands(services),
    ...viewCommands(services),
    ...exportCommands(services),
    ...simulatorCommands(services),
    ...more.flat(),
  ];
  all.register(...commands.map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        // The message can quote a node's error body (a failed send): the notifier and the log make it safe.
        const message = error instanceof Error ? error.message : String(error);
        services.log.error(`${id}: ${message}`);
        void services.notifier.error(message);
        return undefined;
      }
    }),
  ));
}
