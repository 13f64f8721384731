import type { GroupBy } from '../../core/messages/messageTree';
import { CommandId } from '../contributionIds';
import { updateGroupBy } from '../services/settings';
import { askForFilter, pickGroupBy } from './prompts';
import type { CommandServices, CommandTable } from './services';

/** What the Messages view shows: filter, grouping, pause and resume, and clearing what is held. */
export function viewCommands({ dialogs, subscriptions, messagesView }: CommandServices): CommandTable {
  return [
    [CommandId.Filter, async (text?: string) => {
      const value = text ?? (await askForFilter(dialogs, messagesView.model.filter));
      if (value !== undefined) {
        messagesView.setFilter(value);
      }
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
