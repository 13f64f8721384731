import * as l10n from '@vscode/l10n';
import { minimumAmount } from './amount';
import type { ApiVersion } from '../nodeMessage';

/**
 * The largest message data a send takes, in bytes. The node documents "about 480 KB" for a
 * message's data; 480,000 stays under every reading of that, so what we let through the node takes.
 */
export const MAX_SEND_BYTES = 480_000;

/** int64's largest value: the node's `amount` field. */
const MAX_AMOUNT = 2n ** 63n - 1n;
const PUBKEY = /^[0-9a-fA-F]{66}$/;
/** `did:<method>:<method-specific id>`, as W3C DID syntax has it (no whitespace, method in lower case). */
const DID = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;

/** A send that cannot work, found before any network: nothing was sent. */
export class OutgoingMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutgoingMessageError';
  }
}

/** An API send above `impervious.spendLimitSats` whose caller did not say the user confirmed the amount. */
export class SpendLimitError extends OutgoingMessageError {
  constructor(message: string) {
    super(message);
    this.name = 'SpendLimitError';
  }
}

/**
 * The exported API never prompts: another extension spends above the limit only by saying, with
 * `confirmedAmount: true` (that very value), that its user confirmed the amount.
 */
export function checkApiSpend(amount: bigint, limit: bigint, confirmedAmount: unknown): void {
  if (confirmedAmount !== undefined && typeof confirmedAmount !== 'boolean') {
    throw new OutgoingMessageError(l10n.t('confirmedAmount must be true or false'));
  }
  if (amount > limit && confirmedAmount !== true) {
    throw new SpendLimitError(
      l10n.t('{0} sat is over impervious.spendLimitSats ({1} sat): nothing was sent. Ask the user, then send with confirmedAmount: true.', amount.toString(), limit.toString()),
    );
  }
}

export interface OutgoingMessage {
  readonly bytes: Buffer;
  readonly amount: bigint;
}

/**
 * Checks what a send carries, for every entry point (commands, request files, the API): the
 * recipient is a 66-hex-digit pubkey on a v0.1.x node, a DID on a v1 node (either while the
 * version is unknown); the data is a string or bytes of at most `MAX_SEND_BYTES`; the amount, when
 * given, a whole number of satoshis (a safe integer or a bigint) from the node's minimum for the
 * data's size up to int64's maximum. Throws `OutgoingMessageError`; peer text never goes in the message.
 */
export function checkOutgoingMessage(
  request: { readonly pubkey: unknown; readonly data: unknown; readonly amount?: unknown; readonly replyToId?: unknown },
  apiVersion: ApiVersion | undefined,
): OutgoingMessage {
  const { pubkey, data, amount, replyToId } = request;
  if (typeof pubkey !== 'string') {
    throw new OutgoingMessageError(l10n.t('The recipient must be a string: a pubkey (66 hex digits) or a DID'));
  }
  const isPubkey = PUBKEY.test(pubkey);
  const isDid = DID.test(pubkey) && pubkey.length <= 4096;
  if (apiVersion === 'v0' && !isPubkey) {
    throw new OutgoingMessageError(l10n.t('The recipient must be a node pubkey: 66 hex digits'));
  }
  if (apiVersion === 'v1' && !isDid) {
    throw new OutgoingMessageError(l10n.t('The recipient must be a DID (did:method:id) on a v1 node'));
  }
  if (!isPubkey && !isDid) {
    throw new OutgoingMessageError(l10n.t('The recipient must be a node pubkey (66 hex digits) or a DID (did:method:id)'));
  }
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new OutgoingMessageError(l10n.t('The data must be a string or a Uint8Array'));
  }
  // Measured before encoding: a string over the bound in UTF-16 code units is over it in UTF-8 too.
  if (typeof data === 'string' && data.length > MAX_SEND_BYTES) {
    throw new OutgoingMessageError(tooLarge(data.length));
  }
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.byteLength > MAX_SEND_BYTES) {
    throw new OutgoingMessageError(tooLarge(bytes.byteLength));
  }
  if (replyToId !== undefined && typeof replyToId !== 'string') {
    throw new OutgoingMessageError(l10n.t('The reply ID must be a string'));
  }
  const minimum = minimumAmount(bytes.byteLength);
  if (amount === undefined) {
    return { bytes, amount: minimum };
  }
  let sats: bigint;
  if (typeof amount === 'bigint') {
    sats = amount;
  } else if (typeof amount === 'number' && Number.isSafeInteger(amount)) {
    sats = BigInt(amount);
  } else {
    throw new OutgoingMessageError(l10n.t('The amount must be a whole number of satoshis (a safe integer or a bigint)'));
  }
  if (sats < minimum) {
    throw new OutgoingMessageError(l10n.t('The amount must be at least {0} sat for {1} bytes of data (1 per started 900 bytes)', minimum.toString(), bytes.byteLength));
  }
  if (sats > MAX_AMOUNT) {
    throw new OutgoingMessageError(l10n.t('The amount is over the largest the node takes (2^63 - 1 sat)'));
  }
  return { bytes, amount: sats };
}

function tooLarge(size: number): string {
  return l10n.t('The data is {0} bytes; a message carries at most {1}', size.toLocaleString('en-US'), MAX_SEND_BYTES.toLocaleString('en-US'));
}
