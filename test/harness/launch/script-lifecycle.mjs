// The one way the scripts in scripts/ (test-vscode, bench-vscode, screenshot, start) run and end: whatever they started
// (code-server, browsers, simulators, run folders) is registered here and undone once, on every
// way out: the end of main, an error, Ctrl+C, SIGTERM or SIGHUP.
import { setTimeout as delay } from 'node:timers/promises';

/** @type {{ run: () => Promise<void> | void, now?: () => void }[]} */
const cleanups = [];
let finishing;

/**
 * Registers `run` to undo something, newest first at the end. `now` is the synchronous last resort
 * for the `exit` event, where nothing can be awaited. Returns a function that unregisters both,
 * for what was already undone in the normal course of the script.
 */
export function onCleanup(run, now) {
  const entry = { run, now };
  cleanups.push(entry);
  return () => {
    const index = cleanups.indexOf(entry);
    if (index >= 0) cleanups.splice(index, 1);
  };
}

/**
 * Runs `main` (resolving with the exit code), then every cleanup, then exits.
 * An error with a `details()` method prints more (log tails) after its message.
 */
export function runScript(name, main) {
  process.on('exit', () => {
    for (const { now } of cleanups.toReversed()) {
      try {
        now?.();
      } catch {
        // Best effort: the process is ending anyway.
      }
    }
  });
  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping ...`);
      void finish(exitCode);
    });
  }
  main().then(finish, (error) => {
    console.error(`\n${name} failed: ${error?.message ?? error}`);
    error?.details?.();
    return finish(1);
  });
}

function finish(exitCode) {
  finishing ??= (async () => {
    let code = exitCode;
    for (const entry of cleanups.toReversed()) {
      try {
        // A cleanup that hangs must not keep the script (and CI) from ending.
        await Promise.race([entry.run(), delay(20_000).then(() => Promise.reject(new Error('timed out after 20 s')))]);
      } catch (error) {
        console.error(`Cleaning up failed: ${error.message}`);
        code ||= 1;
      }
    }
    cleanups.length = 0;
    process.exit(code);
  })();
  return finishing;
}
