import { readFile } from 'node:fs/promises';
import { ConfigError, type ConfigIssue } from '@carelake/core';
import { isSshFingerprint } from './host-key';
import type { HostKeyPolicy } from './host-verifier';
import { parseKnownHosts } from './known-hosts';

/**
 * Address, credentials and host key check of one SFTP server. Secrets are values the caller has already
 * resolved from `env:` or `file:` references; they are passed to ssh2 and never logged.
 * Exactly one of `hostKey` and `knownHostsFile` confirms the server's identity.
 */
export interface SftpConnectOptions {
  host: string;
  /** TCP port; 22 by default. */
  port?: number;
  username: string;
  /** Private key text (OpenSSH, PEM or PPK), not a path. */
  privateKey?: string | Buffer;
  /** Passphrase of an encrypted `privateKey`. */
  passphrase?: string;
  /** Path of an ssh-agent socket, such as the value of SSH_AUTH_SOCK. */
  agent?: string;
  password?: string;
  /**
   * Pinned host key fingerprint in OpenSSH's SHA256 form, as `ssh-keygen -lf` prints it
   * (`SHA256:` and 43 base64 characters). A list accepts any of its keys, for a key rotation.
   */
  hostKey?: string | readonly string[];
  /** Path of an OpenSSH known_hosts file that lists the server's key. */
  knownHostsFile?: string;
  /** Maximum time for the SSH handshake and authentication. Default 20 000. */
  readyTimeoutMs?: number;
  /** Interval of SSH keepalive messages that detect a dead peer; 0 turns them off. Default 15 000. */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives after which the connection counts as lost. Default 3. */
  keepaliveCountMax?: number;
}

export interface ResolvedConnectOptions {
  host: string;
  port: number;
  username: string;
  privateKey: string | Buffer | undefined;
  passphrase: string | undefined;
  agent: string | undefined;
  password: string | undefined;
  hostKey: readonly string[] | undefined;
  knownHostsFile: string | undefined;
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export const DEFAULT_SFTP_PORT = 22;
export const DEFAULT_READY_TIMEOUT_MS = 20_000;
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 15_000;
export const DEFAULT_KEEPALIVE_COUNT_MAX = 3;

/**
 * Fill in defaults and check every connection option.
 * @throws ConfigError listing each invalid option by name.
 */
export function resolveConnectOptions(options: SftpConnectOptions): ResolvedConnectOptions {
  const hostKey = options.hostKey === undefined ? undefined : [options.hostKey].flat();
  const resolved: ResolvedConnectOptions = {
    host: options.host,
    port: options.port ?? DEFAULT_SFTP_PORT,
    username: options.username,
    privateKey: options.privateKey,
    passphrase: options.passphrase,
    agent: options.agent,
    password: options.password,
    hostKey,
    knownHostsFile: options.knownHostsFile,
    readyTimeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: options.keepaliveCountMax ?? DEFAULT_KEEPALIVE_COUNT_MAX,
  };

  const issues: ConfigIssue[] = [];
  if (typeof resolved.host !== 'string' || resolved.host === '') {
    issues.push({ keyPath: 'host', message: 'must be a host name or IP address' });
  }
  checkInteger(issues, 'port', resolved.port, 1, 65535);
  if (typeof resolved.username !== 'string' || resolved.username === '') {
    issues.push({ keyPath: 'username', message: 'must be the SSH user name' });
  }
  checkCredentials(issues, resolved);
  checkHostKeyOptions(issues, resolved);
  checkInteger(issues, 'readyTimeoutMs', resolved.readyTimeoutMs, 1, 2 ** 31 - 1);
  checkInteger(issues, 'keepaliveIntervalMs', resolved.keepaliveIntervalMs, 0, 2 ** 31 - 1);
  checkInteger(issues, 'keepaliveCountMax', resolved.keepaliveCountMax, 1, 1000);

  if (issues.length > 0) {
    throw new ConfigError(`invalid SFTP connection options: ${issues.length} problem(s)`, issues);
  }
  return resolved;
}

function checkCredentials(issues: ConfigIssue[], resolved: ResolvedConnectOptions): void {
  const { privateKey, passphrase, agent, password } = resolved;
  if (privateKey !== undefined && typeof privateKey !== 'string' && !Buffer.isBuffer(privateKey)) {
    issues.push({
      keyPath: 'privateKey',
      message: 'must be the private key text, not a path or an object',
    });
  }
  if (passphrase !== undefined && privateKey === undefined) {
    issues.push({ keyPath: 'passphrase', message: 'is set but privateKey is not' });
  }
  if (agent !== undefined && (typeof agent !== 'string' || agent === '')) {
    issues.push({ keyPath: 'agent', message: 'must be the path of an ssh-agent socket' });
  }
  if (password !== undefined && typeof password !== 'string') {
    issues.push({ keyPath: 'password', message: 'must be a string' });
  }
  if (privateKey === undefined && agent === undefined && password === undefined) {
    issues.push({
      keyPath: 'privateKey',
      message: 'missing credentials: set privateKey, agent or password',
    });
  }
}

function checkHostKeyOptions(issues: ConfigIssue[], resolved: ResolvedConnectOptions): void {
  const { hostKey, knownHostsFile } = resolved;
  if (hostKey === undefined && knownHostsFile === undefined) {
    issues.push({
      keyPath: 'hostKey',
      message:
        'the server cannot be verified: set hostKey to its SHA256 fingerprint (ssh-keygen -lf) ' +
        'or knownHostsFile to a known_hosts file that lists it',
    });
    return;
  }
  if (hostKey !== undefined && knownHostsFile !== undefined) {
    issues.push({ keyPath: 'hostKey', message: 'set either hostKey or knownHostsFile, not both' });
  }
  if (hostKey !== undefined) {
    if (hostKey.length === 0)
      issues.push({ keyPath: 'hostKey', message: 'must list at least one fingerprint' });
    hostKey.forEach((fingerprint, index) => {
      if (typeof fingerprint === 'string' && isSshFingerprint(fingerprint)) return;
      const keyPath =
        Array.isArray(hostKey) && hostKey.length > 1 ? `hostKey[${index}]` : 'hostKey';
      issues.push({
        keyPath,
        message: `must be an OpenSSH SHA256 fingerprint such as SHA256:uRfo9xKwvfKKtr16LZ+70jbzoCxjAWGmYczkqvW0WWw (as ssh-keygen -lf prints it), got ${describeValue(fingerprint)}`,
      });
    });
  }
  if (
    knownHostsFile !== undefined &&
    (typeof knownHostsFile !== 'string' || knownHostsFile === '')
  ) {
    issues.push({ keyPath: 'knownHostsFile', message: 'must be the path of a known_hosts file' });
  }
}

/**
 * Build the host key policy, reading the known_hosts file when one is named.
 * @throws ConfigError when the known_hosts file cannot be read.
 */
export async function loadHostKeyPolicy(resolved: ResolvedConnectOptions): Promise<HostKeyPolicy> {
  if (resolved.knownHostsFile === undefined) {
    return { kind: 'fingerprint', fingerprints: resolved.hostKey ?? [] };
  }
  let text: string;
  try {
    text = await readFile(resolved.knownHostsFile, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError('invalid SFTP connection options: 1 problem(s)', [
      { keyPath: 'knownHostsFile', message: `cannot be read: ${reason}` },
    ]);
  }
  return { kind: 'known-hosts', file: resolved.knownHostsFile, knownHosts: parseKnownHosts(text) };
}

/** Add an issue unless `value` is an integer from `min` to `max`. */
export function checkInteger(
  issues: ConfigIssue[],
  keyPath: string,
  value: number,
  min: number,
  max: number,
): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    issues.push({
      keyPath,
      message: `must be an integer from ${min} to ${max}, got ${String(value)}`,
    });
  }
}

/** Describe a rejected fingerprint value: a short string as is, anything else by its type. */
function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return value.length <= 80 ? JSON.stringify(value) : `a ${value.length}-character string`;
  return typeof value;
}
