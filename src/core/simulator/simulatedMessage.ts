import type { NodeMessage } from '../nodeMessage';

/**
 * A message the simulated node puts on its stream, as a subscriber decodes it: the
 * `SubscribeResponse` fields under their JSON names (a `NodeMessage` without `node`/`receivedAt`).
 * In v1 mode `data` is the DIDComm JSON and the other fields are what a client maps out of it.
 */
export type SimulatedMessage = Omit<NodeMessage, 'node' | 'receivedAt'>;

/**
 * What a caller (a test, the extension, the benchmark) asks the simulated node to send.
 * Missing fields are filled in: a fresh ID, a sample peer as sender, `message`, 1 sat.
 * In v1 mode `data` becomes the DIDComm body's `content`, `fromPubkey` should be a DID, and
 * `serviceType` is ignored (a v1 message's type is its DIDComm type).
 */
export interface MessageInput {
  readonly id?: string;
  readonly replyToId?: string;
  readonly fromPubkey?: string;
  readonly data?: string | Uint8Array;
  readonly serviceType?: string;
  readonly amount?: bigint | number;
}
