import { timingSafeEqual } from 'crypto';
import type { IncomingMessage } from 'http';

export type KeyCheck = 'accepted' | 'missing' | 'wrong';

/**
 * The key a websocket client presents. The node's proxy drops custom handshake headers; it turns
 * `Sec-WebSocket-Protocol: Bearer, <key>` (or a cookie named `token`) into `Authorization`.
 * The parsing mirrors the proxy's: everything after `Bearer,`, trimmed.
 */
export function streamKeyOf(request: IncomingMessage): string | undefined {
  const cookieToken = cookie(request, 'token');
  if (cookieToken !== undefined) {
    return cookieToken;
  }
  const protocols = request.headers['sec-websocket-protocol'];
  const parts = typeof protocols === 'string' ? protocols.split('Bearer,') : [];
  return parts.length >= 2 ? (parts[1] ?? '').trim() || undefined : undefined;
}

/** The gateway passes only `Grpc-Metadata-*` headers to the node as metadata. */
export function restKeyOf(request: IncomingMessage): string | undefined {
  const header = request.headers['grpc-metadata-x-api-key'];
  return (Array.isArray(header) ? header[0] : header) || undefined;
}

export function checkKey(presented: string | undefined, expected: string): KeyCheck {
  if (presented === undefined) {
    return 'missing';
  }
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b) ? 'accepted' : 'wrong';
}

/** The message the node gives with code 16 (Unauthenticated). */
export function keyProblem(check: KeyCheck): string {
  return check === 'missing' ? 'api key is not provided' : 'invalid api key';
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return value.join('=');
      }
    }
  }
  return undefined;
}
