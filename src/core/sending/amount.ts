import * as l10n from '@vscode/l10n';

/** The node's minimum: at least 1 sat per 900 bytes of data, and at least 1. */
export function minimumAmount(byteLength: number): bigint {
  return BigInt(Math.max(1, Math.ceil(byteLength / 900)));
}

export function formatAmount(amount: bigint): string {
  return l10n.t('{0} sat', amount.toLocaleString('en-US'));
}
