/**
 * A message still in the bytes it came in: the gateway's canonical frame, as the decoder's fast
 * path read it (`FrameDecoderFastPath`). A store writes it into its columns from those bytes (the
 * IDs' bytes copied, the data decoded once and copied into the slab) with no string made on the
 * way, and builds the message's object from its frame and columns. Valid only while the frame is
 * being read.
 */
export interface EncodedMessage {
  /** The frame's bytes. */
  readonly bytes: Buffer;
  /** The ID is `bytes[idStart, idEnd)`, printable ASCII, so its code units are its bytes. */
  readonly idStart: number;
  readonly idEnd: number;
  /** `hashKey` of the ID. */
  readonly idHash: number;
  /** The ID is lowercase hex of even, non-zero length. */
  readonly idHex: boolean;
  /** The reply-to ID, as the ID. */
  readonly replyStart: number;
  readonly replyEnd: number;
  readonly replyHash: number;
  readonly replyHex: boolean;
  /** Bytes of the data once decoded. */
  readonly dataBytes: number;
  readonly fromPubkey: string;
  readonly serviceType: string;
  /** Within int64. */
  readonly amount: bigint;
  /**
   * The data (`dataBytes` bytes), decoded once into a Buffer of its own, the same one on every call
   * until the frame is read: a store copies it into its slab and hands it out with the message. An
   * empty Uint8Array for none; `undefined` when it is not valid, and nothing may be held.
   */
  data(): Uint8Array | undefined;
}
