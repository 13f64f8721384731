import * as vscode from 'vscode';
import { isDeepLinkError, LINK_AUTHORITY, parseDeepLink, type DeepLink, type DeepLinkOutcome } from '../../core/ids/deepLinks';
import { LINK_REFUSALS_SHOWN_PER_MINUTE, LINK_WATCHES_PER_MINUTE, LinkWatches, RateWindow } from '../../core/ids/linkWatches';
import { isIdInText } from '../../core/ids/messageIdTokens';
import { shortId } from '../../core/text/messageText';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import { notificationText } from '../../core/text/safeText';
import { openMessageDocument } from '../messages/messageDocuments';
import type { MessagesView } from '../messages/messagesView';
import type { Notifier } from '../services/notifier';
import type { Probe } from '../services/testProbe';

/**
 * `<scheme>://imp-tools.impervious-events/message?id=…[&node=…]` opens a held message and reveals
 * it in the Messages view; `/watch?id=…[&node=…]` watches for its reply. Any page or program can
 * open such a link, so a link only ever opens or watches: it never sends, carries no data, and a
 * malformed one, an unknown node or a message not held is refused with a message that quotes
 * nothing from the link but a plain ID. Watches from links are bounded in rate and time
 * (`LinkWatches`), and nothing a link causes is thrown back to VS Code: it is refused and said.
 */
export class DeepLinkHandler implements vscode.UriHandler {
  readonly linkWatches: LinkWatches;
  /** A page can open any number of malformed links: only so many refusals a minute become notifications. */
  private readonly refusalsShown = new RateWindow(LINK_REFUSALS_SHOWN_PER_MINUTE, 60_000);

  constructor(
    private readonly subscriptions: NodeSubscriptions,
    private readonly messagesView: MessagesView,
    private readonly watchTimeoutMs: () => number,
    private readonly notifier: Notifier,
    /** Told each link's outcome: a URI handler's result goes nowhere else. */
    private readonly probe: Probe,
    /** A link waits for the last session's held messages and watches (the link may be what started VS Code). */
    private readonly restored: Promise<void>,
  ) {
    this.linkWatches = new LinkWatches(subscriptions.watches);
  }

  async handleUri(uri: vscode.Uri): Promise<void> {
    let outcome: DeepLinkOutcome;
    try {
      outcome = await this.follow(uri);
    } catch {
      // The error could quote the link, which a page wrote: it is not repeated.
      outcome = this.refuse(vscode.l10n.t('This link could not be followed.'));
    }
    this.probe.followedLink(outcome);
  }

  private async follow(uri: vscode.Uri): Promise<DeepLinkOutcome> {
    if (uri.authority.toLowerCase() !== LINK_AUTHORITY) {
      return this.refuse(vscode.l10n.t('This link is not an Impervious link.'));
    }
    const link = parseDeepLink(uri.path, uri.query);
    if (isDeepLinkError(link)) {
      return this.refuse(vscode.l10n.t(link.error));
    }
    if (link.node !== undefined && !this.knowsNode(link.node)) {
      return this.refuse(vscode.l10n.t('This link names a node that is not configured here.'));
    }
    await this.restored;
    return link.kind === 'message' ? this.open(link) : this.watch(link);
  }

  private async open(link: DeepLink): Promise<DeepLinkOutcome> {
    const message = this.subscriptions.find(link.id, link.node);
    if (!message) {
      return this.refuse(vscode.l10n.t('Message {0} is not held (it may have been cleared or evicted, or never arrived here).', plainId(link.id)));
    }
    await openMessageDocument(this.subscriptions, message);
    await this.messagesView.reveal(message);
    return { opened: message.id };
  }

  private watch(link: DeepLink): DeepLinkOutcome {
    const result = this.linkWatches.watch(link.id, link.node, this.watchTimeoutMs());
    if ('watching' in result) {
      vscode.window.setStatusBarMessage(`$(watch) ${vscode.l10n.t('Watching for the reply to {0}', plainId(link.id))}`, 3000);
      return { watching: result.watching };
    }
    const text =
      result.refused === 'rate'
        ? vscode.l10n.t(
            'Links asked to watch for more replies than the {0} a minute that links may add: this link is refused, and so is any other within the minute, without another message.',
            LINK_WATCHES_PER_MINUTE,
          )
        : vscode.l10n.t('A link asked to watch for a reply, and no watch was added: {0}', result.reason);
    return result.tell ? this.refuse(text, 'warning') : { refused: notificationText(text) };
  }

  /** Held messages are kept for a node that left the settings, so its links still open. */
  private knowsNode(node: string): boolean {
    return this.subscriptions.nodeNames().includes(node) || this.subscriptions.storeNames().includes(node);
  }

  private refuse(text: string, level: 'warning' | 'error' = 'error'): DeepLinkOutcome {
    if (this.refusalsShown.take()) {
      void this.notifier.show(level, text);
    }
    return { refused: notificationText(text) };
  }
}

/** A link's ID is repeated back only when it is a plain ID; anything else could be made to mislead. */
function plainId(id: string): string {
  return isIdInText(id) ? shortId(id) : vscode.l10n.t('the linked ID');
}
