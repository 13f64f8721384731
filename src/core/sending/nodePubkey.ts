/** A v0.1.x recipient is a compressed secp256k1 pubkey: 66 hex characters starting 02 or 03. */
export function isNodePubkey(text: string): boolean {
  return /^0[23][0-9a-f]{64}$/i.test(text.trim());
}
