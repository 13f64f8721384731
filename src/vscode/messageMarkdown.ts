import { formatAmount } from '../core/amount';
import { cleanText, singleLine, truncate, viewData } from '../core/messageText';
import type { NodeMessage } from '../core/nodeMessage';

/** Escapes text for markdown so nothing in it becomes a link, a command, HTML or formatting. */
export function escapeMarkdown(text: string): string {
  return cleanText(text).replace(/[\\`*_{}[\]()<>#+\-.!|~&"':$]/g, (char) => `\\${char}`);
}

/** The hover of a message in the tree: every field, all peer text escaped. */
export function messageTooltipMarkdown(message: NodeMessage): string {
  const view = viewData(message.data);
  const dataLine =
    view.kind === 'binary'
      ? `${view.byteLength} bytes of binary data`
      : escapeMarkdown(truncate(singleLine(view.text), 300)) || '(empty)';
  const rows: [string, string][] = [
    ['ID', message.id],
    ['Reply to', message.replyToId || '—'],
    ['From', message.fromPubkey],
    ['Service', message.serviceType],
    ['Amount', formatAmount(message.amount)],
    ['Received', new Date(message.receivedAt).toISOString()],
    ['Node', message.node],
  ];
  return [
    dataLine,
    '',
    ...rows.map(([name, value]) => `**${name}:** ${escapeMarkdown(truncate(value, 200))}  `),
  ].join('\n');
}
