import type { NodeMessage } from './nodeMessage';

/** Peer-supplied text is cut to this many characters before it is shown anywhere. */
export const MAX_SHOWN_TEXT = 10_000;
const DIDCOMM_BASIC_MESSAGE = /^https:\/\/didcomm\.org\/basicmessage\//;

export type DataView =
  | { readonly kind: 'text'; readonly text: string; readonly json?: unknown }
  | { readonly kind: 'binary'; readonly byteLength: number };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * How a payload reads: UTF-8 text (parsed too when it is JSON), or binary. Text with control
 * characters other than tab and newlines counts as binary.
 */
export function viewData(data: Uint8Array): DataView {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return { kind: 'binary', byteLength: data.byteLength };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) {
    return { kind: 'binary', byteLength: data.byteLength };
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { kind: 'text', text, json: JSON.parse(text) as unknown };
    } catch {
      // Text that only looks like JSON.
    }
  }
  return { kind: 'text', text };
}

/** One line for a tree label: the text (or a DIDComm basic message's content), or "N bytes". */
export function previewData(message: NodeMessage, maxLength = 80): string {
  const view = viewData(message.data);
  if (view.kind === 'binary') {
    return `${view.byteLength} bytes`;
  }
  if (view.text.length === 0) {
    return '(empty)';
  }
  let text = view.text;
  const json = view.json as { body?: { content?: unknown } } | undefined;
  if (DIDCOMM_BASIC_MESSAGE.test(message.serviceType) && typeof json?.body?.content === 'string') {
    text = json.body.content;
  } else if (view.json !== undefined) {
    text = JSON.stringify(view.json);
  }
  return truncate(singleLine(text), maxLength);
}

/** Text safe for a label: no control or bidirectional-override characters, one line, bounded. */
export function singleLine(text: string): string {
  return cleanText(text.slice(0, MAX_SHOWN_TEXT)).replace(/\s+/g, ' ').trim();
}

/**
 * Removes characters that could disguise text: C0/C1 controls (but tab and newlines) and the
 * bidirectional embedding, override and isolate characters.
 */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

export function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, Math.max(0, maxLength - 1))}…`;
}

/** `6f1c2a9b…` */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id || '(no id)';
}

/** `03ed8b…0d0e0` for a pubkey; a DID keeps its method: `did:peer:2Ez6…Xk3`. */
export function shortSender(sender: string): string {
  const cleaned = singleLine(sender);
  if (cleaned.startsWith('did:')) {
    const method = cleaned.split(':', 2).join(':');
    const rest = cleaned.slice(method.length + 1);
    return rest.length > 12 ? `${method}:${rest.slice(0, 4)}…${rest.slice(-4)}` : cleaned;
  }
  return cleaned.length > 14 ? `${cleaned.slice(0, 6)}…${cleaned.slice(-5)}` : cleaned || '(unknown sender)';
}

export function formatAmount(amount: bigint): string {
  return `${amount.toLocaleString('en-US')} sat`;
}

export function formatTime(timestamp: number): string {
  const date = new Date(timestamp);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A duration for "waiting 12 s", "answered in 1.2 s". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) {
    return `${seconds.toFixed(1)} s`;
  }
  if (seconds < 120) {
    return `${Math.round(seconds)} s`;
  }
  const minutes = Math.floor(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A codicon per known service type. */
export function serviceTypeIcon(serviceType: string): string {
  switch (serviceType) {
    case 'message':
      return 'comment';
    case 'federate':
      return 'organization';
    case 'vpn':
      return 'shield';
    case 'socket':
      return 'plug';
    case 'sign':
      return 'key';
    default:
      return DIDCOMM_BASIC_MESSAGE.test(serviceType) ? 'comment-discussion' : 'mail';
  }
}

/** Escapes text for markdown so nothing in it becomes a link, a command, HTML or formatting. */
export function escapeMarkdown(text: string): string {
  return cleanText(text).replace(/[\\`*_{}[\]()<>#+\-.!|~&"':$]/g, (char) => `\\${char}`);
}

/** The hover of a message in the tree: every field, all peer text escaped. */
export function messageTooltipMarkdown(message: NodeMessage): string {
  const view = viewData(message.data);
  const dataLine =
    view.kind === 'binary'
      ? `${view.byteLength} bytes of binary data`
      : escapeMarkdown(truncate(singleLine(view.text), 300)) || '(empty)';
  const rows: [string, string][] = [
    ['ID', message.id],
    ['Reply to', message.replyToId || '—'],
    ['From', message.fromPubkey],
    ['Service', message.serviceType],
    ['Amount', formatAmount(message.amount)],
    ['Received', new Date(message.receivedAt).toISOString()],
    ['Node', message.node],
  ];
  return [
    dataLine,
    '',
    ...rows.map(([name, value]) => `**${name}:** ${escapeMarkdown(truncate(value, 200))}  `),
  ].join('\n');
}

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
    dataBase64: Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength).toString('base64'),
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

/** The message as exported and copied: every field, JSON-safe. */
export function messageToJson(message: NodeMessage): Record<string, string | number> {
  return {
    node: message.node,
    id: message.id,
    replyToId: message.replyToId,
    fromPubkey: message.fromPubkey,
    data: Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength).toString('base64'),
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
  if (!/^-?\d{1,20}$/.test(record.amount as string)) {
    return undefined;
  }
  return {
    node: record.node as string,
    id: record.id as string,
    replyToId: record.replyToId as string,
    fromPubkey: record.fromPubkey as string,
    data: Buffer.from(record.data as string, 'base64'),
    serviceType: record.serviceType as string,
    amount: BigInt(record.amount as string),
    receivedAt: record.receivedAt,
  };
}

/**
 * Notification text renders `[label](target)` as a link. Peer text is cut short, cleaned, and has
 * every `](` broken with a zero-width space so it can never become a link or a command.
 */
export function notificationText(text: string, maxLength = 200): string {
  return truncate(singleLine(text), maxLength).replace(/\]\s*\(/g, ']\u200b(');
}

/** Looks like a message ID a node hands out (hex, a UUID, or a DIDComm id) rather than prose. */
export function looksLikeMessageId(text: string): boolean {
  const candidate = text.trim();
  return /^[0-9a-f]{16,128}$/i.test(candidate) || /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(candidate) || /^[\w:.-]{16,128}$/.test(candidate);
}

/** A v0.1.x recipient is a compressed secp256k1 pubkey: 66 hex characters starting 02 or 03. */
export function isNodePubkey(text: string): boolean {
  return /^0[23][0-9a-f]{64}$/i.test(text.trim());
}
