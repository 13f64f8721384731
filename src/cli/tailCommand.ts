// `impervious-events tail`: the node's stream on the terminal, one line (or one NDJSON object) per
// message as it arrives (those matching --filter), reconnecting with the extension's backoff, until
// --count, --for or Ctrl+C.
import type { Disposable } from '../core/base/emitter';
import type { TailArguments } from './arguments';
import type { CommandContext } from './commandContext';
import { ExitCode } from './exitCodes';
import { messageJsonLine, messageLine } from './messageLines';
import { NodeSession } from './nodes';
import { terminalText } from './terminal';

/** Sample-peer messages a second when `tail --simulate` has the simulated node to itself. */
const SIMULATED_RATE = 2;

export async function tailCommand(args: TailArguments, context: CommandContext): Promise<ExitCode> {
  const { terminal } = context;
  const session = await NodeSession.open(args, { simulatorRate: SIMULATED_RATE });
  const disposables: Disposable[] = [];
  let received = 0;
  let finish: (code: ExitCode) => void = () => undefined;
  const ended = new Promise<ExitCode>((resolve) => (finish = resolve));
  try {
    // Listening before connecting: a message that comes with the connection is not lost.
    disposables.push(
      session.subscriptions.onDidReceiveMessage((message) => {
        if ((args.count !== undefined && received >= args.count) || (args.filter && !args.filter.matches(message, Date.now()))) {
          return;
        }
        received++;
        terminal.line(args.json ? messageJsonLine(message) : messageLine(message, terminal));
        if (args.count !== undefined && received >= args.count) {
          finish(ExitCode.Passed);
        }
      }),
      context.interruption.onInterrupt(() => finish(ExitCode.Interrupted)),
    );
    const connected = session.connect();
    // Ctrl+C may end the command before the connection settles; its outcome no longer matters then.
    connected.catch(() => undefined);
    const first = await Promise.race([connected.then(() => undefined), ended]);
    if (first !== undefined) {
      return first;
    }
    const what = args.count !== undefined ? ` for ${args.count} messages` : args.filter ? ' for messages' : '';
    const matching = args.filter ? ` matching ${terminalText(args.filter.text, 200)}` : '';
    terminal.error(`Listening on ${session.nodeNames().join(', ')}${what}${matching}; Ctrl+C to stop.`);
    session.reportStatus(terminal, (message) => {
      terminal.error(message);
      finish(ExitCode.Unreachable);
    });
    const timer = args.forMs !== undefined ? setTimeout(() => finish(ExitCode.Passed), args.forMs) : undefined;
    disposables.push({ dispose: () => clearTimeout(timer) });
    return await ended;
  } finally {
    disposables.forEach((disposable) => disposable.dispose());
    await session.close();
  }
}
