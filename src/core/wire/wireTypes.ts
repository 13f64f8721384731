import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';
import type { WireField } from './wireField';

/**
 * The .proto files under `proto/` are the single source of truth for the node's wire types. The
 * simulated node reads them with protobufjs; the extension reads only the field tables made from
 * them at build time (`wireSchema.ts`), so its bundle carries neither protobufjs nor a .proto parser.
 */
export const PROTO_FILES = ['imp/api/websocket/websocket.proto', 'imp/api/messaging/messaging.proto'] as const;

export type { WireField } from './wireField';

export interface WireTypes {
  readonly root: protobuf.Root;
  readonly subscribeResponse: protobuf.Type;
  readonly sendMessageRequest: protobuf.Type;
  readonly sendMessageResponse: protobuf.Type;
}

/** Finds the folder holding `imp/api/...` by walking up from `start` (works from `dist/`, `out/` and a VSIX). */
export function findProtoDir(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, 'proto');
    if (fs.existsSync(path.join(candidate, PROTO_FILES[0]))) {
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`proto/${PROTO_FILES[0]} not found above ${start}`);
    }
    dir = parent;
  }
}

let cached: WireTypes | undefined;

/** Loads (once per process) the wire types from the .proto files. Field names keep their snake_case. */
export function loadWireTypes(protoDir: string = findProtoDir()): WireTypes {
  if (cached) {
    return cached;
  }
  const root = new protobuf.Root();
  // google/api/annotations.proto only carries the HTTP binding options; nothing here reads them.
  root.resolvePath = (_origin, target) => (target.startsWith('google/') ? null : path.join(protoDir, target));
  root.loadSync([...PROTO_FILES], { keepCase: true });
  root.resolveAll();
  cached = {
    root,
    subscribeResponse: root.lookupType('websocket.SubscribeResponse'),
    sendMessageRequest: root.lookupType('messaging.SendMessageRequest'),
    sendMessageResponse: root.lookupType('messaging.SendMessageResponse'),
  };
  return cached;
}

export function wireFields(type: protobuf.Type): WireField[] {
  return type.fieldsArray.map((field) => ({
    protoName: field.name,
    jsonName: protobuf.util.camelCase(field.name),
    type: field.type,
    id: field.id,
  }));
}
