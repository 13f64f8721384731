/** The node's minimum: at least 1 sat per 900 bytes of data, and at least 1. */
export function minimumAmount(byteLength: number): bigint {
  return BigInt(Math.max(1, Math.ceil(byteLength / 900)));
}

export function formatAmount(amount: bigint): string {
  return `${amount.toLocaleString('en-US')} sat`;
}
