// Decoding with its rejection reasons: classifying a frame, converting each proto type, v1's DIDComm
// mapping. The gateway's canonical frame takes the fast path, frameDecoderFastPath.ts.
import * as l10n from '@vscode/l10n';
import { didCommNodeMessage, parseDidComm } from './didCommMapping';
import { FrameDecoderFastPath } from './frameDecoderFastPath';
import { isInt64, parseDecimal } from './int64';
import type { EncodedMessage } from '../messages/encodedMessage';
import type { ApiVersion, ApiVersionSetting, NodeMessage } from '../nodeMessage';
import { WIRE_SCHEMA, type WireField, type WireSchema } from './wireSchema';

/**
 * What one websocket frame turned out to be. Decoding never throws: a frame that is not a valid
 * message or error is rejected with the reason, and so is one the decoder itself failed on, which
 * then carries `decoderError` (a bug in the decoder, not a fault of the frame: tests fail on it).
 */
export type FrameResult =
  | {
      readonly kind: 'message';
      readonly message: NodeMessage;
      /** The decoder's holder already holds it (written from the frame's bytes). */
      readonly held?: boolean;
    }
  | {
      readonly kind: 'error';
      readonly code: number;
      readonly message: string;
      /** `true` for a stream error `{"error":{...}}`, `false` for a gateway error sent bare. */
      readonly wrapped: boolean;
    }
  | { readonly kind: 'rejected'; readonly reason: string; readonly decoderError?: unknown };

/**
 * Where the fast path's messages are held as they are read: written into a store straight from the
 * frame's bytes (`HeldMessages.holdEncoded`). Returns the message held, or `undefined` to leave
 * it to the decoder, which then builds it (or declines the frame, if its data is not valid).
 */
export type EncodedMessageHolder = (message: EncodedMessage, node: string, receivedAt: number) => NodeMessage | undefined;

export interface FrameDecoderOptions {
  readonly node: string;
  readonly apiVersion?: ApiVersionSetting;
  /** Frames longer than this (in UTF-16 code units, ~bytes for JSON) are rejected unparsed. */
  readonly maxFrameLength?: number;
  /** The wire messages' fields: the .proto's (`WIRE_SCHEMA`) unless a test retypes one. */
  readonly schema?: WireSchema;
  /** Read the gateway's canonical frames without JSON.parse (default). Off: always the general path. */
  readonly fastPath?: boolean;
  /** Holds the fast path's messages from the frame's bytes (default: none, every message is built here). */
  readonly holder?: EncodedMessageHolder;
}

const DEFAULT_MAX_FRAME_LENGTH = 8 * 1024 * 1024;
/**
 * Padded standard base64, for strings whose length is a multiple of 4 (checked first): then
 * "alphabet characters, at most two `=` at the end" is the same language as the grouped
 * `^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$`, and runs twice as fast.
 */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Longer base64 is checked by what it decodes to (see `decodeBase64`): a regex would read every character. */
const BASE64_REGEX_MAX = 256;
const EMPTY = new Uint8Array(0);

class Rejection extends Error {}

/** The `SubscribeResponse` field behind each `NodeMessage` property. */
interface ResultLayout {
  readonly id: WireField;
  readonly replyToId: WireField;
  readonly fromPubkey: WireField;
  readonly data: WireField;
  readonly serviceType: WireField;
  readonly amount: WireField;
}

/**
 * Decodes the frames of one node's `/v1/subscribe` stream into `NodeMessage`s.
 *
 * The field names and types come from `SubscribeResponse` in the .proto (its table in `wireSchema.ts`),
 * so a renamed or retyped field changes the decoder too. Conversion is specialised per proto type
 * instead of going through `Type.fromObject`, which would build Long objects for int64.
 */
export class FrameDecoder {
  private readonly node: string;
  private readonly setting: ApiVersionSetting;
  private readonly maxFrameLength: number;
  private readonly fields: readonly WireField[];
  private readonly layout: ResultLayout;
  private readonly fastPath: FrameDecoderFastPath | undefined;
  private readonly holder: EncodedMessageHolder | undefined;
  private detected: ApiVersion | undefined;
  private fastPathCount = 0;

  constructor(options: FrameDecoderOptions) {
    this.node = options.node;
    this.setting = options.apiVersion ?? 'auto';
    this.maxFrameLength = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
    this.fields = (options.schema ?? WIRE_SCHEMA).subscribeResponse;
    const field = (name: string): WireField => {
      const found = this.fields.find((candidate) => candidate.protoName === name);
      if (!found) {
        throw new Error(`SubscribeResponse has no field ${name}`);
      }
      return found;
    };
    this.layout = {
      id: field('id'),
      replyToId: field('reply_to_id'),
      fromPubkey: field('from_pubkey'),
      data: field('data'),
      serviceType: field('service_type'),
      amount: field('amount'),
    };
    this.detected = this.setting === 'auto' ? undefined : this.setting;
    this.holder = options.holder;
    // The fast path reads the six fields it knows; a .proto with more keeps to the general path.
    this.fastPath = this.fields.length === 6 && options.fastPath !== false ? new FrameDecoderFastPath(this.fields) : undefined;
  }

  /** The API generation in use: the setting, or what `auto` decided from the first message frame. */
  get apiVersion(): ApiVersion | undefined {
    return this.detected;
  }

  /** Frames the fast path decoded (the rest went the general way): the benchmark and tests read it. */
  get fastPathFrames(): number {
    return this.fastPathCount;
  }

  /**
   * Decodes a frame: a text frame's text, or a binary frame's bytes (rejected: the node sends
   * text). Every frame goes the general way; `decodeText` is the connection's entry, with the fast path.
   */
  decode(frame: string | Uint8Array, receivedAt: number = Date.now()): FrameResult {
    try {
      return this.decodeFrame(frame, receivedAt);
    } catch (error) {
      return decoderFailure(error);
    }
  }

  /**
   * Decodes a text frame from its UTF-8 bytes, as the socket hands it over. The gateway's
   * canonical frame is read from the bytes (`FrameDecoderFastPath`); any other goes the general way.
   */
  decodeText(frame: Buffer, receivedAt: number = Date.now()): FrameResult {
    try {
      const fastPath = this.fastPath;
      if (fastPath && this.detected !== 'v1' && frame.byteLength <= this.maxFrameLength && fastPath.read(frame)) {
        try {
          const held = this.holder?.(fastPath, this.node, receivedAt);
          const message = held ?? fastPath.message(this.node, receivedAt);
          if (message) {
            // Every v0 field is present, which is what `auto` decides v0 on.
            this.detected ??= 'v0';
            this.fastPathCount++;
            return held ? { kind: 'message', message, held: true } : { kind: 'message', message };
          }
        } finally {
          fastPath.done();
        }
      }
      return this.decodeFrame(frame.toString('utf8'), receivedAt);
    } catch (error) {
      return decoderFailure(error);
    }
  }

  private decodeFrame(frame: string | Uint8Array, receivedAt: number): FrameResult {
    if (typeof frame !== 'string') {
      return reject(l10n.t('binary frame of {0} bytes (the node sends text frames)', frame.byteLength));
    }
    if (frame.length > this.maxFrameLength) {
      return reject(l10n.t('frame of {0} characters is over the {1} limit', frame.length, this.maxFrameLength));
    }
    let json: unknown;
    try {
      json = JSON.parse(frame);
    } catch (error) {
      return reject(error instanceof RangeError ? l10n.t('not JSON (nested too deeply)') : notJson(frame));
    }
    try {
      return this.classify(json, receivedAt);
    } catch (error) {
      if (error instanceof Rejection) {
        return reject(error.message);
      }
      throw error;
    }
  }

  private classify(json: unknown, receivedAt: number): FrameResult {
    if (!isObject(json)) {
      throw new Rejection(l10n.t('expected a JSON object, got {0}', kindOf(json)));
    }
    if ('result' in json) {
      const result = json.result;
      if (!isObject(result)) {
        throw new Rejection(l10n.t('"{0}" is {1}, not an object', 'result', kindOf(result)));
      }
      return { kind: 'message', message: this.decodeResult(result, receivedAt) };
    }
    if ('error' in json) {
      const error = json.error;
      if (!isObject(error)) {
        throw new Rejection(l10n.t('"{0}" is {1}, not an object', 'error', kindOf(error)));
      }
      return { kind: 'error', ...statusOf(error), wrapped: true };
    }
    if (typeof json.code === 'number' && typeof json.message === 'string') {
      return { kind: 'error', ...statusOf(json), wrapped: false };
    }
    throw new Rejection(unexpectedKeys(json));
  }

  /**
   * One property read per field, each at its own site: a site that always reads the same key
   * (the JSON name from the reflection) of the same frame shape stays as fast as `result.id`,
   * where a loop over the fields would read six keys at one site and go megamorphic.
   * The proto (snake_case) name is tried when the JSON name is absent.
   */
  private decodeResult(result: Record<string, unknown>, receivedAt: number): NodeMessage {
    const layout = this.layout;
    let id = result[layout.id.jsonName];
    if (id === undefined) {
      id = result[layout.id.protoName];
    }
    let replyToId = result[layout.replyToId.jsonName];
    if (replyToId === undefined) {
      replyToId = result[layout.replyToId.protoName];
    }
    let fromPubkey = result[layout.fromPubkey.jsonName];
    if (fromPubkey === undefined) {
      fromPubkey = result[layout.fromPubkey.protoName];
    }
    let data = result[layout.data.jsonName];
    if (data === undefined) {
      data = result[layout.data.protoName];
    }
    let serviceType = result[layout.serviceType.jsonName];
    if (serviceType === undefined) {
      serviceType = result[layout.serviceType.protoName];
    }
    let amount = result[layout.amount.jsonName];
    if (amount === undefined) {
      amount = result[layout.amount.protoName];
    }
    // Converted in the .proto's order, so a frame with several bad fields is rejected for the first.
    const message = {
      node: this.node,
      id: convert(layout.id, id) as string,
      replyToId: convert(layout.replyToId, replyToId) as string,
      fromPubkey: convert(layout.fromPubkey, fromPubkey) as string,
      data: convert(layout.data, data) as Uint8Array,
      serviceType: convert(layout.serviceType, serviceType) as string,
      amount: convert(layout.amount, amount) as bigint,
      receivedAt,
    };
    const version = this.detected ?? this.detect(result);
    if (version === 'v1') {
      return this.decodeDidComm(message.data, message.amount, receivedAt);
    }
    return message;
  }

  /** `auto`: a v1 frame carries only `data` (a DIDComm message) and `amount`. */
  private detect(result: Record<string, unknown>): ApiVersion {
    const v0Only = this.fields.filter((field) => field.protoName !== 'data' && field.protoName !== 'amount');
    const hasV0Fields = v0Only.some((field) => field.jsonName in result || field.protoName in result);
    this.detected = hasV0Fields ? 'v0' : 'v1';
    return this.detected;
  }

  private decodeDidComm(data: Uint8Array, amount: bigint, receivedAt: number): NodeMessage {
    const parsed = parseDidComm(data);
    if (!parsed.ok) {
      throw new Rejection(parsed.reason);
    }
    return didCommNodeMessage(this.node, parsed.didComm, data, amount, receivedAt);
  }
}

function convert(field: WireField, value: unknown): string | Uint8Array | bigint {
  switch (field.type) {
    case 'string':
      if (value === undefined || value === null) {
        return '';
      }
      if (typeof value !== 'string') {
        throw new Rejection(l10n.t('field {0} is {1}, not a string', field.jsonName, kindOf(value)));
      }
      return value;
    case 'bytes':
      return toBytes(field, value);
    case 'int64':
      return toInt64(field, value);
    default:
      throw new Rejection(l10n.t('field {0} has proto type {1}, which the decoder does not know', field.jsonName, field.type));
  }
}

/** Standard base64 as the gateway emits it; anything else is a pre-0.1.4 node's plain-text `data`. */
function toBytes(field: WireField, value: unknown): Uint8Array {
  if (value === undefined || value === null || value === '') {
    return EMPTY;
  }
  if (typeof value !== 'string') {
    throw new Rejection(l10n.t('field {0} is {1}, not base64 or text', field.jsonName, kindOf(value)));
  }
  return decodeBase64(value) ?? Buffer.from(value, 'utf8');
}

/**
 * The bytes of `value` if it is padded standard base64, else `undefined`: what the regex check and
 * `Buffer.from(value, 'base64')` give, in less time for a long string (matching a 2 KB payload
 * costs as much as parsing its whole frame).
 *
 * The long path lets the decoder do the checking: Node's base64 decoder skips or stops at a
 * character outside the alphabet, so padded input yields exactly 3/4 of its length minus the
 * padding only when every character is a base64 digit. Two kinds of character it does not skip
 * are excluded first: the base64url digits `-` and `_`, and UTF-16 code units above 0xff, which
 * it reads by their low byte (`т` as `B`); a string with neither is one whose UTF-8 length is its
 * length. A unit test checks both paths against the regex.
 */
export function decodeBase64(value: string): Buffer | undefined {
  const length = value.length;
  if (length % 4 !== 0) {
    return undefined;
  }
  if (length <= BASE64_REGEX_MAX) {
    return BASE64.test(value) ? Buffer.from(value, 'base64') : undefined;
  }
  if (value.includes('-') || value.includes('_') || Buffer.byteLength(value, 'utf8') !== length) {
    return undefined;
  }
  const bytes = Buffer.from(value, 'base64');
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  return bytes.byteLength === (length / 4) * 3 - padding ? bytes : undefined;
}

function toInt64(field: WireField, value: unknown): bigint {
  if (value === undefined || value === null || value === '') {
    return 0n;
  }
  const result =
    typeof value === 'string' ? parseDecimal(value) : typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (result === undefined) {
    throw new Rejection(l10n.t('field {0} is not an int64 ({1})', field.jsonName, describeValue(value)));
  }
  if (!isInt64(result)) {
    throw new Rejection(l10n.t('field {0} is out of the int64 range', field.jsonName));
  }
  return result;
}

function statusOf(status: Record<string, unknown>): { code: number; message: string } {
  const code = typeof status.code === 'number' && Number.isInteger(status.code) ? status.code : 2;
  const message = typeof status.message === 'string' ? status.message : '';
  return { code, message };
}

/** Not the frame's fault: every invalid input has its reason. The stream goes on without it. */
function decoderFailure(error: unknown): FrameResult {
  return { kind: 'rejected', reason: l10n.t('undecodable frame: the decoder failed ({0})', String(error).slice(0, 200)), decoderError: error ?? new Error(String(error)) };
}

function reject(reason: string): FrameResult {
  return { kind: 'rejected', reason };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a JSON value is, as a noun phrase the reasons put in. `null` is the JSON token itself; the
 * last case is for completeness, as JSON.parse makes none of those types.
 */
function kindOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return l10n.t('an array');
  }
  switch (typeof value) {
    case 'string':
      return l10n.t('a string');
    case 'number':
      return l10n.t('a number');
    case 'boolean':
      return l10n.t('a boolean');
    case 'object':
      return l10n.t('an object');
    default:
      return l10n.t('a value of type {0}', typeof value);
  }
}

/** Why a frame JSON.parse refused is rejected: how it starts (quoted, so it stays one line). */
function notJson(frame: string): string {
  return frame.length === 0 ? l10n.t('not JSON (empty frame)') : l10n.t('not JSON (starts {0})', JSON.stringify(frame.slice(0, 24)));
}

/** Why an object that is neither a message nor an error is rejected: its first keys, quoted. */
function unexpectedKeys(json: Record<string, unknown>): string {
  const keys = Object.keys(json);
  if (keys.length === 0) {
    return l10n.t('unexpected JSON object with keys (none)');
  }
  const shown = keys.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 32))).join(', ');
  return keys.length > 5 ? l10n.t('unexpected JSON object with keys {0}, … ({1})', shown, keys.length) : l10n.t('unexpected JSON object with keys {0}', shown);
}

/** A value that is not an int64: the start of a string (quoted), else what it is. */
function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 24)) : kindOf(value);
}
