import * as l10n from '@vscode/l10n';
import { formatDuration } from '../text/duration';
import { shortSender } from '../text/messageText';
import { replyLatencyMs, type ReplyWatch } from './replyLatency';

/**
 * One line of plain text: "waiting 12 s", "replied in 820 ms by 03ab12…0d0e0", "timed out after
 * 30 s", "no reply yet". `heldReply` is a reply found without a watch. The sender is peer text: it
 * comes back shortened, on one line, without controls, bidi overrides or lone surrogates, but NOT
 * escaped: a Markdown caller escapes it.
 */
export function replyStateText(watch: ReplyWatch | undefined, now: number, heldReply?: { readonly fromPubkey: string }): string {
  if (!watch) {
    return heldReply ? l10n.t('replied by {0}', replySender(heldReply.fromPubkey)) : l10n.t('no reply yet');
  }
  const start = watch.sentAt ?? watch.createdAt;
  switch (watch.state) {
    case 'waiting':
      return l10n.t('waiting {0}', formatDuration(now - start));
    case 'answered': {
      const latency = replyLatencyMs(watch);
      const sender = watch.reply ? replySender(watch.reply.fromPubkey) : undefined;
      if (latency !== undefined) {
        return sender !== undefined ? l10n.t('replied in {0} by {1}', formatDuration(latency), sender) : l10n.t('replied in {0}', formatDuration(latency));
      }
      return sender !== undefined ? l10n.t('already replied by {0}', sender) : l10n.t('replied');
    }
    case 'timedOut':
      return l10n.t('timed out after {0}', formatDuration((watch.deadline ?? watch.settledAt ?? now) - watch.createdAt));
    case 'cancelled':
      return l10n.t('stopped waiting after {0}', formatDuration((watch.settledAt ?? now) - start));
  }
}

/** A sender as plain text fit for one line. */
export function replySender(sender: string): string {
  return withoutLoneSurrogates(shortSender(sender));
}

/** Shortening may cut a surrogate pair in half; half a pair renders as garbage or breaks encoders. */
function withoutLoneSurrogates(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
