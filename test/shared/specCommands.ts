/** The command IDs SPEC.md makes public: the manifest test and the VS Code suites check them. */
export const SPEC_COMMANDS = [
  'connect', 'disconnect', 'setApiKey', 'copyMessageId', 'copyReplyToId', 'copySenderPubkey', 'copyData',
  'copyMessageJson', 'watchReply', 'unwatch', 'goToThread', 'goToRepliedMessage', 'openMessage', 'sendMessage',
  'reply', 'filter', 'clearFilter', 'pause', 'resume', 'clear', 'exportMessages', 'startSimulator',
  'stopSimulator', 'showLog',
].map((name) => `impervious.${name}`);
