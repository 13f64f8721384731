// `impervious-events send <pubkey> <text|->`: one message through the node's REST API, within the
// spend limit; its ID on stdout (for `id=$(impervious-events send …)`), and with --wait its reply.
import { minimumAmount } from '../core/sending/amount';
import { NodeRequestError } from '../core/sending/restClient';
import type { SendArguments } from './arguments';
import type { CommandContext } from './commandContext';
import { CommandError, ExitCode, UsageError } from './exitCodes';
import { messageLine, messageRecord, terminalSafeJson } from './messageLines';
import { NodeSession } from './nodes';
import { commandLineSpendGuard } from './spendRules';
import { terminalText } from './terminal';
import { awaitReply } from './waitCommand';

/** Standard input read for `send <pubkey> -`: well over the node's ~480 KB message limit. */
const MAX_STDIN_BYTES = 8 * 1024 * 1024;

export async function sendCommand(args: SendArguments, context: CommandContext): Promise<ExitCode> {
  const { terminal } = context;
  const data = args.text === '-' ? await readAll(context.stdin, MAX_STDIN_BYTES) : Buffer.from(args.text, 'utf8');
  const minimum = minimumAmount(data.byteLength);
  const amount = args.amount ?? minimum;
  if (amount < minimum) {
    throw new UsageError(`send: --amount ${amount} is below the node's minimum of ${minimum} sat for ${data.byteLength} bytes.`);
  }
  const spend = commandLineSpendGuard({ limit: args.spendLimit, allowReplyAmounts: false, refused: (lines) => lines.forEach((line) => terminal.error(line)) });
  const planned = { block: 'send', recipient: args.pubkey, amount };
  if (!(await spend.begin([planned], 0)) || !(await spend.allow(planned))) {
    return ExitCode.SpendRefused;
  }
  const session = await NodeSession.open(args);
  try {
    if (args.wait) {
      // Subscribed before the send: the node never replays a reply that came while nobody listened.
      await session.connect();
    }
    let id: string;
    try {
      id = await session.subscriptions.sendMessage({ pubkey: args.pubkey, data, amount, ...(args.replyTo !== undefined ? { replyToId: args.replyTo } : {}) });
    } catch (error) {
      const message = terminalText(error instanceof Error ? error.message : String(error), 1000);
      if (error instanceof NodeRequestError && (error.status === 0 || error.status === 401 || error.status === 403)) {
        throw new CommandError(`Not sent: ${message}\n${error.status === 0 ? 'Check that the node runs and that --node names it.' : "Pass the node's API key with --api-key-env VAR."}`, ExitCode.Unreachable);
      }
      throw new CommandError(`Not sent: ${message}`, ExitCode.Failed);
    }
    const sentAt = Date.now();
    if (!args.wait) {
      terminal.line(args.json ? terminalSafeJson(JSON.stringify({ id })) : terminalText(id, 200));
      return ExitCode.Passed;
    }
    if (!args.json) {
      terminal.line(terminalText(id, 200));
    }
    const reply = await awaitReply(session, id, args.timeoutMs, context, sentAt);
    terminal.line(args.json ? terminalSafeJson(JSON.stringify({ id, reply: messageRecord(reply) })) : messageLine(reply, terminal));
    return ExitCode.Passed;
  } finally {
    await session.close();
  }
}

async function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += buffer.byteLength;
    if (size > limit) {
      throw new UsageError(`send: standard input is over ${limit / 1024 / 1024} MiB.`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
