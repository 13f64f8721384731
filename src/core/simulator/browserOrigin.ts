import type * as http from 'http';

/**
 * The simulated node listens on loopback, where any web page open in the user's browser can reach
 * it: a page may open a websocket to `ws://127.0.0.1:8882/v1/subscribe` (browsers do not apply the
 * same-origin policy to websockets) or POST to the send endpoint. Browsers always send an `Origin`
 * header with both; the extension host's `ws` and `http` clients, the CLI and the tests never do.
 * So any `Origin` at all is refused: web pages, and `vscode-webview://` / `vscode-file://` too,
 * since a webview runs content that is no more trusted than a web page.
 */
export function browserOrigin(request: http.IncomingMessage): string | undefined {
  const origin = request.headers.origin;
  return origin === undefined ? undefined : String(origin);
}

export const ORIGIN_REFUSED = 'requests from a browser (with an Origin header) are refused: the simulated node serves the extension, its CLI and tests only';
