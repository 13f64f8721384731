import * as vscode from 'vscode';
import { shortId, shortSender } from '../../core/text/messageText';
import type { NodeMessage } from '../../core/nodeMessage';
import { minimumAmount } from '../../core/sending/amount';
import { promptText } from '../../core/text/safeText';
import { CommandId } from '../contributionIds';
import { confirmSend } from './sendConfirmation';
import { askForAmount, askForPubkey, askForText, pickNode, resolveMessage } from './prompts';
import type { CommandServices, CommandTable } from './services';

/**
 * Arguments that fill in the prompts (keybindings, tests, other extensions). Any of the pubkey,
 * text or amount given this way is confirmed once in a dialog before anything is sent.
 */
interface SendArguments {
  readonly node?: string;
  readonly pubkey?: string;
  readonly text?: string;
  readonly amount?: number;
}

/** Sending a message, and replying to one; either way the new message's reply is watched for. */
export function sendCommands(services: CommandServices): CommandTable {
  return [
    [CommandId.SendMessage, (args?: unknown) => send(services, checkArguments(args))],
    [CommandId.Reply, (arg?: unknown, args?: unknown) => reply(services, arg, checkArguments(args))],
  ];
}

async function send(services: CommandServices, args: SendArguments, replyTo?: NodeMessage): Promise<string | undefined> {
  const { subscriptions, log, settings, dialogs } = services;
  const node = replyTo?.node ?? args.node ?? (await pickNode(dialogs, subscriptions, vscode.l10n.t('Send through which node?')));
  if (!node) {
    return undefined;
  }
  const pubkey = replyTo?.fromPubkey ?? args.pubkey ?? (await askForPubkey(dialogs, subscriptions));
  if (!pubkey) {
    return undefined;
  }
  const text = args.text ?? (await askForText(dialogs, pubkey, replyTo));
  if (text === undefined) {
    return undefined;
  }
  const minimum = minimumAmount(Buffer.byteLength(text));
  const amount = args.amount ?? (await askForAmount(dialogs, minimum));
  if (amount === undefined) {
    return undefined;
  }
  if (BigInt(amount) < minimum) {
    throw new Error(vscode.l10n.t('The amount must be at least {0} sat for this message, not {1}.', minimum.toString(), amount));
  }
  // What the user typed was what they meant to send; what arrived with the command, they confirm.
  const fromArguments = args.pubkey !== undefined || args.text !== undefined || args.amount !== undefined;
  if (fromArguments && !(await confirmSend(dialogs, { node, pubkey, text, amount, minimum, replyToId: replyTo?.id }))) {
    log.info(vscode.l10n.t('[{0}] Send to {1} cancelled at the confirmation.', node, shortSender(pubkey)));
    return undefined;
  }
  const { messageId: id } = await subscriptions.sendAndWatch(
    { node, pubkey, data: text, amount, replyToId: replyTo?.id },
    { node, timeoutMs: settings().watchTimeoutSeconds * 1000 },
  );
  log.info(
    replyTo
      ? vscode.l10n.t('[{0}] Sent {1} to {2} in reply to {3}; watching for its reply.', node, shortId(id), shortSender(pubkey), shortId(replyTo.id))
      : vscode.l10n.t('[{0}] Sent {1} to {2}; watching for its reply.', node, shortId(id), shortSender(pubkey)),
  );
  vscode.window.setStatusBarMessage(`$(send) ${vscode.l10n.t('Sent {0}; watching for the reply', promptText(shortId(id)))}`, 4000);
  return id;
}

async function reply(services: CommandServices, argument: unknown, args: SendArguments): Promise<string | undefined> {
  const message = await resolveMessage(services.dialogs, services.subscriptions, argument, vscode.l10n.t('Reply to which message?'));
  return message ? send(services, args, message) : undefined;
}

/** A command's arguments can come from anywhere: each field is taken only when it has the right type. */
function checkArguments(value: unknown): SendArguments {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object') {
    throw new Error(vscode.l10n.t('The send arguments must be an object with node, pubkey, text and amount.'));
  }
  const { node, pubkey, text, amount } = value as Record<string, unknown>;
  const problems = [
    node !== undefined && typeof node !== 'string' ? 'node' : '',
    pubkey !== undefined && typeof pubkey !== 'string' ? 'pubkey' : '',
    text !== undefined && typeof text !== 'string' ? 'text' : '',
    amount !== undefined && !(typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0) ? 'amount' : '',
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new Error(vscode.l10n.t('Cannot send: these arguments have the wrong type: {0}.', problems.join(', ')));
  }
  return { node: node as string | undefined, pubkey: pubkey as string | undefined, text: text as string | undefined, amount: amount as number | undefined };
}
