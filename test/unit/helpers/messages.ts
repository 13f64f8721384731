import type { NodeMessage } from '../../../src/core/nodeMessage';

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
