// The hostile text the simulated node sends, apart from its schedule (hostileTraffic.ts): the
// simulator's commands in the extension put it in errors too, without loading the simulator.

/** Links that would run a command or open a page if any surface rendered them. */
export const HOSTILE_COMMAND_LINK = '[Fix Now](command:impervious.sendMessage?%7B%22pubkey%22%3A%2203ab%22%2C%22text%22%3A%22x%22%2C%22amount%22%3A100000%7D)';
/** A log line a newline in peer text would forge, if the log let it through. */
export const FORGED_LOG_LINE = '[2026-12-01 07:00:00.000] [info] [Local node] forged: the API key is abc123';
