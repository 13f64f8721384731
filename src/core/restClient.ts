import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { minimumAmount } from './amount';
import { restBaseUrl, type NodeConfig } from './nodeConfig';
import type { ApiVersion } from './nodeMessage';
import { redact } from './redact';
import { loadWireTypes, type WireTypes } from './wireTypes';

export interface SendMessageRequest {
  /** The recipient: a Lightning node pubkey (v0.1.x) or a DID (v1). */
  readonly pubkey: string;
  readonly data: string | Uint8Array;
  /** Satoshis; defaults to the node's minimum, 1 per started 900 bytes. */
  readonly amount?: number | bigint;
  readonly replyToId?: string;
}

export interface RestOptions {
  readonly apiKey?: string;
  readonly apiVersion?: ApiVersion;
  readonly timeoutMs?: number;
  readonly types?: WireTypes;
}

/** An error answer from the node (or no answer at all: `status` 0). */
export class NodeRequestError extends Error {
  constructor(
    readonly status: number,
    /** The gRPC status code from the node's `{"code":N,"message":...}` body, if any. */
    readonly code: number | undefined,
    readonly nodeMessage: string,
  ) {
    super(
      status === 0
        ? nodeMessage
        : `The node answered HTTP ${status}${code !== undefined ? `, code ${code}` : ''}: ${nodeMessage || '(no message)'}`,
    );
    this.name = 'NodeRequestError';
  }
}

/**
 * Sends a message through `POST /v1/message/send` and returns the new message's ID.
 * The body is built through the `SendMessageRequest` reflection from messaging.proto.
 */
export async function sendMessage(node: NodeConfig, request: SendMessageRequest, options: RestOptions = {}): Promise<string> {
  const bytes = typeof request.data === 'string' ? Buffer.from(request.data, 'utf8') : Buffer.from(request.data);
  const amount = request.amount !== undefined ? BigInt(request.amount) : minimumAmount(bytes.byteLength);
  const body = options.apiVersion === 'v1' ? v1Body(request, bytes, amount) : v0Body(request, bytes, amount, options.types);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) {
    // The gateway forwards only Grpc-Metadata-* headers as metadata; a bare X-API-KEY is dropped.
    headers['Grpc-Metadata-X-API-KEY'] = options.apiKey;
  }
  const response = await postJson(node, '/v1/message/send', body, headers, options);
  const id = (response as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '') {
    throw new NodeRequestError(200, undefined, 'the node answered without a message id');
  }
  return id;
}

function v0Body(request: SendMessageRequest, bytes: Buffer, amount: bigint, types: WireTypes = loadWireTypes()): string {
  const type = types.sendMessageRequest;
  const message = type.fromObject({
    msg: bytes,
    pubkey: request.pubkey,
    amount: amount.toString(),
    reply_to_id: request.replyToId ?? '',
  });
  return JSON.stringify(type.toObject(message, { longs: String, bytes: String, defaults: false }));
}

/** A v1 node takes the message as plain text and the recipient as a DID. */
function v1Body(request: SendMessageRequest, bytes: Buffer, amount: bigint): string {
  return JSON.stringify({
    msg: bytes.toString('utf8'),
    did: request.pubkey,
    amount: amount.toString(),
    ...(request.replyToId ? { reply_to_id: request.replyToId } : {}),
  });
}

function postJson(node: NodeConfig, path: string, body: string, headers: Record<string, string>, options: RestOptions): Promise<unknown> {
  const url = new URL(path, restBaseUrl(node.url));
  const secure = url.protocol === 'https:';
  const requestOptions: https.RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    timeout: options.timeoutMs ?? 15_000,
  };
  if (secure) {
    requestOptions.rejectUnauthorized = node.rejectUnauthorized ?? true;
    if (node.caFile) {
      try {
        requestOptions.ca = fs.readFileSync(node.caFile);
      } catch (error) {
        return Promise.reject(new NodeRequestError(0, undefined, `Cannot read caFile ${node.caFile} (${(error as NodeJS.ErrnoException).code})`));
      }
    }
  }
  return new Promise((resolve, reject) => {
    const fail = (message: string) => reject(new NodeRequestError(0, undefined, redact(message, options.apiKey)));
    const req = (secure ? https : http).request(url, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => fail(`The response from ${url.host} broke off: ${error.message}`));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : {};
        } catch {
          json = undefined;
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300 && typeof json === 'object' && json !== null) {
          return resolve(json);
        }
        const error = (json ?? {}) as { code?: unknown; message?: unknown };
        const code = typeof error.code === 'number' ? error.code : undefined;
        const message = typeof error.message === 'string' ? error.message : text.slice(0, 200);
        reject(new NodeRequestError(status, code, redact(message, options.apiKey)));
      });
    });
    req.on('timeout', () => {
      req.destroy();
      fail(`No answer from ${url.host} within ${Math.round((options.timeoutMs ?? 15_000) / 1000)} s`);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      fail(error.code === 'ECONNREFUSED' ? `Cannot reach the node at ${url.host}: connection refused` : `Cannot reach the node at ${url.host}: ${error.message}`);
    });
    req.end(body);
  });
}
