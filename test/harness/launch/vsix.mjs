// Packaging with vsce: the extension under test as users get it, and the test-runner extension.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installExtensions } from './code-server.mjs';
import { serverEnvironment } from './session.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const vsceBin = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const runnerSource = path.join(root, 'test', 'runner-extension');

/**
 * Packages the extension into `vsix`. The package script builds for production first
 * (vscode:prepublish) and holds vsce's flags, so this is exactly `npm run package`.
 */
export function packageExtension(vsix) {
  runQuietly('npm', ['run', '--silent', 'package', '--', '--out', vsix], root);
  const { sizeKb, entries } = describeVsix(vsix);
  console.log(`Packaged the extension: ${vsix} (${sizeKb} KB, ${entries} files)`);
  return vsix;
}

/**
 * Packages the extension (and, with `withRunner`, the test-runner extension) into `runDir` and
 * installs them into `folders.extensionsDir` with code-server's own CLI, as a user installs a VSIX.
 * Folders copied in by hand would not do: code-server marks extensions missing from its
 * extensions.json as removed. Returns the extension's VSIX path.
 */
export function packageAndInstall({ installation, runDir, folders, withRunner = false }) {
  const vsixFiles = [packageExtension(path.join(runDir, 'impervious-events.vsix'))];
  if (withRunner) vsixFiles.push(packageRunner(path.join(runDir, 'impervious-events-test-runner.vsix')));
  installExtensions(installation, vsixFiles, { ...folders, env: serverEnvironment(folders, installation) });
  return { vsix: vsixFiles[0] };
}

/** Packages the runner extension (test/runner-extension), which runs the suites in the extension host. */
export function packageRunner(vsix) {
  runQuietly(process.execPath, [vsceBin, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], runnerSource);
  return vsix;
}

/**
 * Size and number of files of a VSIX (a zip), the files counted from the zip's end-of-central-
 * directory record; they include vsce's [Content_Types].xml and extension.vsixmanifest.
 */
export function describeVsix(vsix) {
  const bytes = readFileSync(vsix);
  // The record is 22 bytes plus a comment of at most 64 KiB at the very end of the file.
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${vsix} is not a zip file`);
  return { sizeKb: Math.round(statSync(vsix).size / 1024), entries: bytes.readUInt16LE(end + 10) };
}

function runQuietly(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}${result.stderr}`);
  }
}
