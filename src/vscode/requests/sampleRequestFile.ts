// Not `vscode`: plain-Node tests build the sample too. The extension gives `@vscode/l10n` VS Code's bundle.
import * as l10n from '@vscode/l10n';
import { isNodePubkey } from '../../core/sending/nodePubkey';

/** Someone the sample can address: a sample peer of the simulated node, or a known sender. */
export interface SampleRecipient {
  readonly name: string;
  readonly pubkey: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The sample for the command and the walkthrough, addressed to one of the simulated node's sample
 * peers, or `undefined` when it runs none (it is not running). Never to a sender of held messages:
 * following the walkthrough must not send to someone real.
 */
export function sampleForSimulator(simulatorPeers: readonly SampleRecipient[]): string | undefined {
  return simulatorPeers.some((peer) => isNodePubkey(peer.pubkey)) ? sampleRequestText(simulatorPeers) : undefined;
}

/**
 * The text of a first request file: a ping that checks its reply, and a follow-up that chains on
 * it. It is addressed to the first of `recipients` with a pubkey; a name that is not a variable name is replaced.
 * Its comments and titles are in the display language; its grammar and data are not translated.
 */
export function sampleRequestText(recipients: readonly SampleRecipient[]): string {
  const first = recipients.find((recipient) => isNodePubkey(recipient.pubkey));
  if (!first) {
    throw new Error('a sample request file needs a pubkey to send to');
  }
  const firstName = NAME.test(first.name) ? first.name : 'peer';
  return [
    prose('#', l10n.t('A request file: each ### block sends a message from your node and checks its reply.')),
    prose('#', l10n.t('Nothing is sent until you click Send or Send and Check above a block.')),
    `@${firstName} = ${first.pubkey.trim().toLowerCase()}`,
    '',
    prose('###', l10n.t('ping {0}', firstName)),
    '# @name ping',
    '# @timeout 10s',
    `SEND {{${firstName}}}`,
    '',
    'ping',
    '',
    '> expect reply within 10s',
    '> expect reply.data contains "ping"',
    `> expect reply.from == {{${firstName}}}`,
    '',
    prose('###', l10n.t("answer {0}'s reply (runs {1} first if it has not run yet)", firstName, 'ping')),
    '# @name followUp',
    `SEND {{${firstName}}}`,
    'Reply-To: {{ping.reply.id}}',
    '',
    // `| json`: the reply's text goes in as a JSON string, so it cannot close the string and add keys.
    '{"about":{{ping.id | json}},"heard":{{ping.reply.data | json}}}',
    '',
    '> expect reply within 10s',
    '> expect reply.amount >= 1',
    '',
  ].join('\n');
}

/** A `#` comment or `###` title from a translation, kept to its line: a line break in it would start a line the grammar reads. */
function prose(prefix: '#' | '###', sentence: string): string {
  return `${prefix} ${sentence.replace(/[\r\n]+/g, ' ')}`;
}
