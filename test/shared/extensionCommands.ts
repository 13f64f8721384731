// The commands the extension registers, read from the one place that lists them: the CommandId
// enum's source text (a `const enum`, so the compiled code keeps no trace of it). Tests compare it
// with package.json's contributions and SPEC.md's names, so a command added in one place and not
// the others fails in plain Node.
import * as fs from 'fs';
import * as path from 'path';

/** Where the enum lives, from the repository's root. */
export const COMMAND_IDS_SOURCE = 'src/vscode/contributionIds.ts';

/** Compiled into out/test/shared/. */
const repositoryRoot = path.resolve(__dirname, '../../..');

/** The values of `enum CommandId { Name = 'impervious.name', ... }` in `source`, in order. */
export function parseCommandIds(source: string): string[] {
  const body = /\benum\s+CommandId\s*\{([^}]*)\}/.exec(source)?.[1];
  if (body === undefined) throw new Error('no `enum CommandId { ... }` found');
  // Line and block comments may hold quotes; drop them before reading the members.
  const members = body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  return [...members.matchAll(/\b\w+\s*=\s*(['"])([^'"]+)\1/g)].map((match) => match[2] as string);
}

/** The command IDs the extension registers (every member of CommandId). */
export function registeredCommandIds(): string[] {
  return parseCommandIds(fs.readFileSync(path.join(repositoryRoot, COMMAND_IDS_SOURCE), 'utf8'));
}

/** The command IDs a manifest (package.json) contributes, in order. */
export function contributedCommandIds(manifest: { contributes: { commands: readonly { command: string }[] } }): string[] {
  return manifest.contributes.commands.map((contribution) => contribution.command);
}
