/**
 * Every ID the extension gives VS Code: commands (contributed and internal), views, context keys,
 * status bar items and secret keys. Setting keys are in `settings.ts`.
 */

/** Every command the extension contributes; registered in one place, `commands/index.ts`. */
export const enum CommandId {
  Connect = 'impervious.connect',
  Disconnect = 'impervious.disconnect',
  SetApiKey = 'impervious.setApiKey',
  CopyMessageId = 'impervious.copyMessageId',
  CopyReplyToId = 'impervious.copyReplyToId',
  CopySenderPubkey = 'impervious.copySenderPubkey',
  CopyData = 'impervious.copyData',
  CopyMessageJson = 'impervious.copyMessageJson',
  WatchReply = 'impervious.watchReply',
  WatchQuery = 'impervious.watchQuery',
  Unwatch = 'impervious.unwatch',
  GoToThread = 'impervious.goToThread',
  GoToRepliedMessage = 'impervious.goToRepliedMessage',
  OpenMessage = 'impervious.openMessage',
  SendMessage = 'impervious.sendMessage',
  Reply = 'impervious.reply',
  Filter = 'impervious.filter',
  ClearFilter = 'impervious.clearFilter',
  GroupBy = 'impervious.groupBy',
  Pause = 'impervious.pause',
  Resume = 'impervious.resume',
  Clear = 'impervious.clear',
  ExportMessages = 'impervious.exportMessages',
  StartSimulator = 'impervious.startSimulator',
  StopSimulator = 'impervious.stopSimulator',
  SimulatorFaults = 'impervious.simulatorFaults',
  ShowLog = 'impervious.showLog',
  CopyMessageLink = 'impervious.copyMessageLink',
  RunRequest = 'impervious.runRequest',
  RunAllRequests = 'impervious.runAllRequests',
  NewRequestFile = 'impervious.newRequestFile',
  ClearRequestResults = 'impervious.clearRequestResults',
  ShowTimeline = 'impervious.showTimeline',
  CopyThreadDiagram = 'impervious.copyThreadDiagram',
}

/** Commands the extension registers for its own use, not contributed to the palette or menus. */
export const enum InternalCommandId {
  /** A status bar item's click, with the node's name. */
  StatusBarActions = 'impervious.statusBarActions',
  /** A request block's CodeLens, with the file's URI, the block's index and whether to check its expectations. */
  SendRequestBlock = 'impervious.sendRequestBlock',
}

/** The views the extension contributes. */
export const enum ViewId {
  Messages = 'impervious.messages',
  Watches = 'impervious.watches',
  Timeline = 'impervious.timeline',
}

/** Commands VS Code makes for the views. */
export const enum ViewCommand {
  FocusMessages = 'impervious.messages.focus',
  FocusWatches = 'impervious.watches.focus',
}

/** Context keys the menus and welcome views read. */
export const enum ContextKey {
  Connected = 'impervious.connected',
  Paused = 'impervious.paused',
  Filtered = 'impervious.filtered',
  SimulatorRunning = 'impervious.simulatorRunning',
  /** The editor's cursor is on an ID that Watch for Reply would take without asking. */
  EditorIdWatchable = 'impervious.editorIdWatchable',
  /** The editor's cursor is on the ID of a held message. */
  EditorIdHeld = 'impervious.editorIdHeld',
  /** True for a moment when a request file's block gets its reply (the walkthrough's "send and check" step). */
  RequestReplied = 'impervious.requestReplied',
  /** True for a moment when a request file's ID reference is hovered with a value (the walkthrough's "hover an ID" step). */
  RequestValueHovered = 'impervious.requestValueHovered',
}

/** The status bar item counting awaited replies. */
export const AWAITED_STATUS_BAR_ITEM_ID = 'impervious.awaited';

/** The Test Explorer's controller for request files. */
export const REQUEST_TEST_CONTROLLER_ID = 'impervious.requests';

/** The ID of a node's status bar item (VS Code keeps its visibility per ID). */
export function statusBarItemId(node: string): string {
  return `impervious.node.${node}`;
}

/** Where a node's API key lives in SecretStorage. */
export const API_KEY_SECRET_PREFIX = 'impervious.apiKey/';
