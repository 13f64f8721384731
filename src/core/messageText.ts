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

/** A DIDComm basic message (`https://didcomm.org/basicmessage/…`): its `body.content` is the text. */
export function isDidCommBasicMessage(serviceType: string): boolean {
  return DIDCOMM_BASIC_MESSAGE.test(serviceType);
}

/**
 * One line for a tree label: the text (a DIDComm basic message's content, a JSON object's most
 * telling field), or "N bytes".
 */
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
  if (isDidCommBasicMessage(message.serviceType) && typeof json?.body?.content === 'string') {
    text = json.body.content;
  } else if (view.json !== undefined) {
    text = tellingJsonField(view.json) ?? JSON.stringify(view.json);
  }
  return truncate(singleLine(text), maxLength);
}

/** The fields of a JSON payload that say what it is, most telling first. */
const TELLING_FIELDS = ['text', 'message', 'body', 'type'] as const;

/**
 * What a JSON object says in a word: its first non-empty string field among `text`, `message`,
 * `body` and `type`. Anything else (an array, a JSON without such fields) has none; the raw JSON
 * stays in the tooltip and the message document.
 */
export function tellingJsonField(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return undefined;
  }
  for (const field of TELLING_FIELDS) {
    const value: unknown = Object.hasOwn(json, field) ? (json as Record<string, unknown>)[field] : undefined;
    if (typeof value === 'string' && value.trim() !== '') {
      return value;
    }
  }
  return undefined;
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
