// A message on the command line: one line for people (`tail`, `wait`), or one JSON object per line
// (`--json`) for scripts. Everything in a message came from a peer or the node: each field goes
// through `terminalText`, and JSON keeps no character a terminal acts on.
import { formatAmount } from '../core/sending/amount';
import { messageToJson } from '../core/journal/messageJson';
import { previewData, shortSender, viewData } from '../core/text/messageText';
import type { NodeMessage } from '../core/nodeMessage';
import { formatTime } from '../core/text/timeFormat';
import { terminalText, type Terminal } from './terminal';

/** `12:03:04  03ed8b…0d0e0  message  1 sat  <id>  ↩ <replyToId>  re: hello` */
export function messageLine(message: NodeMessage, terminal?: Terminal): string {
  const dim = (text: string) => terminal?.paint('dim', text) ?? text;
  return [
    dim(formatTime(message.receivedAt)),
    terminalText(shortSender(message.fromPubkey), 40),
    terminalText(message.serviceType || '-', 60),
    formatAmount(message.amount),
    terminalText(message.id || '-', 200),
    message.replyToId ? `↩ ${terminalText(message.replyToId, 200)}` : dim('-'),
    terminalText(previewData(message, 120), 120),
  ].join('  ');
}

/** Every field of a message for `--json`, as the extension exports it (data as base64), and the data as text when it is text. */
export function messageRecord(message: NodeMessage): Record<string, string | number> {
  const view = viewData(message.data);
  return { ...messageToJson(message), ...(view.kind === 'text' ? { text: view.text } : {}) };
}

/** One NDJSON line of a message. */
export function messageJsonLine(message: NodeMessage): string {
  return terminalSafeJson(JSON.stringify(messageRecord(message)));
}

/**
 * JSON with every character a terminal could act on written as a `\uXXXX` escape: JSON.stringify
 * escapes C0 controls but leaves DEL, the C1 controls (U+009B is a CSI on some terminals), line and
 * paragraph separators and bidirectional overrides as they are. The JSON reads back the same.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
