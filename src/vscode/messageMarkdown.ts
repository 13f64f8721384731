import { formatAmount } from '../core/amount';
import { viewData } from '../core/messageText';
import type { NodeMessage } from '../core/nodeMessage';
import { markdownText } from '../core/safeText';

/** The hover of a message in the tree: every field, all peer text escaped. */
export function messageTooltipMarkdown(message: NodeMessage): string {
  const view = viewData(message.data);
  const dataLine =
    view.kind === 'binary'
      ? `${view.byteLength} bytes of binary data`
      : markdownText(view.text, 300) || '(empty)';
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
    ...rows.map(([name, value]) => `**${name}:** ${markdownText(value, 200)}  `),
  ].join('\n');
}
