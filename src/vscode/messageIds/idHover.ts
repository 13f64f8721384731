import * as vscode from 'vscode';
import { systemClock, type Clock } from '../../core/base/clock';
import { formatAmount } from '../../core/sending/amount';
import { idTokenAt, isIdInText } from '../../core/ids/messageIdTokens';
import { previewData, shortId, shortSender } from '../../core/text/messageText';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import type { NodeMessage } from '../../core/nodeMessage';
import { replyStateText } from '../../core/watches/replyState';
import { formatTime } from '../../core/text/timeFormat';
import { CommandId } from '../contributionIds';
import type { KnownId, KnownIds } from './knownIds';
import { markdownText, singleLine, truncate } from '../../core/text/safeText';

/** The only commands a hover's links may run; VS Code refuses every other `command:` link in it. */
export const HOVER_COMMANDS: readonly CommandId[] = [
  CommandId.OpenMessage,
  CommandId.GoToThread,
  CommandId.WatchReply,
  CommandId.Unwatch,
  CommandId.CopyData,
  CommandId.CopyMessageLink,
];

/**
 * A hover on a held or watched message ID, in any editor. The work per hover is one bounded scan
 * of the line around the pointer and a few map lookups; anything else under the pointer returns
 * at once with no hover.
 */
export class IdHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly subscriptions: NodeSubscriptions,
    private readonly ids: KnownIds,
    private readonly clock: Clock = systemClock,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const token = idTokenAt(document.lineAt(position.line).text, position.character);
    const known = token && this.ids.resolve(token.text);
    if (!token || !known) {
      return undefined;
    }
    const range = new vscode.Range(position.line, token.start, position.line, token.end);
    return new vscode.Hover(idHoverMarkdown(this.subscriptions, known, this.clock.now()), range);
  }
}

/**
 * The hover's Markdown. Every piece of peer or node text is escaped; the only links are ours, to
 * `HOVER_COMMANDS`, with arguments made from a message ID the tokenizer accepted (letters, digits,
 * `-_.:`), JSON-encoded and percent-encoded, never from data, senders or service types.
 */
export function idHoverMarkdown(subscriptions: NodeSubscriptions, known: KnownId, now: number): vscode.MarkdownString {
  const { id, message, watch } = known;
  const heldReply = message ? subscriptions.store(message.node).repliesTo(message.id)[0] : undefined;
  const reply = watch?.reply ?? heldReply;
  const lines: string[] = [];
  if (message) {
    lines.push(`**${markdownText(vscode.l10n.t('Message {0}', shortId(id)))}** ${markdownText(vscode.l10n.t('on {0}', singleLine(message.node)))}`, '');
    lines.push(...messageLines(message), '');
  } else {
    lines.push(`**${markdownText(vscode.l10n.t('Awaited reply to {0}', shortId(id)))}**`, '');
  }
  const state = replyStateText(watch, now, heldReply);
  lines.push(`**${markdownText(vscode.l10n.t('Reply'))}:** ${markdownText(state)}  `);
  if (reply) {
    lines.push(`${markdownText(truncate(previewData(reply, 200), 200))}`);
  }
  lines.push('', actionLinks(known, reply));

  const markdown = new vscode.MarkdownString(lines.join('\n'));
  markdown.isTrusted = { enabledCommands: HOVER_COMMANDS };
  markdown.supportHtml = false;
  markdown.supportThemeIcons = false;
  return markdown;
}

function messageLines(message: NodeMessage): string[] {
  const rows: [string, string][] = [
    [vscode.l10n.t('From'), shortSender(message.fromPubkey)],
    [vscode.l10n.t('Received'), formatTime(message.receivedAt)],
    [vscode.l10n.t('Amount'), formatAmount(message.amount)],
    [vscode.l10n.t('Service'), truncate(singleLine(message.serviceType), 80)],
  ];
  return [
    markdownText(previewData(message, 300)),
    '',
    rows.map(([name, value]) => `**${markdownText(name)}:** ${markdownText(value)}`).join(' · '),
  ];
}

function actionLinks({ id, message, watch }: KnownId, reply: NodeMessage | undefined): string {
  const links: string[] = [];
  if (message) {
    links.push(commandLink(vscode.l10n.t('Open Message'), CommandId.OpenMessage, id));
    links.push(commandLink(vscode.l10n.t('Go to Thread'), CommandId.GoToThread, id));
  } else if (reply && isIdInText(reply.id)) {
    // The reply is held under an ID of its own; it is linked only when it is as plain as the one hovered.
    links.push(commandLink(vscode.l10n.t('Open Reply'), CommandId.OpenMessage, reply.id));
  }
  links.push(
    watch?.state === 'waiting'
      ? commandLink(vscode.l10n.t('Stop Watching'), CommandId.Unwatch, id)
      : commandLink(vscode.l10n.t('Watch for Reply'), CommandId.WatchReply, id),
  );
  if (message) {
    links.push(commandLink(vscode.l10n.t('Copy Data'), CommandId.CopyData, id));
    links.push(commandLink(vscode.l10n.t('Copy Link'), CommandId.CopyMessageLink, id));
  } else if (reply && isIdInText(reply.id)) {
    links.push(commandLink(vscode.l10n.t('Copy Reply Data'), CommandId.CopyData, reply.id));
  }
  return links.join(' · ');
}

function commandLink(title: string, command: CommandId, id: string): string {
  return `[${markdownText(title)}](command:${command}?${encodeURIComponent(JSON.stringify([id]))})`;
}
