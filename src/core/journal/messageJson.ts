import { parseInt64 } from '../wire/int64';
import type { NodeMessage } from '../nodeMessage';

/** The message as exported and copied: every field, JSON-safe. */
export function messageToJson(message: NodeMessage): Record<string, string | number> {
  return {
    node: message.node,
    id: message.id,
    replyToId: message.replyToId,
    fromPubkey: message.fromPubkey,
    data: dataBase64(message.data),
    serviceType: message.serviceType,
    amount: message.amount.toString(),
    receivedAt: message.receivedAt,
  };
}

/** Reads back what `messageToJson` wrote; `undefined` for anything malformed. */
export function messageFromJson(value: unknown): NodeMessage | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const strings = ['node', 'id', 'replyToId', 'fromPubkey', 'data', 'serviceType', 'amount'] as const;
  if (strings.some((key) => typeof record[key] !== 'string') || typeof record.receivedAt !== 'number') {
    return undefined;
  }
  const amount = parseInt64(record.amount as string);
  if (amount === undefined) {
    return undefined;
  }
  return {
    node: record.node as string,
    id: record.id as string,
    replyToId: record.replyToId as string,
    fromPubkey: record.fromPubkey as string,
    data: Buffer.from(record.data as string, 'base64'),
    serviceType: record.serviceType as string,
    amount,
    receivedAt: record.receivedAt,
  };
}

/** The payload as standard base64, without copying it. */
export function dataBase64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

/**
 * The text of an export: one message per line for NDJSON, else one JSON array. Each record is
 * flat (strings and a number), so this never recurses into peer data, whatever its shape.
 */
export function exportText(messages: readonly NodeMessage[], format: 'json' | 'ndjson'): string {
  const records = messages.map(messageToJson);
  return format === 'ndjson' ? records.map((record) => JSON.stringify(record)).join('\n') + '\n' : `${JSON.stringify(records, null, 2)}\n`;
}
