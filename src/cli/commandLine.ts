// The command line from arguments to exit code; main.ts hands it the process.
import * as fs from 'fs';
import * as path from 'path';
import { COMMANDS, parseCommandLine, type CommandArguments } from './arguments';
import type { CommandContext } from './commandContext';
import { CommandError, ExitCode, UsageError } from './exitCodes';
import { helpText } from './help';
import { runCommand } from './runCommand';
import { sendCommand } from './sendCommand';
import { tailCommand } from './tailCommand';
import { terminalText } from './terminal';
import { waitCommand } from './waitCommand';

export const PROGRAM = 'impervious-events';

export async function runCommandLine(argv: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { terminal } = context;
  let command: string | undefined;
  try {
    const parsed = parseCommandLine(argv, context.env);
    if (parsed.kind === 'help') {
      terminal.line(helpText(parsed.command));
      return ExitCode.Passed;
    }
    if (parsed.kind === 'version') {
      terminal.line(packageVersion());
      return ExitCode.Passed;
    }
    command = parsed.args.command;
    return await dispatch(parsed.args, context);
  } catch (error) {
    if (error instanceof UsageError) {
      const first = argv[0];
      const topic = first !== undefined && (COMMANDS as readonly string[]).includes(first) ? `${first} --help` : '--help';
      terminal.error(`${PROGRAM}: ${terminalText(error.message, 2000)}`);
      terminal.error(`See ${PROGRAM} ${topic}.`);
      return ExitCode.Usage;
    }
    if (error instanceof CommandError) {
      error.message.split('\n').forEach((line) => terminal.error(line));
      return error.exitCode;
    }
    terminal.error(`${PROGRAM}${command ? ` ${command}` : ''}: unexpected error: ${terminalText(error instanceof Error ? (error.stack ?? error.message) : String(error), 4000)}`);
    return ExitCode.Failed;
  }
}

function dispatch(args: CommandArguments, context: CommandContext): Promise<ExitCode> {
  switch (args.command) {
    case 'run':
      return runCommand(args, context);
    case 'tail':
      return tailCommand(args, context);
    case 'wait':
      return waitCommand(args, context);
    case 'send':
      return sendCommand(args, context);
  }
}

/** The package's version, from the package.json above this file (the bundle's, the compiled tests', an installed package's). */
export function packageVersion(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const manifest = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === PROGRAM && typeof manifest.version === 'string') {
        return manifest.version;
      }
    }
    if (path.dirname(dir) === dir) {
      return 'unknown';
    }
  }
}
