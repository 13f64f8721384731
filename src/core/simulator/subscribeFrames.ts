import type { ApiVersion } from '../nodeMessage';
import { loadWireTypes, wireFields, type WireField, type WireTypes } from '../wire/wireTypes';
import type { SimulatedMessage } from './simulatedMessage';

/**
 * The longest line the node's websocket proxy passes on. It reads the gateway's newline-delimited
 * JSON with a `bufio.Scanner` whose buffer is 64 KiB including the newline; a longer line ends the
 * scan, so that frame is lost and the connection drops.
 */
export const MAX_LINE_BYTES = 64 * 1024 - 1;

/** The proto type each `SimulatedMessage` property must have; checked against the .proto at start. */
const MESSAGE_FIELD_TYPES: Readonly<Record<keyof SimulatedMessage, string>> = {
  id: 'string',
  replyToId: 'string',
  fromPubkey: 'string',
  data: 'bytes',
  serviceType: 'string',
  amount: 'int64',
};

/** The only fields a v1 (DIDComm) node fills in; the rest are left out of its frames. */
const V1_FIELDS = new Set(['data', 'amount']);

type FieldWriter = (message: SimulatedMessage) => string;

/**
 * Writes `{"result":{...}}` frames exactly as the node's gateway does with its default marshaler:
 * compact JSON, lowerCamelCase JSON names in field-number order, every field present, int64 as a
 * string, bytes as padded standard base64.
 *
 * The names, order and types come from the `SubscribeResponse` reflection. Rather than going through
 * `Type.toObject` per frame, a writer per field is built once from it, because the benchmark has the
 * simulator send hundreds of thousands of frames; a unit test checks both give the same bytes.
 */
export class SubscribeFrameEncoder {
  private readonly v0Writers: readonly FieldWriter[];
  private readonly v1Writers: readonly FieldWriter[];

  constructor(types: WireTypes = loadWireTypes()) {
    const fields = [...wireFields(types.subscribeResponse)].sort((a, b) => a.id - b.id);
    this.v0Writers = fields.map(writerFor);
    this.v1Writers = fields.filter((field) => V1_FIELDS.has(field.protoName)).map(writerFor);
    if (this.v1Writers.length !== V1_FIELDS.size) {
      throw new Error('SubscribeResponse lacks the data or amount field a v1 frame needs');
    }
  }

  result(message: SimulatedMessage, apiVersion: ApiVersion = 'v0'): string {
    const writers = apiVersion === 'v1' ? this.v1Writers : this.v0Writers;
    let body = '';
    for (let i = 0; i < writers.length; i++) {
      body += (i === 0 ? '' : ',') + (writers[i] as FieldWriter)(message);
    }
    return `{"result":{${body}}}`;
  }
}

/** A stream error as the gateway writes it: a gRPC status inside `"error"`, then the stream ends. */
export function streamErrorFrame(code: number, message: string): string {
  return `{"error":${gatewayErrorBody(code, message)}}`;
}

/** A gateway error outside a stream (REST errors, an unknown websocket path): the bare status. */
export function gatewayErrorBody(code: number, message: string): string {
  return `{"code":${Math.trunc(code)},"message":${JSON.stringify(message)},"details":[]}`;
}

/** Whether the proxy would choke on this frame; cheap for the common, clearly short frame. */
export function isOversizeLine(frame: string): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so most frames need no byte count.
  return frame.length * 3 > MAX_LINE_BYTES && Buffer.byteLength(frame, 'utf8') > MAX_LINE_BYTES;
}

function writerFor(field: WireField): FieldWriter {
  const name = field.jsonName as keyof SimulatedMessage;
  const expected = MESSAGE_FIELD_TYPES[name];
  if (expected === undefined) {
    throw new Error(`SubscribeResponse field ${field.protoName} is unknown to the simulator`);
  }
  if (expected !== field.type) {
    throw new Error(`SubscribeResponse field ${field.protoName} is ${field.type}; the simulator writes it as ${expected}`);
  }
  const key = `${JSON.stringify(field.jsonName)}:`;
  switch (field.type) {
    case 'bytes':
      return (message) => {
        const bytes = message[name] as Uint8Array;
        return `${key}"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"`;
      };
    case 'int64':
      // proto3 JSON writes 64-bit integers as strings so that JavaScript readers keep them exact.
      return (message) => `${key}"${(message[name] as bigint).toString()}"`;
    default:
      return (message) => key + JSON.stringify(message[name] as string);
  }
}
