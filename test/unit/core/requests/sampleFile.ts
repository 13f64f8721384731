import type { NodeMessage } from '../../../../src/core/nodeMessage';

/** The request file from docs/request-files.md, used by several suites. */
export const ALICE = '0378f13a0b7c2c8e2e5d4ac3a1a3c5b9b2fd0d3c1b6e0e4a9d9a3c0f5e6d7c8b9a';

export const SAMPLE = [
  `@alice = ${ALICE}`,
  '### ping alice',
  '# @name ping',
  '# @timeout 10s',
  'SEND {{alice}}',
  'Amount: 10',
  '',
  'hello alice',
  '',
  '> expect reply within 10s',
  '> expect reply.data contains "pong"',
  '',
  '### follow up in reply to her reply',
  'SEND {{alice}}',
  'Reply-To: {{ping.reply.id}}',
  '',
  '{"type":"status","of":"{{ping.id}}"}',
  '',
  '> expect reply.json.status == "ok"',
  '',
].join('\n');

/** A reply as the node would hand it back. */
export function reply(data: string, fields: Partial<NodeMessage> = {}): NodeMessage {
  return { node: 'sim', id: 'r'.repeat(64), replyToId: 'p'.repeat(64), fromPubkey: ALICE, data: Buffer.from(data), serviceType: 'message', amount: 1n, receivedAt: 0, ...fields };
}
