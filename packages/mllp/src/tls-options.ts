import { readFileSync } from 'node:fs';
import type { SecureVersion } from 'node:tls';
import type { ConfigIssue } from '@carelake/core';

/** A PEM value: the path of a PEM file, or its contents. */
export type PemSource = string | Buffer;

/** TLS for the listener. Without it the listener speaks plain TCP. */
export interface MllpListenerTlsOptions {
  /** Server certificate chain, PEM. */
  cert: PemSource;
  /** Private key of `cert`, PEM. */
  key: PemSource;
  /** CA certificates that client certificates must chain to; Node's default CAs when absent. */
  ca?: PemSource;
  /** Require each client to present a certificate that chains to `ca`; the handshake fails without one. */
  requestClientCert?: boolean;
  /** Oldest TLS version accepted; 'TLSv1.2' by default. */
  minVersion?: SecureVersion;
}

/** TLS for the client. The listener's certificate is always verified; there is no opt-out. */
export interface MllpClientTlsOptions {
  /** CA certificates the listener's certificate must chain to, PEM. */
  ca: PemSource;
  /** Client certificate, for a listener that requests one. */
  cert?: PemSource;
  key?: PemSource;
  /** Host name to verify the certificate against (and send as SNI); the connection host by default. */
  servername?: string;
}

/** Read a PEM option, adding an issue naming `keyPath` when the file cannot be read. */
export function readPem(
  issues: ConfigIssue[],
  keyPath: string,
  source: PemSource | undefined,
  required = false,
): Buffer | undefined {
  if (source === undefined) {
    if (required)
      issues.push({
        keyPath,
        message: 'is required: the path of a PEM file or a Buffer of PEM text',
      });
    return undefined;
  }
  if (Buffer.isBuffer(source)) return source;
  if (typeof source !== 'string' || source === '') {
    issues.push({ keyPath, message: 'must be the path of a PEM file or a Buffer of PEM text' });
    return undefined;
  }
  try {
    return readFileSync(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read failed';
    issues.push({ keyPath, message: `cannot read PEM file ${source}: ${code}` });
    return undefined;
  }
}

const SECURE_VERSIONS: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** The listener's TLS settings with every PEM read, ready for `tls.createServer`. */
export interface ResolvedListenerTls {
  cert: Buffer;
  key: Buffer;
  ca: Buffer | undefined;
  requestClientCert: boolean;
  minVersion: SecureVersion;
}

export function resolveListenerTls(
  issues: ConfigIssue[],
  tls: MllpListenerTlsOptions,
): ResolvedListenerTls | undefined {
  const cert = readPem(issues, 'tls.cert', tls.cert, true);
  const key = readPem(issues, 'tls.key', tls.key, true);
  const ca = readPem(issues, 'tls.ca', tls.ca);
  const minVersion = tls.minVersion ?? 'TLSv1.2';
  if (!SECURE_VERSIONS.includes(minVersion)) {
    issues.push({
      keyPath: 'tls.minVersion',
      message: `must be one of ${SECURE_VERSIONS.join(', ')}, got ${String(minVersion)}`,
    });
  }
  const requestClientCert = tls.requestClientCert ?? false;
  if (requestClientCert && ca === undefined && tls.ca === undefined) {
    issues.push({
      keyPath: 'tls.ca',
      message: 'is required with requestClientCert, to verify client certificates',
    });
  }
  if (cert === undefined || key === undefined) return undefined;
  return { cert, key, ca, requestClientCert, minVersion };
}
