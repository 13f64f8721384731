import * as vscode from 'vscode';
import { shortId, shortSender } from '../../core/messageText';
import type { NodeMessage } from '../../core/nodeMessage';
import { minimumAmount } from '../../core/amount';
import { CommandId } from '../ids';
import { askForAmount, askForPubkey, askForText, pickNode, resolveMessage } from './prompts';
import type { CommandServices, CommandTable } from './services';

/** Arguments that let tests and keybindings send without the prompts. */
interface SendArguments {
  readonly node?: string;
  readonly pubkey?: string;
  readonly text?: string;
  readonly amount?: number;
}

/** Sending a message, and replying to one; either way the new message's reply is watched for. */
export function sendCommands(services: CommandServices): CommandTable {
  return [
    [CommandId.SendMessage, (args?: SendArguments) => send(services, args ?? {})],
    [CommandId.Reply, (arg?: unknown, args?: SendArguments) => reply(services, arg, args ?? {})],
  ];
}

async function send({ hub, log, settings }: CommandServices, args: SendArguments, replyTo?: NodeMessage): Promise<string | undefined> {
  const node = replyTo?.node ?? args.node ?? (await pickNode(hub, 'Send through which node?'));
  if (!node) {
    return undefined;
  }
  const pubkey = replyTo?.fromPubkey ?? args.pubkey ?? (await askForPubkey(hub));
  if (!pubkey) {
    return undefined;
  }
  const text = args.text ?? (await askForText(pubkey, replyTo));
  if (text === undefined) {
    return undefined;
  }
  const amount = args.amount ?? (await askForAmount(minimumAmount(Buffer.byteLength(text))));
  if (amount === undefined) {
    return undefined;
  }
  const { messageId: id } = await hub.sendAndWatch(
    { node, pubkey, data: text, amount, replyToId: replyTo?.id },
    { node, timeoutMs: settings().watchTimeoutSeconds * 1000 },
  );
  log.info(`[${node}] Sent ${shortId(id)} to ${shortSender(pubkey)}${replyTo ? ` in reply to ${shortId(replyTo.id)}` : ''}; watching for its reply.`);
  vscode.window.setStatusBarMessage(`$(send) Sent ${shortId(id)}; watching for the reply`, 4000);
  return id;
}

async function reply(services: CommandServices, argument: unknown, args: SendArguments): Promise<string | undefined> {
  const message = await resolveMessage(services.hub, argument, 'Reply to which message?');
  return message ? send(services, args, message) : undefined;
}
