import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface TestCertificates {
  readonly dir: string;
  /** The CA certificate file, what a user puts in `caFile`. */
  readonly caFile: string;
  /** A certificate for 127.0.0.1 signed by that CA, with its key. */
  readonly cert: Buffer;
  readonly key: Buffer;
  /** A second, unrelated CA: the wrong one. */
  readonly otherCaFile: string;
}

/** Generates a private CA and a server certificate for 127.0.0.1 with openssl. */
export function generateCertificates(): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-tls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  for (const ca of ['ca', 'other-ca']) {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=Test ${ca}`,
      '-keyout', file(`${ca}.key`), '-out', file(`${ca}.pem`));
  }
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr'));
  fs.writeFileSync(file('ext.cnf'), 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', file('ext.cnf'), '-out', file('server.pem'));
  return {
    dir,
    caFile: file('ca.pem'),
    cert: fs.readFileSync(file('server.pem')),
    key: fs.readFileSync(file('server.key')),
    otherCaFile: file('other-ca.pem'),
  };
}
