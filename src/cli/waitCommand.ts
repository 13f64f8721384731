// `impervious-events wait <id>`: the reply to one message ID, by the rule of the API's waitForReply
// (a message whose replyToId is the ID, or one that comes back with the ID itself), or exit 1 at --timeout.
import { formatDuration } from '../core/text/duration';
import type { NodeMessage } from '../core/nodeMessage';
import type { NodeSubscriptions } from '../core/nodeSubscriptions';
import type { WaitArguments } from './arguments';
import type { CommandContext } from './commandContext';
import { CommandError, ExitCode } from './exitCodes';
import { messageJsonLine, messageLine } from './messageLines';
import { NodeSession } from './nodes';
import { terminalText } from './terminal';

export async function waitCommand(args: WaitArguments, context: CommandContext): Promise<ExitCode> {
  const session = await NodeSession.open(args);
  try {
    await session.connect();
    context.terminal.error(`Waiting up to ${formatDuration(args.timeoutMs)} for the reply to ${terminalText(args.id, 200)}…`);
    const reply = await awaitReply(session, args.id, args.timeoutMs, context);
    context.terminal.line(args.json ? messageJsonLine(reply) : messageLine(reply, context.terminal));
    return ExitCode.Passed;
  } finally {
    await session.close();
  }
}

/**
 * The reply to `id` through the pipeline's watches, as `waitForReply` and request files wait; rejects
 * with exit code 1 at the timeout, 3 when the node stops the stream for good, 130 on Ctrl+C.
 */
export async function awaitReply(session: NodeSession, id: string, timeoutMs: number, context: CommandContext, sentAt?: number): Promise<NodeMessage> {
  const subscriptions: NodeSubscriptions = session.subscriptions;
  const watch = subscriptions.watches.watch(id, { timeoutMs, visible: false, ...(sentAt !== undefined ? { sentAt } : {}) });
  let ending: CommandError | undefined;
  session.reportStatus(context.terminal, (message) => {
    ending = new CommandError(message, ExitCode.Unreachable);
    subscriptions.watches.cancel(watch);
  });
  const interruption = context.interruption.onInterrupt(() => {
    ending = new CommandError('Interrupted: stopped waiting.', ExitCode.Interrupted);
    subscriptions.watches.cancel(watch);
  });
  try {
    return await watch.promise;
  } catch {
    throw ending ?? new CommandError(`No reply to ${terminalText(id, 200)} within ${formatDuration(timeoutMs)}.`, ExitCode.Failed);
  } finally {
    interruption.dispose();
  }
}
