import * as l10n from '@vscode/l10n';
import type { Watch } from '../watches/watches';

/**
 * Links into the extension: `<scheme>://imp-tools.impervious-events/message?id=<id>[&node=<name>]`
 * opens a message, `/watch?…` watches for its reply. A link only names a message; it never carries
 * data or keys and never sends, so any other parameter makes the link invalid rather than ignored.
 *
 * VS Code percent-decodes a URI's query once before a URI handler sees it (`vscode.Uri.query`), so an
 * ID containing `&`, `=` or `%` would be cut apart. Links built here therefore encode each value
 * twice; `parseDeepLink` takes the query as the handler receives it and decodes each value once
 * more. A hand-typed link with a plain ID (hex, a UUID) reads the same either way.
 */

export const LINK_AUTHORITY = 'imp-tools.impervious-events';
export const MAX_LINK_ID_LENGTH = 1024;
export const MAX_LINK_NODE_LENGTH = 256;
/** Room for the longest ID and node name, encoded, with every character taking 9 bytes. */
const MAX_QUERY_LENGTH = 16 * 1024;

export type DeepLinkKind = 'message' | 'watch';

export interface DeepLink {
  readonly kind: DeepLinkKind;
  readonly id: string;
  readonly node?: string;
}

export type DeepLinkProblem =
  | 'unknownPath'
  | 'queryTooLong'
  | 'malformedEncoding'
  | 'unknownParameter'
  | 'duplicateParameter'
  | 'missingId'
  | 'idTooLong'
  | 'emptyNode'
  | 'nodeTooLong';

export interface DeepLinkError {
  readonly problem: DeepLinkProblem;
  /** A sentence for the user; never quotes a value from the link, only a plain parameter name. */
  readonly error: string;
}

export type DeepLinkResult = DeepLink | DeepLinkError;

export function isDeepLinkError(result: DeepLinkResult): result is DeepLinkError {
  return 'error' in result;
}

/** Reads a link's path and query (`uri.path`, `uri.query`): the link, or what is wrong with it. */
export function parseDeepLink(path: string, query: string): DeepLinkResult {
  const kind = path === '/message' ? 'message' : path === '/watch' ? 'watch' : undefined;
  if (!kind) {
    return problem('unknownPath', l10n.t('This link goes nowhere: an Impervious link opens /message or /watch.'));
  }
  if (query.length > MAX_QUERY_LENGTH) {
    return problem('queryTooLong', l10n.t('This link is too long to name a message.'));
  }
  const values = new Map<'id' | 'node', string>();
  for (const part of (query.startsWith('?') ? query.slice(1) : query).split('&')) {
    if (part === '') {
      continue;
    }
    const equals = part.indexOf('=');
    const name = decoded(equals < 0 ? part : part.slice(0, equals));
    const value = decoded(equals < 0 ? '' : part.slice(equals + 1));
    if (name === undefined || value === undefined) {
      return problem('malformedEncoding', l10n.t('This link is malformed: it has a broken %-escape.'));
    }
    if (name !== 'id' && name !== 'node') {
      return problem('unknownParameter', unknownParameter(name));
    }
    if (values.has(name)) {
      return problem('duplicateParameter', l10n.t('This link names "{0}" twice.', name));
    }
    values.set(name, value);
  }
  const id = values.get('id');
  if (!id) {
    return problem('missingId', l10n.t('This link names no message: it has no id.'));
  }
  if (id.length > MAX_LINK_ID_LENGTH) {
    return problem('idTooLong', l10n.t('This link\'s id is longer than {0} characters, so it is no message ID.', MAX_LINK_ID_LENGTH));
  }
  const node = values.get('node');
  if (node === '') {
    return problem('emptyNode', l10n.t('This link names an empty node.'));
  }
  if (node !== undefined && node.length > MAX_LINK_NODE_LENGTH) {
    return problem('nodeTooLong', l10n.t('This link\'s node name is longer than {0} characters.', MAX_LINK_NODE_LENGTH));
  }
  return node === undefined ? { kind, id } : { kind, id, node };
}

/**
 * The link that `parseDeepLink` reads back as exactly this ID and node, or `undefined` when no link
 * can carry them: an empty or over-long value, or one with a lone surrogate (not encodable as UTF-8).
 */
export function buildDeepLink(scheme: string, kind: DeepLinkKind, id: string, node?: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*$/.test(scheme)) {
    throw new TypeError('A link scheme is letters, digits, "+", "." and "-", starting with a letter');
  }
  if (id === '' || id.length > MAX_LINK_ID_LENGTH || node === '' || (node !== undefined && node.length > MAX_LINK_NODE_LENGTH)) {
    return undefined;
  }
  const encodedId = encodedTwice(id);
  const encodedNode = node === undefined ? '' : encodedTwice(node);
  if (encodedId === undefined || encodedNode === undefined) {
    return undefined;
  }
  return `${scheme}://${LINK_AUTHORITY}/${kind}?id=${encodedId}${node === undefined ? '' : `&node=${encodedNode}`}`;
}

export function buildMessageLink(scheme: string, id: string, node?: string): string | undefined {
  return buildDeepLink(scheme, 'message', id, node);
}

function encodedTwice(value: string): string | undefined {
  try {
    return encodeURIComponent(encodeURIComponent(value));
  } catch {
    return undefined;
  }
}

function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Only a plain, short name is worth repeating back; anything else could be made to mislead. */
function unknownParameter(name: string): string {
  return /^[A-Za-z0-9_.-]{1,32}$/.test(name)
    ? l10n.t('This link has a "{0}" parameter, which an Impervious link never carries: it only names a message (id, node).', name)
    : l10n.t('This link has a parameter, which an Impervious link never carries: it only names a message (id, node).');
}

function problem(kind: DeepLinkProblem, error: string): DeepLinkError {
  return { problem: kind, error };
}

/** What following a link came to: a message opened, a watch made, or a refusal with its reason. */
export type DeepLinkOutcome = { readonly opened: string } | { readonly watching: Watch } | { readonly refused: string };
