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

/** What an address is looked up in: one node's held messages, by arrival number (a `MessageStore`). */
export interface AddressedMessages {
  /** The arrival number of the oldest held message; the `size` held follow it. */
  readonly firstSequence: number;
  readonly size: number;
  at(sequence: number): NodeMessage | undefined;
  receivedAtOf(sequence: number): number | undefined;
}

/**
 * The held message an address names: the copy with that arrival number and time, else (after a
 * reload) the oldest copy with that ID and time; `undefined` once it is gone, never another message.
 */
export function findAddressed(address: MessageAddress, held: AddressedMessages): NodeMessage | undefined {
  const numbered = held.at(address.sequence);
  if (numbered && numbered.id === address.id && numbered.receivedAt === address.receivedAt) {
    return numbered;
  }
  const end = held.firstSequence + held.size;
  for (let sequence = held.firstSequence; sequence < end; sequence++) {
    // Only a message received at that moment is built.
    const message = held.receivedAtOf(sequence) === address.receivedAt ? held.at(sequence) : undefined;
    if (message?.id === address.id) {
      return message;
    }
  }
  return undefined;
}
