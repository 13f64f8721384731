import * as l10n from '@vscode/l10n';
import * as fs from 'fs';
import * as path from 'path';

const bundleFile = path.resolve(__dirname, '../../../../l10n/bundle.l10n.json');

/** A message of the pseudo-locale: its English text in brackets, so a test can tell it was looked up. */
export function pseudo(message: string): string {
  return `⟦${message}⟧`;
}

/** The pseudo-locale's text of `message` with `args` put in, as `l10n.t` formats it. */
export function pseudoWith(message: string, ...args: (string | number)[]): string {
  return pseudo(message).replace(/\{(\d+)\}/g, (match, index: string) => String(args[Number(index)] ?? match));
}

/**
 * Runs `body` with `@vscode/l10n` reading a pseudo-locale made from the English bundle: every
 * message `m` becomes `⟦m⟧`, placeholders kept. A string that reaches the user without passing
 * through `l10n.t` comes out unbracketed. English is restored afterwards.
 */
export async function withPseudoLocale<T>(body: () => T | Promise<T>): Promise<T> {
  const english: Record<string, string> = JSON.parse(fs.readFileSync(bundleFile, 'utf8'));
  l10n.config({ contents: Object.fromEntries(Object.keys(english).map((message) => [message, pseudo(message)])) });
  try {
    return await body();
  } finally {
    l10n.config({ contents: {} });
  }
}
