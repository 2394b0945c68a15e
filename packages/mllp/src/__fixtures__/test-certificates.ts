import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM file paths of a throwaway CA, a server certificate for 127.0.0.1 and a client certificate. */
export interface TestCertificates {
  folder: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second CA that signed nothing the listener uses. */
  otherCaCert: string;
  remove(): void;
}

/**
 * Generate the certificates with the `openssl` command into a new temp folder. Keys are
 * EC P-256, so generation takes milliseconds; they are valid for one day.
 */
export function generateTestCertificates(): TestCertificates {
  const folder = mkdtempSync(join(tmpdir(), 'carelake-mllp-tls-'));
  const file = (name: string): string => join(folder, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: folder, stdio: 'pipe' });
  };
  const newKey = (name: string): void => {
    openssl(
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      file(name),
    );
  };

  for (const ca of ['ca', 'other-ca']) {
    newKey(`${ca}.key`);
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      file(`${ca}.key`),
      '-subj',
      `/CN=carelake test ${ca}`,
      '-days',
      '1',
      '-out',
      file(`${ca}.crt`),
    );
  }
  writeFileSync(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const peer of ['server', 'client']) {
    newKey(`${peer}.key`);
    openssl(
      'req',
      '-new',
      '-key',
      file(`${peer}.key`),
      '-subj',
      `/CN=carelake test ${peer}`,
      '-out',
      file(`${peer}.csr`),
    );
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${peer}.csr`),
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file(`${peer}.ext`),
      '-out',
      file(`${peer}.crt`),
    );
  }
  return {
    folder,
    caCert: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    otherCaCert: file('other-ca.crt'),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
