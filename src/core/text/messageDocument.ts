import * as l10n from '@vscode/l10n';
import { indentJson, jsonString } from './jsonLayout';
import { looksLikeJson, viewData } from './messageText';
import { cleanText } from './safeText';
import type { NodeMessage } from '../nodeMessage';

/**
 * What a message document shows of a large payload: this many characters of text or pretty JSON,
 * this many bytes as base64 and as hex. A 4 MiB message opens as quickly as a small one, and the
 * document says what it left out.
 */
export const DOCUMENT_LIMITS = { textChars: 256 * 1024, base64Bytes: 48 * 1024, hexBytes: 16 * 1024 };

/** A classic hex dump: offset, 16 bytes in hex, and their printable ASCII. */
export function hexDump(bytes: Uint8Array, maxBytes = 64 * 1024): string {
  const lines: string[] = [];
  const length = Math.min(bytes.byteLength, maxBytes);
  for (let offset = 0; offset < length; offset += 16) {
    let hex = '';
    let ascii = '';
    const end = Math.min(offset + 16, length);
    for (let i = offset; i < end; i++) {
      const byte = bytes[i] as number;
      hex += `${i > offset ? ' ' : ''}${HEX_BYTES[byte]}`;
      ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.byteLength > length) {
    lines.push(l10n.t('… {0} more bytes', bytes.byteLength - length));
  }
  return lines.join('\n');
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * The read-only document shown for a message: every field, the data as text, pretty JSON or hex.
 * Always valid JSON, whatever the payload: it is written field by field (no recursive
 * `JSON.stringify` of the payload), peer strings are JSON string literals with disguising
 * characters escaped, and every part is bounded by `DOCUMENT_LIMITS`.
 */
export function renderMessageDocument(message: NodeMessage): string {
  const fields: [string, string][] = [
    ['node', jsonString(message.node)],
    ['id', jsonString(message.id)],
    ['replyToId', jsonString(message.replyToId)],
    ['fromPubkey', jsonString(message.fromPubkey)],
    ['serviceType', jsonString(message.serviceType)],
    ['amount', jsonString(message.amount.toString())],
    ['receivedAt', jsonString(isoTime(message.receivedAt))],
    ['dataByteLength', String(message.data.byteLength)],
  ];
  const { data } = message;
  const base64Bytes = Math.min(data.byteLength, DOCUMENT_LIMITS.base64Bytes);
  fields.push(['dataBase64', jsonString(Buffer.from(data.buffer, data.byteOffset, base64Bytes).toString('base64'))]);
  if (base64Bytes < data.byteLength) {
    fields.push(['dataBase64Omitted', jsonString(l10n.t('… {0} more not shown; Copy Message JSON copies all', formatBytes(data.byteLength - base64Bytes)))]);
  }
  fields.push(...dataFields(data));
  return `{\n${fields.map(([name, value]) => `  "${name}": ${value}`).join(',\n')}\n}\n`;
}

function dataFields(data: Uint8Array): [string, string][] {
  const view = viewData(data);
  if (view.kind === 'binary') {
    const lines = hexDump(data, DOCUMENT_LIMITS.hexBytes).split('\n');
    return [['dataHex', `[\n${lines.map((line) => `    ${jsonString(line)}`).join(',\n')}\n  ]`]];
  }
  const { text } = view;
  const fields: [string, string][] = [];
  if (looksLikeJson(text) && isJson(text)) {
    const pretty = indentJson(text, DOCUMENT_LIMITS.textChars, '  ');
    if (pretty !== undefined) {
      return [['dataJson', pretty]];
    }
    fields.push(['dataNote', jsonString(l10n.t('JSON, shown as text: laid out it would be over {0}', formatBytes(DOCUMENT_LIMITS.textChars)))]);
  }
  const shown = text.length > DOCUMENT_LIMITS.textChars ? text.slice(0, DOCUMENT_LIMITS.textChars) : text;
  fields.push(['dataText', jsonString(cleanText(shown))]);
  if (shown.length < text.length) {
    const left = Buffer.byteLength(text.slice(shown.length));
    fields.push(['dataOmitted', jsonString(l10n.t('… {0} more not shown; Copy Data copies all', formatBytes(left)))]);
  }
  return fields;
}

function isJson(text: string): boolean {
  try {
    // Iterative in V8: any nesting parses.
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return l10n.t('{0} bytes', bytes);
  }
  return bytes < 1024 * 1024 ? l10n.t('{0} KiB', (bytes / 1024).toFixed(1)) : l10n.t('{0} MiB', (bytes / (1024 * 1024)).toFixed(1));
}

function isoTime(time: number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString();
}
