import { dataBase64 } from './messageJson';
import { cleanText, viewData } from './messageText';
import type { NodeMessage } from './nodeMessage';

/** A classic hex dump: offset, 16 bytes in hex, and their printable ASCII. */
export function hexDump(bytes: Uint8Array, maxBytes = 64 * 1024): string {
  const lines: string[] = [];
  const length = Math.min(bytes.byteLength, maxBytes);
  for (let offset = 0; offset < length; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, length));
    const hex = [...row].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.byteLength > length) {
    lines.push(`… ${bytes.byteLength - length} more bytes`);
  }
  return lines.join('\n');
}

/** The read-only document shown for a message: every field, the data as text, JSON or hex. */
export function renderMessageDocument(message: NodeMessage): string {
  const view = viewData(message.data);
  const document: Record<string, unknown> = {
    node: message.node,
    id: message.id,
    replyToId: message.replyToId,
    fromPubkey: message.fromPubkey,
    serviceType: message.serviceType,
    amount: message.amount.toString(),
    receivedAt: new Date(message.receivedAt).toISOString(),
    dataBase64: dataBase64(message.data),
    dataByteLength: message.data.byteLength,
  };
  if (view.kind === 'binary') {
    document.dataHex = hexDump(message.data).split('\n');
  } else if (view.json !== undefined) {
    document.dataJson = view.json;
  } else {
    document.dataText = cleanText(view.text);
  }
  return `${JSON.stringify(document, null, 2)}\n`;
}
