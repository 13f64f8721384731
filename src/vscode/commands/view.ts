import * as vscode from 'vscode';
import type { GroupBy } from '../../core/messages/messageTree';
import { CommandId } from '../contributionIds';
import { updateGroupBy } from '../services/settings';
import { askForFilter, pickGroupBy, queryErrorText } from './prompts';
import type { CommandServices, CommandTable } from './services';

/** What the Messages view shows: filter, grouping, pause and resume, and clearing what is held. */
export function viewCommands({ dialogs, subscriptions, messagesView, notifier }: CommandServices): CommandTable {
  return [
    // A query given as an argument is checked as the box checks it: a malformed one changes nothing.
    [CommandId.Filter, async (text?: unknown) => {
      const value = typeof text === 'string' ? text : await askForFilter(dialogs, messagesView.model.filter);
      const error = value === undefined ? undefined : messagesView.setFilter(value);
      if (error) {
        void notifier.warn(vscode.l10n.t('Filter not applied: {0}', queryErrorText(error)));
      }
      return error === undefined;
    }],
    [CommandId.ClearFilter, () => messagesView.setFilter('')],
    [CommandId.GroupBy, async (groupBy?: GroupBy) => {
      // The setting is the source of truth: the view follows its change.
      const choice = groupBy ?? (await pickGroupBy(dialogs));
      if (choice) {
        await updateGroupBy(choice);
      }
    }],
    [CommandId.Pause, () => messagesView.pause()],
    [CommandId.Resume, () => messagesView.resume()],
    [CommandId.Clear, () => subscriptions.clear()],
  ];
}
