// v1's DIDComm mapping, shared by the stream's frames (frameDecoder.ts) and the node's stored
// messages (backfill/storedMessages.ts), so a message reads the same whichever way it came.
import * as l10n from '@vscode/l10n';
import type { NodeMessage } from '../nodeMessage';

/** A DIDComm plaintext message as parsed: an object with a string `id`, anything else unchecked. */
export type DidCommObject = Record<string, unknown> & { readonly id: string };

/** The DIDComm message in `data` (UTF-8 JSON), or why it is not one (a phrase for the rejection). */
export type ParsedDidComm = { readonly ok: true; readonly didComm: DidCommObject } | { readonly ok: false; readonly reason: string };

export function parseDidComm(data: Uint8Array): ParsedDidComm {
  let didComm: unknown;
  try {
    didComm = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return { ok: false, reason: l10n.t('v1 frame whose data is not a DIDComm JSON message') };
  }
  if (typeof didComm !== 'object' || didComm === null || Array.isArray(didComm) || typeof (didComm as { id?: unknown }).id !== 'string') {
    return { ok: false, reason: l10n.t('v1 frame whose data is not a DIDComm message with an "{0}"', 'id') };
  }
  return { ok: true, didComm: didComm as DidCommObject };
}

/**
 * id ← `id`, replyToId ← `thid` (none when it names the message itself, which starts a thread),
 * fromPubkey ← `from` (a DID), serviceType ← `type`; `data` stays the whole DIDComm JSON.
 */
export function didCommNodeMessage(node: string, didComm: DidCommObject, data: Uint8Array, amount: bigint, receivedAt: number): NodeMessage {
  const threadId = typeof didComm.thid === 'string' && didComm.thid !== didComm.id ? didComm.thid : '';
  return {
    node,
    id: didComm.id,
    replyToId: threadId,
    fromPubkey: typeof didComm.from === 'string' ? didComm.from : '',
    data,
    serviceType: typeof didComm.type === 'string' ? didComm.type : '',
    amount,
    receivedAt,
  };
}
