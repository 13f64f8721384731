import * as vscode from 'vscode';
import type { NodeMessage } from '../../core/nodeMessage';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import { replyLatencyMs } from '../../core/watches/replyLatency';
import { threadDiagram, type ReplyTiming } from '../../core/timeline/threadDiagram';
import type { Watch } from '../../core/watches/watches';
import { copyToClipboard } from '../base/clipboard';
import { resolveMessage } from '../commands/prompts';
import type { Dialogs } from '../services/dialogs';

/**
 * Copy Thread Diagram: the thread of a message (a tree item, a message ID, or picked) as a Mermaid
 * `sequenceDiagram` in a ```mermaid fence, ready to paste where GitHub renders it. Returns the text.
 */
export async function copyThreadDiagram(dialogs: Dialogs, subscriptions: NodeSubscriptions, argument: unknown): Promise<string | undefined> {
  const message = await resolveMessage(dialogs, subscriptions, argument, vscode.l10n.t('Copy the thread diagram of which message?'));
  if (!message) {
    return undefined;
  }
  const timings = replyTimings(subscriptions.watches.list());
  const diagram = threadDiagram(message, subscriptions.store(message.node), {
    node: message.node,
    timingOf: (reply) => timings.get(replyKey(reply)),
  });
  const text = `\`\`\`mermaid\n${diagram}\`\`\`\n`;
  await copyToClipboard(text, vscode.l10n.t('thread diagram'));
  return text;
}

/** The latency of each reply that answered a watch, by the reply's node and ID. */
function replyTimings(watches: readonly Watch[]): Map<string, ReplyTiming> {
  const timings = new Map<string, ReplyTiming>();
  for (const watch of watches) {
    const ms = replyLatencyMs(watch);
    if (watch.reply && ms !== undefined) {
      timings.set(replyKey(watch.reply), { ms, sentId: watch.messageId });
    }
  }
  return timings;
}

function replyKey(message: Pick<NodeMessage, 'node' | 'id'>): string {
  return `${message.node}\u0000${message.id}`;
}
