/** One message from a node's stream, as the extension holds it (the exported API's `NodeMessage`). */
export interface NodeMessage {
  /** The configured name of the node it came from. */
  readonly node: string;
  readonly id: string;
  /** The ID of the message this one answers, or `''`. */
  readonly replyToId: string;
  /** The sender: a Lightning node pubkey (v0.1.x) or a DID (v1). */
  readonly fromPubkey: string;
  readonly data: Uint8Array;
  readonly serviceType: string;
  /** Satoshis sent with the message (int64, kept exact). */
  readonly amount: bigint;
  /** `Date.now()` when the frame was received. */
  readonly receivedAt: number;
}

export type ApiVersion = 'v0' | 'v1';
export type ApiVersionSetting = 'auto' | ApiVersion;
