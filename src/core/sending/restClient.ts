import * as l10n from '@vscode/l10n';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { formatDuration } from '../text/duration';
import { restBaseUrl, type NodeConfig } from '../connection/nodeConfig';
import type { ApiVersion } from '../nodeMessage';
import { checkOutgoingMessage } from './outgoingMessage';
import { redact } from '../connection/redact';
import { WIRE_SCHEMA, type WireField, type WireSchema } from '../wire/wireSchema';

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
  /** The longest the socket may stay silent (15 s by default). */
  readonly timeoutMs?: number;
  /** The longest the whole request may take, however the node trickles its answer (30 s by default). */
  readonly deadlineMs?: number;
  /** The largest answer read (64 KiB by default); the node's answer to a send is a few dozen bytes. */
  readonly maxResponseBytes?: number;
  readonly schema?: WireSchema;
}

const IDLE_TIMEOUT_MS = 15_000;
const DEADLINE_MS = 30_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

/** An error answer from the node (or no answer at all: `status` 0). */
export class NodeRequestError extends Error {
  constructor(
    /** The HTTP status, or 0 when the node did not answer. */
    readonly status: number,
    readonly nodeMessage: string,
    /** The gRPC status code from the node's `{"code":N,"message":...}` body, if any. */
    readonly code?: number,
  ) {
    super(status === 0 ? nodeMessage : answered(status, code, nodeMessage || l10n.t('(no message)')));
    this.name = 'NodeRequestError';
  }
}

/**
 * Sends a message through `POST /v1/message/send` and returns the new message's ID. What it
 * carries is checked first (`checkOutgoingMessage`): a bad send fails before any network.
 * The body is built through the `SendMessageRequest` reflection from messaging.proto.
 */
export async function sendMessage(node: NodeConfig, request: SendMessageRequest, options: RestOptions = {}): Promise<string> {
  const { bytes, amount } = checkOutgoingMessage(request, options.apiVersion);
  const body = options.apiVersion === 'v1' ? v1Body(request, bytes, amount) : v0Body(request, bytes, amount, options.schema);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) {
    // The gateway forwards only Grpc-Metadata-* headers as metadata; a bare X-API-KEY is dropped.
    headers['Grpc-Metadata-X-API-KEY'] = options.apiKey;
  }
  const response = await requestJson(node, 'POST', '/v1/message/send', body, headers, options);
  const id = (response as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '') {
    throw new NodeRequestError(200, l10n.t('the node answered without a message id'));
  }
  return id;
}

/**
 * A v0.1.x node takes `SendMessageRequest` as protojson with the proto names: the .proto's fields
 * in its order, bytes as base64 and int64 as a decimal string, and (proto3) none at its default.
 */
function v0Body(request: SendMessageRequest, bytes: Buffer, amount: bigint, schema: WireSchema = WIRE_SCHEMA): string {
  const values: Record<string, Buffer | string> = {
    msg: bytes,
    pubkey: request.pubkey,
    amount: amount.toString(),
    reply_to_id: request.replyToId ?? '',
  };
  const body: Record<string, string> = {};
  for (const field of schema.sendMessageRequest) {
    const value = protojsonValue(field, values[field.protoName]);
    if (value !== '' && !(field.type === 'int64' && value === '0')) {
      body[field.protoName] = value;
    }
  }
  return JSON.stringify(body);
}

function protojsonValue(field: WireField, value: Buffer | string | undefined): string {
  if (value === undefined) {
    throw new Error(`SendMessageRequest field ${field.protoName} has no value`);
  }
  switch (field.type) {
    case 'bytes':
      return Buffer.from(value).toString('base64');
    case 'string':
    case 'int64':
      return value.toString();
    default:
      throw new Error(`SendMessageRequest field ${field.protoName} has proto type ${field.type}, which the client does not send`);
  }
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

/** `path` under the node's REST base, keeping the base's path prefix (a gateway's `/node1`). */
export function restUrl(subscribeUrl: string, path: string): URL {
  return new URL(`${restBaseUrl(subscribeUrl)}${path}`);
}

/**
 * `GET path` under the node's REST base with the API key header (when there is a key): the JSON
 * object it answers, bounded like every call (`maxResponseBytes`, read as it streams in and cut
 * off past the bound; the idle timeout and the deadline).
 */
export function getJson(node: NodeConfig, path: string, options: RestOptions = {}): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.apiKey) {
    headers['Grpc-Metadata-X-API-KEY'] = options.apiKey;
  }
  return requestJson(node, 'GET', path, undefined, headers, options);
}

function requestJson(
  node: NodeConfig,
  method: 'GET' | 'POST',
  path: string,
  body: string | undefined,
  headers: Record<string, string>,
  options: RestOptions,
): Promise<unknown> {
  const url = restUrl(node.url, path);
  const secure = url.protocol === 'https:';
  const idleMs = options.timeoutMs ?? IDLE_TIMEOUT_MS;
  const deadlineMs = options.deadlineMs ?? DEADLINE_MS;
  const maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const requestOptions: https.RequestOptions = {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    timeout: idleMs,
  };
  if (secure) {
    requestOptions.rejectUnauthorized = node.rejectUnauthorized ?? true;
    if (node.caFile) {
      try {
        requestOptions.ca = fs.readFileSync(node.caFile);
      } catch (error) {
        return Promise.reject(new NodeRequestError(0, l10n.t('Cannot read caFile {0} ({1})', node.caFile, String((error as NodeJS.ErrnoException).code))));
      }
    }
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (!settled) {
        settled = true;
        clearTimeout(deadline);
        outcome();
      }
    };
    const fail = (message: string): void => settle(() => reject(new NodeRequestError(0, redact(message, options.apiKey))));
    const req = (secure ? https : http).request(url, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy();
          fail(l10n.t('The answer from {0} is over {1} KiB; it was cut off unread', url.host, Math.round(maxBytes / 1024)));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => fail(l10n.t('The response from {0} broke off: {1}', url.host, error.message)));
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
          return settle(() => resolve(json));
        }
        if (status >= 200 && status < 300) {
          const start = JSON.stringify(text.slice(0, 24));
          return settle(() => reject(new NodeRequestError(status, redact(l10n.t('the answer is not a JSON object (it starts {0})', start), options.apiKey))));
        }
        const error = (json ?? {}) as { code?: unknown; message?: unknown };
        const code = typeof error.code === 'number' ? error.code : undefined;
        const message = typeof error.message === 'string' ? error.message : text.slice(0, 200);
        settle(() => reject(new NodeRequestError(status, redact(message, options.apiKey), code)));
      });
    });
    // The idle timeout restarts with every byte; a node that trickles its answer meets the deadline.
    const deadline = setTimeout(() => {
      req.destroy();
      fail(l10n.t('No complete answer from {0} within {1}', url.host, formatDuration(deadlineMs)));
    }, deadlineMs);
    req.on('timeout', () => {
      req.destroy();
      fail(l10n.t('No answer from {0} within {1}', url.host, formatDuration(idleMs)));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'ECONNREFUSED'
          ? l10n.t('Cannot reach the node at {0}: connection refused', url.host)
          : l10n.t('Cannot reach the node at {0}: {1}', url.host, error.message),
      );
    });
    req.end(body);
  });
}

/** "The node answered HTTP 500, code 13: …", the code where the node's body gave one. */
function answered(status: number, code: number | undefined, message: string): string {
  return code !== undefined
    ? l10n.t('The node answered HTTP {0}, code {1}: {2}', status, code, message)
    : l10n.t('The node answered HTTP {0}: {1}', status, message);
}
