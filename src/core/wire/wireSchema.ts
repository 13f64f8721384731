// Generated from proto/ by scripts/wire-schema.mjs (scripts/build.mjs runs it): do not edit.
import type { WireSchema } from './wireField';

export type { WireField, WireSchema } from './wireField';

export const WIRE_SCHEMA: WireSchema = {
  /** `websocket.SubscribeResponse` */
  subscribeResponse: [
    { protoName: 'id', jsonName: 'id', type: 'string', id: 1 },
    { protoName: 'reply_to_id', jsonName: 'replyToId', type: 'string', id: 2 },
    { protoName: 'from_pubkey', jsonName: 'fromPubkey', type: 'string', id: 3 },
    { protoName: 'data', jsonName: 'data', type: 'bytes', id: 4 },
    { protoName: 'service_type', jsonName: 'serviceType', type: 'string', id: 5 },
    { protoName: 'amount', jsonName: 'amount', type: 'int64', id: 6 },
  ],
  /** `messaging.SendMessageRequest` */
  sendMessageRequest: [
    { protoName: 'msg', jsonName: 'msg', type: 'bytes', id: 1 },
    { protoName: 'pubkey', jsonName: 'pubkey', type: 'string', id: 2 },
    { protoName: 'amount', jsonName: 'amount', type: 'int64', id: 3 },
    { protoName: 'reply_to_id', jsonName: 'replyToId', type: 'string', id: 4 },
  ],
};
