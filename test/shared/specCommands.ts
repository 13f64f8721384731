/**
 * The command IDs SPEC.md makes public: the manifest test and the VS Code suites check them. The
 * extension may have more (`impervious.groupBy`); every command it has is a member of CommandId,
 * which extensionCommands.ts reads.
 */
export const SPEC_COMMANDS = [
  'connect', 'disconnect', 'setApiKey', 'copyMessageId', 'copyReplyToId', 'copySenderPubkey', 'copyData',
  'copyMessageJson', 'watchReply', 'unwatch', 'goToThread', 'goToRepliedMessage', 'openMessage', 'sendMessage',
  'reply', 'filter', 'clearFilter', 'pause', 'resume', 'clear', 'exportMessages', 'startSimulator',
  'stopSimulator', 'showLog', 'copyMessageLink',
].map((name) => `impervious.${name}`);
