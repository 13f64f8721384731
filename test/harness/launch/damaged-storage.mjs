// Damaged files in a profile's extension storage, planted before VS Code starts: a torn journal of
// held messages and a torn watches file, as a crash or a full disk could leave them. The first
// launch's suites check that the extension still activates and sets both aside
// (test/integration/persistence.test.ts reads where they are from IMPERVIOUS_TEST_DAMAGED).
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const EXTENSION_ID = 'imp-tools.impervious-events';

/**
 * The workspace storage folder VS Code's workbench in a browser uses for a folder on the server:
 * named by VS Code's string hash (base/common/hash.ts) of the folder's remote URI, which holds the
 * server's address and port.
 */
export function workspaceStorageId(folder, port) {
  return stringHash(`vscode-remote://127.0.0.1:${port}${folder}`).toString(16);
}

function stringHash(text) {
  const numberHash = (value, hash) => ((hash << 5) - hash + value) | 0;
  let hash = numberHash(149417, 0);
  for (let i = 0; i < text.length; i++) {
    hash = numberHash(text.charCodeAt(i), hash);
  }
  return hash;
}

/**
 * Writes the damaged files for a launch of code-server on `port`; returns the environment that
 * tells the suites where they are.
 */
export function plantDamagedStorage(folders, port) {
  const user = path.join(folders.userDataDir, 'User');
  const journal = path.join(user, 'globalStorage', EXTENSION_ID, 'messages.ndjson');
  const watches = path.join(user, 'workspaceStorage', workspaceStorageId(folders.folder, port), EXTENSION_ID, 'watches.json');
  mkdirSync(path.dirname(journal), { recursive: true });
  mkdirSync(path.dirname(watches), { recursive: true });
  // Damage before the last line: not a torn last record (skipped), a file to set aside.
  writeFileSync(journal, '{"node":"Damaged","id":"torn-0001","da\n\u0000\u0000\u0000 not json\nnot a record either\n');
  writeFileSync(watches, '[{"messageId": "damaged-0001", "crea');
  return { IMPERVIOUS_TEST_DAMAGED: JSON.stringify({ journal, watches }) };
}
