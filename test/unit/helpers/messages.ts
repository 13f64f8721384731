import type { NodeMessage } from '../../../src/core/nodeMessage';
import type { Prng } from '../../../src/core/simulator/prng';

/** Builds a NodeMessage for tests; fields not given are empty. */
export function nodeMessage(fields: Partial<NodeMessage> & { id: string }): NodeMessage {
  return {
    node: 'n',
    replyToId: '',
    fromPubkey: '02' + 'ab'.repeat(32),
    data: Buffer.from(`message ${fields.id}`),
    serviceType: 'message',
    amount: 1n,
    receivedAt: 0,
    ...fields,
  };
}

/** A character from every Unicode plane (0 to 16), lone surrogates included. */
export function anyCharacter(random: Prng): string {
  const plane = random.int(0, 16);
  if (plane === 0 && random.chance(0.1)) {
    return String.fromCharCode(random.int(0xd800, 0xdfff));
  }
  return String.fromCodePoint(plane * 0x10000 + random.int(plane === 0 ? 0x20 : 0, 0xfffd));
}
