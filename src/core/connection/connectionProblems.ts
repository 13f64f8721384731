import * as l10n from '@vscode/l10n';
import { singleLine } from '../text/safeText';
import type { ConnectionStatus } from './connectionStatus';
import { redact } from './redact';

// What went wrong with a subscription, in the user's words and language: the sentences of the
// status bar and the log. Every one is redacted of the API key.

/** gRPC status codes that mean the key is missing or refused. */
export const AUTH_CODES = new Set([7, 16]);
/** A bare gateway error with these codes means the URL has no stream: retrying cannot help. */
export const WRONG_URL_CODES = new Set([5, 12]);

/** A socket error as a sentence (no final period): the likely cause where the code tells it. */
export function describeSocketError(error: unknown, url: string, maxPayload: number, apiKey: string | undefined): string {
  const err = error as NodeJS.ErrnoException;
  const message = redact(err?.message ?? String(error), apiKey);
  switch (err?.code) {
    case 'ECONNREFUSED':
      return l10n.t('Connection refused by {0}: is the node running?', hostOf(url));
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return l10n.t('Cannot resolve {0}', hostOf(url));
    case 'ECONNRESET':
      return l10n.t('The connection was reset');
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_UNTRUSTED':
      return l10n.t('TLS: the node\'s certificate is not trusted ({0}); set "caFile" to the CA that signed it', err.code);
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return l10n.t('TLS: the node\'s certificate does not name {0}', hostOf(url));
    case 'CERT_HAS_EXPIRED':
      return l10n.t('TLS: the node\'s certificate has expired');
    case 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH':
      return l10n.t('A frame was larger than the {0}-byte limit (closed with 1009)', maxPayload);
    case 'WS_ERR_INVALID_UTF8':
      return l10n.t('A text frame was not valid UTF-8 (closed with 1007)');
    default:
      return message.replace(/\.$/, '');
  }
}

export function describeClose(code: number, reason: string, wasOpen: boolean): string {
  if (!wasOpen) {
    return reason ? l10n.t('Could not connect (close code {0}: {1})', code, reason) : l10n.t('Could not connect (close code {0})', code);
  }
  if (code === 1006) {
    return l10n.t('The node dropped the stream (1006, no close frame)');
  }
  if (code === 1009) {
    return l10n.t('A frame was over the size limit (1009)');
  }
  return reason ? l10n.t('The connection closed ({0}: {1})', code, reason) : l10n.t('The connection closed ({0})', code);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function formatDelay(ms: number): string {
  return ms < 1000 ? l10n.t('{0} ms', ms) : l10n.t('{0} s', (ms / 1000).toFixed(ms < 10_000 ? 1 : 0));
}

/** Ends `text` as a sentence: with a period, unless it already ends in one, "?", "!" or "…". */
export function sentence(text: string): string {
  return /[.?!…]$/.test(text) ? text : `${text}.`;
}

/**
 * A connection's state in a word for the user: "connected", "reconnecting"…, and "not running" for
 * a node whose address refuses connections (its state stays "reconnecting" meanwhile).
 */
export function stateLabel(status: Pick<ConnectionStatus, 'state' | 'notRunning'>): string {
  if (status.notRunning) {
    return l10n.t('not running');
  }
  switch (status.state) {
    case 'connected':
      return l10n.t('connected');
    case 'connecting':
      return l10n.t('connecting');
    case 'reconnecting':
      return l10n.t('reconnecting');
    case 'disconnected':
      return l10n.t('disconnected');
  }
}

/**
 * A connection change as a log line: `[Local node] not running: Connection refused by …`.
 * The detail may carry the node's own error text: it stays one line, so it cannot forge another.
 */
export function statusLogLine(node: string, status: ConnectionStatus): string {
  return singleLine(`[${node}] ${stateLabel(status)}: ${status.detail}`);
}

/**
 * Whether `next` tells the log something `previous` did not. A node that stays down is said
 * once, not at every attempt; any other change is news, even to the same state.
 */
export function isNewSituation(previous: ConnectionStatus | undefined, next: ConnectionStatus): boolean {
  return !(previous?.notRunning && next.notRunning && previous.state === next.state);
}
