/** Looks like a message ID a node hands out (hex, a UUID, or a DIDComm id) rather than prose. */
export function looksLikeMessageId(text: string): boolean {
  const candidate = text.trim();
  return /^[0-9a-f]{16,128}$/i.test(candidate) || /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(candidate) || /^[\w:.-]{16,128}$/.test(candidate);
}

/** A v0.1.x recipient is a compressed secp256k1 pubkey: 66 hex characters starting 02 or 03. */
export function isNodePubkey(text: string): boolean {
  return /^0[23][0-9a-f]{64}$/i.test(text.trim());
}
