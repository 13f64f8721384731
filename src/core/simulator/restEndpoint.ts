import type * as http from 'http';
import type { Clock, TimerHandle } from '../base/clock';
import { viewData } from '../text/messageText';
import type { ApiVersion } from '../nodeMessage';
import type { WireTypes } from '../wire/wireTypes';
import { checkKey, keyProblem, restKeyOf } from './apiKeyCheck';
import { browserOrigin, ORIGIN_REFUSED } from './browserOrigin';
import { didCommId } from './didComm';
import type { Prng } from './prng';
import { sampleMessageId } from './samplePeers';
import { parseSendRequest, type SendRequest } from './sendRequest';
import type { MessageInput } from './simulatedMessage';
import { gatewayErrorBody } from './subscribeFrames';

export const SUBSCRIBE_PATH = '/v1/subscribe';
/** `GetMessageList` on a v1 node: every stored message. */
export const STORED_MESSAGES_PATH = '/v1/message';
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/** What the REST side needs from the simulated node it belongs to. */
export interface RestContext {
  readonly apiVersion: ApiVersion;
  readonly types: WireTypes;
  readonly clock: Clock;
  readonly ids: Prng;
  readonly replyDelayMs: number;
  /** Read at every request: the key can change while the node runs. */
  apiKey(): string | undefined;
  log(line: string): void;
  countRequest(): void;
  /** How a recipient shows in the log. */
  peerName(recipient: string): string;
  /** Puts a message on the stream (the addressed peer's answer). */
  emit(input: MessageInput): void;
  /** Read at every send: when not empty, the send is refused with this message (the `sendError` fault). */
  sendError(): string;
  /** A send the node accepted (a v1 node stores it as its own message). */
  sent(id: string, request: SendRequest): void;
  /** The `GET /v1/message` answer of a v1 node. */
  storedMessages(): string;
}

/**
 * The node's REST API as its gateway serves it: `POST /v1/message/send` (and `/v2/…` on a v1
 * node), gRPC-status error bodies for everything else. The addressed peer answers every accepted
 * message on the stream after `replyDelayMs`.
 */
export class RestEndpoint {
  private readonly replyTimers = new Set<TimerHandle>();

  constructor(private readonly context: RestContext) {}

  handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    this.context.countRequest();
    const origin = browserOrigin(request);
    if (origin !== undefined) {
      this.context.log(`REST call refused: it carries a browser Origin (${JSON.stringify(origin.slice(0, 100))})`);
      request.resume();
      return answer(response, 403, gatewayErrorBody(7, ORIGIN_REFUSED));
    }
    const path = pathOf(request.url);
    const sendPaths = this.context.apiVersion === 'v1' ? ['/v1/message/send', '/v2/message/send'] : ['/v1/message/send'];
    if (path === SUBSCRIBE_PATH && request.method === 'GET') {
      // The real gateway would stream newline-delimited JSON here; the simulator serves websockets only.
      return answer(response, 400, gatewayErrorBody(3, 'the simulator serves /v1/subscribe as a websocket only'));
    }
    if (path === SUBSCRIBE_PATH) {
      return answer(response, 501, gatewayErrorBody(12, 'Method Not Allowed'));
    }
    if (path === STORED_MESSAGES_PATH && this.context.apiVersion === 'v1') {
      request.resume();
      return this.onStoredMessages(request, response);
    }
    if (!sendPaths.includes(path)) {
      return answer(response, 404, gatewayErrorBody(5, 'Not Found'));
    }
    if (request.method !== 'POST') {
      return answer(response, 501, gatewayErrorBody(12, 'Method Not Allowed'));
    }
    readBody(request, MAX_REQUEST_BYTES).then(
      (body) => this.onSend(request, response, body),
      (error: Error) => answer(response, 400, gatewayErrorBody(3, error.message)),
    );
  }

  /** Cancels the answers not yet sent. */
  dispose(): void {
    for (const timer of this.replyTimers) {
      this.context.clock.clearTimeout(timer);
    }
    this.replyTimers.clear();
  }

  /** `GET /v1/message` (v1): every stored message, behind the key like every REST call. */
  private onStoredMessages(request: http.IncomingMessage, response: http.ServerResponse): void {
    const context = this.context;
    if (request.method !== 'GET') {
      return answer(response, 501, gatewayErrorBody(12, 'Method Not Allowed'));
    }
    const apiKey = context.apiKey();
    if (apiKey) {
      const check = checkKey(restKeyOf(request), apiKey);
      if (check !== 'accepted') {
        context.log(`REST message list refused: ${keyProblem(check)}`);
        return answer(response, 401, gatewayErrorBody(16, keyProblem(check)));
      }
    }
    const body = context.storedMessages();
    context.log(`REST message list: ${body.length} bytes`);
    answer(response, 200, body);
  }

  /** The gateway decodes the body before the node checks the key, so a bad body wins over a bad key. */
  private onSend(request: http.IncomingMessage, response: http.ServerResponse, body: string): void {
    const context = this.context;
    const parsed = parseSendRequest(body, context.apiVersion, context.types);
    if (!parsed.ok) {
      context.log(`REST send refused: ${parsed.message}`);
      return answer(response, parsed.status, gatewayErrorBody(parsed.code, parsed.message));
    }
    const apiKey = context.apiKey();
    if (apiKey) {
      const check = checkKey(restKeyOf(request), apiKey);
      if (check !== 'accepted') {
        context.log(`REST send refused: ${keyProblem(check)}`);
        return answer(response, 401, gatewayErrorBody(16, keyProblem(check)));
      }
    }
    const refusal = context.sendError();
    if (refusal) {
      context.log('REST send refused: the sendError fault is on');
      return answer(response, 503, gatewayErrorBody(14, refusal));
    }
    const id = context.apiVersion === 'v1' ? didCommId(context.ids) : sampleMessageId(context.ids);
    answer(response, 200, JSON.stringify({ id }));
    const sendRequest = parsed.request;
    context.sent(id, sendRequest);
    context.log(
      `REST send ${id.slice(0, 12)}… to ${context.peerName(sendRequest.recipient)}: ${sendRequest.data.byteLength} bytes, ${sendRequest.amount} sat` +
        `${sendRequest.replyToId ? `, replying to ${sendRequest.replyToId.slice(0, 12)}…` : ''}; answer in ${context.replyDelayMs} ms`,
    );
    this.scheduleReply(id, sendRequest);
  }

  /** The addressed peer answers on the stream; an unknown recipient answers too, under its own key. */
  private scheduleReply(id: string, request: SendRequest): void {
    const context = this.context;
    const timer = context.clock.setTimeout(() => {
      this.replyTimers.delete(timer);
      context.emit({ replyToId: id, fromPubkey: request.recipient, data: answerTo(request.data), serviceType: 'message', amount: context.apiVersion === 'v1' ? 0n : 1n });
    }, context.replyDelayMs);
    this.replyTimers.add(timer);
  }
}

export function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0] ?? '/';
}

function answer(response: http.ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new Error(`request body is over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** What the peer quotes back: the text, shortened, or a byte count for binary data. */
/** What the simulated peers quote for `{"action":"quote"}`: more than a run may spend without a question by default. */
export const SIMULATED_QUOTE_SATS = 250;

/**
 * A peer's answer: `re: ` and what it was sent; a JSON quote request (`{"action":"quote"}`) gets a
 * JSON quote, so a request file can chain on a price a peer chose (and be asked before paying it).
 */
function answerTo(data: Uint8Array): string {
  const view = viewData(data);
  if (view.kind !== 'binary' && view.text.length < 10_000 && /"action"\s*:\s*"quote"/.test(view.text)) {
    try {
      const request: unknown = JSON.parse(view.text);
      if (typeof request === 'object' && request !== null && (request as { action?: unknown }).action === 'quote') {
        return JSON.stringify({ action: 'quote', price_sat: SIMULATED_QUOTE_SATS });
      }
    } catch {
      // Not JSON after all: answered like any text.
    }
  }
  return `re: ${previewOf(data)}`;
}

function previewOf(data: Uint8Array): string {
  const view = viewData(data);
  if (view.kind === 'binary') {
    return `${view.byteLength} bytes`;
  }
  return view.text.length > 1000 ? `${view.text.slice(0, 1000)}…` : view.text;
}
