import { formatAmount } from '../../core/sending/amount';
import { viewData } from '../../core/text/messageText';
import type { NodeMessage } from '../../core/nodeMessage';
import { markdownText } from '../../core/text/safeText';

/**
 * The words of the tooltip. The Messages view passes them through `vscode.l10n.t`; this file takes
 * them as data so that it runs in plain Node too (its unit tests and the fuzzer use it there).
 */
export interface TooltipWords {
  readonly binary: (byteLength: number) => string;
  readonly empty: string;
  readonly id: string;
  readonly replyTo: string;
  readonly from: string;
  readonly service: string;
  readonly amount: string;
  readonly received: string;
  readonly node: string;
  /** Said of a recovered message (fetched from the node's stored messages after a gap); absent otherwise. */
  readonly recovered?: string;
}

export const ENGLISH_TOOLTIP_WORDS: TooltipWords = {
  binary: (byteLength) => `${byteLength} bytes of binary data`,
  empty: '(empty)',
  id: 'ID',
  replyTo: 'Reply to',
  from: 'From',
  service: 'Service',
  amount: 'Amount',
  received: 'Received',
  node: 'Node',
};

/** The hover of a message in the tree: every field, all peer text escaped. */
export function messageTooltipMarkdown(message: NodeMessage, words: TooltipWords = ENGLISH_TOOLTIP_WORDS): string {
  const view = viewData(message.data);
  const dataLine = view.kind === 'binary' ? words.binary(view.byteLength) : markdownText(view.text, 300) || words.empty;
  const rows: [string, string][] = [
    [words.id, message.id],
    [words.replyTo, message.replyToId || '—'],
    [words.from, message.fromPubkey],
    [words.service, message.serviceType],
    [words.amount, formatAmount(message.amount)],
    [words.received, new Date(message.receivedAt).toISOString()],
    [words.node, message.node],
  ];
  return [
    dataLine,
    '',
    ...rows.map(([name, value]) => `**${markdownText(name, 40)}:** ${markdownText(value, 200)}  `),
    ...(words.recovered !== undefined ? ['', `_${markdownText(words.recovered, 200)}_`] : []),
  ].join('\n');
}
