/** Decimal digits as the gateway writes an int64 (a JSON string), with room for out-of-range values. */
const INTEGER = /^-?\d{1,20}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Most messages carry a few sats: share those values instead of making a BigInt per message. */
const SMALL = Array.from({ length: 1000 }, (_, value) => BigInt(value));

/** A decimal integer of at most 20 digits, in range or not; `undefined` for anything else. */
export function parseDecimal(text: string): bigint | undefined {
  if (!INTEGER.test(text)) {
    return undefined;
  }
  return (text.length <= 3 ? SMALL[Number(text)] : undefined) ?? BigInt(text);
}

export function isInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

/** A decimal int64; `undefined` when the text is not one or is out of range. */
export function parseInt64(text: string): bigint | undefined {
  const value = parseDecimal(text);
  return value !== undefined && isInt64(value) ? value : undefined;
}
