import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { ApiKeys } from '../nodes/apiKeys';
import type { CommandId, InternalCommandId } from '../contributionIds';
import type { KnownIds } from '../messageIds/knownIds';
import type { Log } from '../services/log';
import type { MessagesView } from '../messages/messagesView';
import type { Notifier } from '../services/notifier';
import type { Dialogs } from '../services/dialogs';
import type { Settings } from '../services/settings';
import type { SimulatorControl } from '../nodes/simulatorControl';

/** What the command handlers act on. */
export interface CommandServices {
  readonly subscriptions: NodeSubscriptions;
  readonly messagesView: MessagesView;
  /** Held and watched IDs, for the ID at an editor's cursor. */
  readonly ids: KnownIds;
  readonly log: Log;
  readonly apiKeys: ApiKeys;
  readonly simulator: SimulatorControl;
  readonly notifier: Notifier;
  /** Modal questions, quick picks and input boxes (a send started with arguments asks here first). */
  readonly dialogs: Dialogs;
  readonly settings: () => Settings;
  /** Re-reads settings, keys and the simulator into the pipeline's node set. */
  readonly applyNodes: () => Promise<void>;
}

/** A group of commands: each ID with its handler, which returns what it did (for tests and other extensions). */
export type CommandTable = readonly (readonly [CommandId | InternalCommandId, (...args: never[]) => unknown])[];
