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

/** A record as `messageToJson` wrote it, every field checked, with its data still the base64 text. */
export interface MessageRecord {
  readonly node: string;
  readonly id: string;
  readonly replyToId: string;
  readonly fromPubkey: string;
  readonly data: string;
  readonly serviceType: string;
  readonly amount: bigint;
  readonly receivedAt: number;
}

/** Reads back what `messageToJson` wrote, leaving the data as text; `undefined` for anything malformed. */
export function recordFromJson(value: unknown): MessageRecord | undefined {
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
    data: record.data as string,
    serviceType: record.serviceType as string,
    amount,
    receivedAt: record.receivedAt,
  };
}

/** Reads back what `messageToJson` wrote; `undefined` for anything malformed. */
export function messageFromJson(value: unknown): NodeMessage | undefined {
  const record = recordFromJson(value);
  if (!record) {
    return undefined;
  }
  const { node, id, replyToId, fromPubkey, data, serviceType, amount, receivedAt } = record;
  return { node, id, replyToId, fromPubkey, data: Buffer.from(data, 'base64'), serviceType, amount, receivedAt };
}

/** Whether two records are the same message, however each one's base64 was written (the time received aside). */
export function sameRecord(a: MessageRecord, b: MessageRecord): boolean {
  return (
    a.node === b.node &&
    a.id === b.id &&
    a.replyToId === b.replyToId &&
    a.fromPubkey === b.fromPubkey &&
    a.serviceType === b.serviceType &&
    a.amount === b.amount &&
    (a.data === b.data || Buffer.from(a.data, 'base64').equals(Buffer.from(b.data, 'base64')))
  );
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
