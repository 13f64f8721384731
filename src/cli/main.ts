// The `impervious-events` command line: bundled to dist/cli.js, run by bin/impervious-events.js
// (`npx impervious-events …`) or `npm run cli -- …`. A thin adapter over src/core, like src/vscode.
import { Interruption } from './commandContext';
import { runCommandLine } from './commandLine';
import { ExitCode } from './exitCodes';
import { Terminal } from './terminal';

function main(): void {
  const interruption = new Interruption();
  const terminal = new Terminal({ stdout: process.stdout, stderr: process.stderr, env: process.env });
  // The first Ctrl+C stops cleanly (no more sends, reports written); a second one quits at once.
  const onSignal = () => {
    if (interruption.interrupted) {
      process.exit(ExitCode.Interrupted);
    }
    interruption.interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A reader that went away (`… | head`) is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      process.exit(process.exitCode ?? 0);
    }
  });
  void runCommandLine(process.argv.slice(2), { terminal, cwd: process.cwd(), env: process.env, stdin: process.stdin, interruption }).then((code) => {
    process.exitCode = code;
    // Everything is closed by now; should a socket linger, it must not hold the exit code back.
    setTimeout(() => process.exit(code), 2000).unref();
  });
}

main();
