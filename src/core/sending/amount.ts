import * as l10n from '@vscode/l10n';

/** The node's minimum: at least 1 sat per 900 bytes of data, and at least 1. */
export function minimumAmount(byteLength: number): bigint {
  return BigInt(Math.max(1, Math.ceil(byteLength / 900)));
}

export function formatAmount(amount: bigint): string {
  return l10n.t('{0} sat', groupDigits(amount));
}

/**
 * `12345n` as `12,345`, as `toLocaleString('en-US')` writes it, without building a number format
 * each time (that took most of a log line's cost in a burst).
 */
export function groupDigits(amount: bigint): string {
  const digits = (amount < 0n ? -amount : amount).toString();
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let at = grouped.length; at < digits.length; at += 3) {
    grouped += ',' + digits.slice(at, at + 3);
  }
  return amount < 0n ? '-' + grouped : grouped;
}
