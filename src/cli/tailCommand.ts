// `impervious-events tail`: the node's stream on the terminal, one line (or one NDJSON object) per
// message as it arrives, reconnecting with the extension's backoff, until --count, --for or Ctrl+C.
import type { Disposable } from '../core/emitter';
import type { TailArguments } from './arguments';
import type { CommandContext } from './commandContext';
import { ExitCode } from './exitCodes';
import { messageJsonLine, messageLine } from './messageLines';
import { NodeSession } from './nodes';

/** Sample-peer messages a second when `tail --simulate` has the simulated node to itself. */
const SIMULATED_RATE = 2;

export async function tailCommand(args: TailArguments, context: CommandContext): Promise<ExitCode> {
  const { terminal } = context;
  const session = await NodeSession.open(args, { simulatorRate: SIMULATED_RATE });
  try {
    await session.connect();
    terminal.error(`Listening on ${session.nodeNames().join(', ')}${args.count !== undefined ? ` for ${args.count} messages` : ''}; Ctrl+C to stop.`);
    return await new Promise<ExitCode>((resolve) => {
      const disposables: Disposable[] = [];
      let timer: NodeJS.Timeout | undefined;
      let received = 0;
      const finish = (code: ExitCode) => {
        disposables.forEach((disposable) => disposable.dispose());
        clearTimeout(timer);
        resolve(code);
      };
      session.reportStatus(terminal, (message) => {
        terminal.error(message);
        finish(ExitCode.Unreachable);
      });
      disposables.push(
        session.hub.onDidReceiveMessage((message) => {
          if (args.count !== undefined && received >= args.count) {
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
      if (args.forMs !== undefined) {
        timer = setTimeout(() => finish(ExitCode.Passed), args.forMs);
      }
    });
  } finally {
    await session.close();
  }
}
