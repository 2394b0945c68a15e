import { resolve } from 'node:path';
import { resolveSecret } from '@carelake/core';
import type { SecureVersion } from 'node:tls';
import type { MllpListenerTlsOptions } from './tls-options';

/** The `tls:` block of a pipeline's mllp source: file paths and a secret reference for the key. */
export interface MllpTlsFileSettings {
  /** Server certificate chain, a PEM file, relative to `baseDir`. */
  cert: string;
  /** Private key: a secret reference (`file:path`, `env:NAME`), read with `resolveSecret`. */
  key: string;
  /** CA certificates of the senders, a PEM file, relative to `baseDir`. */
  ca?: string;
  requestClientCert?: boolean;
  minVersion?: SecureVersion;
}

/**
 * Turn a pipeline's `tls:` block into listener options. The key is read now, so a missing or
 * world-readable key file fails before the listener starts. The certificate files are read
 * when the listener starts, and it names any that cannot be read.
 * @param baseDir folder of the pipeline file, which relative paths start from.
 * @throws SecretError when the key reference cannot be read.
 */
export function listenerTlsFromFiles(
  settings: MllpTlsFileSettings,
  baseDir: string,
  env: NodeJS.ProcessEnv = process.env,
): MllpListenerTlsOptions {
  return {
    cert: resolve(baseDir, settings.cert),
    key: resolveSecret(settings.key, { baseDir, env }),
    ...(settings.ca !== undefined ? { ca: resolve(baseDir, settings.ca) } : {}),
    ...(settings.requestClientCert !== undefined
      ? { requestClientCert: settings.requestClientCert }
      : {}),
    ...(settings.minVersion !== undefined ? { minVersion: settings.minVersion } : {}),
  };
}
