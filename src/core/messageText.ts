import type { NodeMessage } from './nodeMessage';

/** Peer-supplied text is cut to this many characters before it is shown anywhere. */
export const MAX_SHOWN_TEXT = 10_000;
const DIDCOMM_BASIC_MESSAGE = /^https:\/\/didcomm\.org\/basicmessage\//;

/** Larger JSON is not parsed for a preview: its first characters are shown as they are. */
const MAX_PARSED_PREVIEW = 64 * 1024;

export type DataView = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'binary'; readonly byteLength: number };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * How a payload reads: UTF-8 text or binary. Text with control characters other than tab and
 * newlines counts as binary. (Whether the text is JSON is for each surface to decide, within its
 * own bounds: see `looksLikeJson`.)
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
  return { kind: 'text', text };
}

/** Text that starts like a JSON object or array (it may still not be JSON). */
export function looksLikeJson(text: string): boolean {
  const trimmed = text.trimStart();
  return trimmed.startsWith('{') || trimmed.startsWith('[');
}

/** A DIDComm basic message (`https://didcomm.org/basicmessage/…`): its `body.content` is the text. */
export function isDidCommBasicMessage(serviceType: string): boolean {
  return DIDCOMM_BASIC_MESSAGE.test(serviceType);
}

/**
 * One line for a tree label: the text (or a DIDComm basic message's content), or "N bytes".
 * JSON is shown without its layout whitespace. Bounded whatever the payload: only the first
 * characters are read, and nothing is parsed past `MAX_PARSED_PREVIEW`.
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
  if (looksLikeJson(text)) {
    const content = isDidCommBasicMessage(message.serviceType) ? basicMessageContent(text) : undefined;
    text = content ?? withoutJsonLayout(text, MAX_SHOWN_TEXT);
  }
  return truncate(singleLine(text), maxLength);
}

/** `body.content` of a DIDComm basic message, if the text is one and small enough to parse. */
function basicMessageContent(text: string): string | undefined {
  if (text.length > MAX_PARSED_PREVIEW) {
    return undefined;
  }
  try {
    // JSON.parse is iterative in V8: any nesting parses.
    const content = (JSON.parse(text) as { body?: { content?: unknown } } | null)?.body?.content;
    return typeof content === 'string' ? content : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first `maxLength` characters of JSON-looking text without the whitespace between tokens,
 * as `JSON.stringify` would print it; text that is not JSON just loses that whitespace too.
 */
export function withoutJsonLayout(text: string, maxLength: number): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length && out.length < maxLength; i++) {
    const char = text[i] as string;
    if (inString) {
      out += char;
      if (char === '\\') {
        out += text[++i] ?? '';
      } else if (char === '"') {
        inString = false;
      }
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char !== ' ' && char !== '\n' && char !== '\r' && char !== '\t') {
      out += char;
    }
  }
  return out;
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

/**
 * Notification text renders `[label](target)` as a link. Peer text is cut short, cleaned, and has
 * every `](` broken with a zero-width space so it can never become a link or a command.
 */
export function notificationText(text: string, maxLength = 200): string {
  return truncate(singleLine(text), maxLength).replace(/\]\s*\(/g, ']\u200b(');
}
