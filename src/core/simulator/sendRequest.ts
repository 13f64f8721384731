import type { ApiVersion } from '../nodeMessage';
import { wireFields, type WireField, type WireTypes } from '../wire/wireTypes';

/** A `POST /v1/message/send` the simulated node accepted. */
export interface SendRequest {
  readonly data: Uint8Array;
  /** A pubkey (v0.1.x) or a DID (v1). */
  readonly recipient: string;
  readonly amount: bigint;
  readonly replyToId: string;
}

/** A refusal, as the gateway reports it: an HTTP status and a gRPC status. */
export interface RequestRejection {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

export type SendRequestResult = { readonly ok: true; readonly request: SendRequest } | ({ readonly ok: false } & RequestRejection);

const INVALID_ARGUMENT = 3;
const STANDARD_BASE64 = /^[A-Za-z0-9+/]*$/;
const URL_BASE64 = /^[A-Za-z0-9\-_]*$/;
const INTEGER = /^-?\d{1,19}$/;

// The simulator parses int64 and base64 and applies the minimum amount with its own code, not the
// client's, on purpose: a fake node that shared the client's code would share its bugs, and agree.

/**
 * Reads a send request the way the node's gateway does (protojson): either the proto name
 * (`reply_to_id`) or the JSON name (`replyToId`) of each field, int64 as a number or a string,
 * bytes as base64 (standard or URL-safe, padded or not), unknown fields ignored.
 * Field names and types come from the `SendMessageRequest` reflection.
 */
export function parseSendRequest(body: string, apiVersion: ApiVersion, types: WireTypes): SendRequestResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return invalid(`request body is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return invalid('request body must be a JSON object');
  }
  const record = json as Record<string, unknown>;
  try {
    return apiVersion === 'v1' ? parseV1(record) : parseV0(record, types);
  } catch (error) {
    if (error instanceof BadArgument) {
      return invalid(error.message);
    }
    throw error;
  }
}

class BadArgument extends Error {}

function parseV0(body: Record<string, unknown>, types: WireTypes): SendRequestResult {
  const values = new Map<string, string | Uint8Array | bigint | undefined>();
  for (const field of wireFields(types.sendMessageRequest)) {
    const value = body[field.jsonName] !== undefined ? body[field.jsonName] : body[field.protoName];
    values.set(field.protoName, convert(field, value));
  }
  const data = (values.get('msg') as Uint8Array | undefined) ?? new Uint8Array(0);
  const recipient = (values.get('pubkey') as string | undefined) ?? '';
  if (recipient === '') {
    throw new BadArgument('pubkey is required');
  }
  const amount = checkAmount(values.get('amount') as bigint | undefined, data.byteLength);
  return { ok: true, request: { data, recipient, amount, replyToId: (values.get('reply_to_id') as string | undefined) ?? '' } };
}

/** A v1 node takes `msg` as plain text and addresses a DID; its fields are not in our protos. */
function parseV1(body: Record<string, unknown>): SendRequestResult {
  const msg = body.msg;
  if (typeof msg !== 'string') {
    throw new BadArgument('msg must be a string');
  }
  const did = body.did;
  if (typeof did !== 'string' || did === '') {
    throw new BadArgument('did is required');
  }
  const data = Buffer.from(msg, 'utf8');
  const replyToId = body.reply_to_id ?? body.replyToId ?? '';
  if (typeof replyToId !== 'string') {
    throw new BadArgument('reply_to_id must be a string');
  }
  return { ok: true, request: { data, recipient: did, amount: checkAmount(toInt64('amount', body.amount), data.byteLength), replyToId } };
}

function convert(field: WireField, value: unknown): string | Uint8Array | bigint | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  switch (field.type) {
    case 'bytes':
      return toBytes(field.protoName, value);
    case 'int64':
      return toInt64(field.protoName, value);
    case 'string':
      if (typeof value !== 'string') {
        throw new BadArgument(`invalid value for string field ${field.protoName}: ${describe(value)}`);
      }
      return value;
    default:
      throw new BadArgument(`field ${field.protoName} has a type (${field.type}) the simulator does not read`);
  }
}

function toBytes(name: string, value: unknown): Uint8Array {
  if (typeof value !== 'string') {
    throw new BadArgument(`invalid value for bytes field ${name}: ${describe(value)}`);
  }
  const unpadded = value.replace(/={1,2}$/, '');
  const alphabet = /[-_]/.test(unpadded) ? URL_BASE64 : STANDARD_BASE64;
  const padded = unpadded !== value;
  if (!alphabet.test(unpadded) || unpadded.length % 4 === 1 || (padded && value.length % 4 !== 0)) {
    throw new BadArgument(`invalid value for bytes field ${name}: ${describe(value)} is not base64`);
  }
  return Buffer.from(unpadded, alphabet === URL_BASE64 ? 'base64url' : 'base64');
}

function toInt64(name: string, value: unknown): bigint | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  let result: bigint | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    result = BigInt(value);
  } else if (typeof value === 'string' && INTEGER.test(value)) {
    result = BigInt(value);
  }
  if (result === undefined || result < -(2n ** 63n) || result >= 2n ** 63n) {
    throw new BadArgument(`invalid value for int64 field ${name}: ${describe(value)}`);
  }
  return result;
}

/** The node charges at least 1 sat per started 900 bytes, and at least 1. */
export function nodeMinimumAmount(byteLength: number): bigint {
  return BigInt(Math.max(1, Math.ceil(byteLength / 900)));
}

/** 1 sat per started 900 bytes when the request gives no amount; less is refused. */
function checkAmount(amount: bigint | undefined, byteLength: number): bigint {
  const minimum = nodeMinimumAmount(byteLength);
  const value = amount === undefined || amount === 0n ? minimum : amount;
  if (value < minimum) {
    throw new BadArgument(`amount ${value} is below the minimum of ${minimum} sat for ${byteLength} bytes`);
  }
  return value;
}

function invalid(message: string): SendRequestResult {
  return { ok: false, status: 400, code: INVALID_ARGUMENT, message };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value) : JSON.stringify(value) ?? typeof value;
}
