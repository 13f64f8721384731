// Writes src/core/wire/wireSchema.ts, the field tables of the wire messages the extension reads
// and writes, from the .proto files under proto/ (their single source of truth). The extension's
// bundle reads these tables instead of loading protobufjs and parsing the .proto at activation.
// scripts/build.mjs runs it before every build; test/unit/core/wire/wireSchema.test.ts fails
// when the file no longer matches the .proto.
//
//   node scripts/wire-schema.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const protoDir = path.join(root, 'proto');
const target = path.join(root, 'src', 'core', 'wire', 'wireSchema.ts');
const files = ['imp/api/websocket/websocket.proto', 'imp/api/messaging/messaging.proto'];
const messages = { subscribeResponse: 'websocket.SubscribeResponse', sendMessageRequest: 'messaging.SendMessageRequest' };

/** The file's text: the field tables, in the .proto's order, as wireTypes.ts's `wireFields` reads them. */
export function wireSchemaSource() {
  const types = new protobuf.Root();
  // google/api/annotations.proto only carries the HTTP binding options.
  types.resolvePath = (_origin, file) => (file.startsWith('google/') ? null : path.join(protoDir, file));
  types.loadSync(files, { keepCase: true });
  types.resolveAll();
  const tables = Object.entries(messages).map(([key, name]) => {
    const rows = types.lookupType(name).fieldsArray.map(
      (field) => `    { protoName: '${field.name}', jsonName: '${protobuf.util.camelCase(field.name)}', type: '${field.type}', id: ${field.id} },`,
    );
    return `  /** \`${name}\` */\n  ${key}: [\n${rows.join('\n')}\n  ],`;
  });
  return `// Generated from proto/ by scripts/wire-schema.mjs (scripts/build.mjs runs it): do not edit.
import type { WireSchema } from './wireField';

export type { WireField, WireSchema } from './wireField';

export const WIRE_SCHEMA: WireSchema = {
${tables.join('\n')}
};
`;
}

/** Rewrites the file only when the .proto changed it, so a build leaves the tree as it was. */
export function writeWireSchema() {
  const source = wireSchemaSource();
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // Not written yet.
  }
  if (current !== source) {
    writeFileSync(target, source);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeWireSchema();
}
