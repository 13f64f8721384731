/** Every command the extension contributes; registered in one place, `commands.ts`. */
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
  ShowLog = 'impervious.showLog',
}

/** Context keys the menus and welcome views read. */
export const enum ContextKey {
  Connected = 'impervious.connected',
  Paused = 'impervious.paused',
  Filtered = 'impervious.filtered',
  SimulatorRunning = 'impervious.simulatorRunning',
}
