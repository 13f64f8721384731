import * as l10n from '@vscode/l10n';
import type { NodeMessage } from '../nodeMessage';
import { MAX_SHOWN_TEXT, singleLine, truncate } from './safeText';

const DIDCOMM_BASIC_MESSAGE = /^https:\/\/didcomm\.org\/basicmessage\//;

/** Larger JSON is not parsed for a preview: its first characters are shown as they are. */
const MAX_PARSED_PREVIEW = 64 * 1024;

/** A payload as it reads: UTF-8 text, or binary of some length. */
export type PayloadView = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'binary'; readonly byteLength: number };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * How a payload reads: UTF-8 text or binary. Text with control characters other than tab and
 * newlines counts as binary. (Whether the text is JSON is for each surface to decide, within its
 * own bounds: see `looksLikeJson`.)
 */
export function viewData(data: Uint8Array): PayloadView {
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
 * One line for a tree label: the text (a DIDComm basic message's content, a JSON object's most
 * telling field), or "N bytes". Other JSON is shown without its layout whitespace. Bounded
 * whatever the payload: only the first characters are read, and nothing is parsed past
 * `MAX_PARSED_PREVIEW`.
 */
export function previewData(message: NodeMessage, maxLength = 80): string {
  const view = viewData(message.data);
  if (view.kind === 'binary') {
    return l10n.t('{0} bytes', view.byteLength);
  }
  if (view.text.length === 0) {
    return l10n.t('(empty)');
  }
  let text = view.text;
  if (looksLikeJson(text)) {
    const json = parsedForPreview(text);
    const content = isDidCommBasicMessage(message.serviceType) ? basicMessageContent(json) : tellingJsonField(json);
    text = content ?? withoutJsonLayout(text, MAX_SHOWN_TEXT);
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

/** JSON text small enough to parse for a preview, parsed; anything else `undefined`. */
function parsedForPreview(text: string): unknown {
  if (text.length > MAX_PARSED_PREVIEW) {
    return undefined;
  }
  try {
    // JSON.parse is iterative in V8: any nesting parses.
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `body.content` of a parsed DIDComm basic message, if it is a string. */
function basicMessageContent(json: unknown): string | undefined {
  const content = (json as { body?: { content?: unknown } } | null | undefined)?.body?.content;
  return typeof content === 'string' ? content : undefined;
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

/** `6f1c2a9b…` */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id || l10n.t('(no id)');
}

/** `03ed8b…0d0e0` for a pubkey; a DID keeps its method: `did:peer:2Ez6…Xk3`. */
export function shortSender(sender: string): string {
  const cleaned = singleLine(sender);
  if (cleaned.startsWith('did:')) {
    const method = cleaned.split(':', 2).join(':');
    const rest = cleaned.slice(method.length + 1);
    return rest.length > 12 ? `${method}:${rest.slice(0, 4)}…${rest.slice(-4)}` : cleaned;
  }
  return cleaned.length > 14 ? `${cleaned.slice(0, 6)}…${cleaned.slice(-5)}` : cleaned || l10n.t('(unknown sender)');
}
