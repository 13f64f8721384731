import { decodeId, encodeId } from './idEncoding';
import type { NodeMessage } from '../nodeMessage';

/**
 * Where a message document lives: `/<node>/<id>.json?seq=<n>&at=<receivedAt>`, node and ID
 * encoded by `encodeId` (any string, `/` and `?` included). IDs can repeat within a node, so the
 * address also names the copy: its arrival number in the store, and its arrival time, which is
 * what still tells the copies apart after a window reload renumbers them.
 */
export interface MessageAddress {
  readonly node: string;
  readonly id: string;
  readonly sequence: number;
  readonly receivedAt: number;
}

export function formatMessageAddress(address: MessageAddress): { path: string; query: string } {
  return {
    path: `/${encodeId(address.node)}/${encodeId(address.id)}.json`,
    query: `seq=${address.sequence}&at=${address.receivedAt}`,
  };
}

/** The address `formatMessageAddress` wrote, or `undefined` for anything else. */
export function parseMessageAddress(path: string, query: string): MessageAddress | undefined {
  const match = /^\/([^/]*)\/([^/]*)\.json$/.exec(path);
  const node = match ? decodeId(match[1] as string) : undefined;
  const id = match ? decodeId(match[2] as string) : undefined;
  const params = new URLSearchParams(query);
  const sequence = Number(params.get('seq') ?? '-1');
  const receivedAt = Number(params.get('at') ?? 'NaN');
  if (node === undefined || id === undefined || !Number.isInteger(sequence)) {
    return undefined;
  }
  return { node, id, sequence, receivedAt };
}

/**
 * The held message an address names: the copy with that arrival number and time, else (after a
 * reload) the oldest copy with that ID and time; `undefined` once it is gone, never another message.
 */
export function findAddressed(
  address: MessageAddress,
  held: readonly NodeMessage[],
  sequenceOf: (message: NodeMessage) => number,
): NodeMessage | undefined {
  let sameTime: NodeMessage | undefined;
  for (const message of held) {
    if (message.id !== address.id || message.receivedAt !== address.receivedAt) {
      continue;
    }
    if (sequenceOf(message) === address.sequence) {
      return message;
    }
    sameTime ??= message;
  }
  return sameTime;
}
