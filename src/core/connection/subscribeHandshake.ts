import * as l10n from '@vscode/l10n';
import * as fs from 'fs';
import type WebSocket from 'ws';
import type { NodeConfig } from './nodeConfig';

/** RFC 7230 token characters: what ws accepts as a subprotocol. */
const SUBPROTOCOL_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface SubscribeHandshake {
  readonly options: WebSocket.ClientOptions;
  readonly protocols: string[];
}

/**
 * How to open a node's `/v1/subscribe` websocket: TLS trust, limits, and the API key where the
 * node's websocket proxy looks for it. A `problem` (a phrase, no period) when the settings cannot
 * work, such as an unreadable CA file.
 */
export function subscribeHandshake(
  node: NodeConfig,
  apiKey: string | undefined,
  limits: { readonly handshakeTimeoutMs: number; readonly maxPayload: number },
): SubscribeHandshake | { readonly problem: string } {
  const options: WebSocket.ClientOptions = {
    handshakeTimeout: limits.handshakeTimeoutMs,
    maxPayload: limits.maxPayload,
    perMessageDeflate: false,
    rejectUnauthorized: node.rejectUnauthorized ?? true,
  };
  if (node.caFile) {
    try {
      options.ca = fs.readFileSync(node.caFile);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      return { problem: l10n.t('cannot read caFile {0} ({1})', node.caFile, reason) };
    }
  }
  // The node's websocket proxy drops custom headers: a token passes as the "Bearer, <key>"
  // subprotocol, or, for a key with characters a subprotocol may not carry, as a `token` cookie.
  let protocols: string[] = [];
  if (apiKey && SUBPROTOCOL_TOKEN.test(apiKey)) {
    protocols = ['Bearer', apiKey];
  } else if (apiKey) {
    options.headers = { Cookie: `token=${apiKey}` };
  }
  return { options, protocols };
}
