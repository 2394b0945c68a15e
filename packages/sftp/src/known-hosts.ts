import { createHmac, timingSafeEqual } from 'node:crypto';
import { readKeyType } from './host-key';

/** Hosts a known_hosts line applies to. */
export type KnownHostsHosts =
  | { kind: 'patterns'; patterns: readonly string[] }
  | { kind: 'hashed'; salt: Buffer; hash: Buffer };

/** One usable line of a known_hosts file. */
export interface KnownHostsEntry {
  /** 1-based line number in the file. */
  line: number;
  /** Whether the line is marked `@revoked`: its key is rejected for every host. */
  revoked: boolean;
  hosts: KnownHostsHosts;
  /** Key type, such as `ssh-ed25519`. */
  keyType: string;
  /** Public key blob in SSH wire encoding, decoded from the line's base64. */
  keyBlob: Buffer;
}

/** A line that was not used, with the reason. */
export interface SkippedKnownHostsLine {
  line: number;
  reason: string;
}

export interface KnownHosts {
  entries: readonly KnownHostsEntry[];
  skipped: readonly SkippedKnownHostsLine[];
}

/** Keys known_hosts lists for one host and port. */
export interface HostKeysFound {
  accepted: readonly KnownHostsEntry[];
  revoked: readonly KnownHostsEntry[];
}

const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parse the text of an OpenSSH known_hosts file: plain host patterns (comma lists, `*` and `?`
 * wildcards, `!` negation, `[host]:port`), hashed `|1|salt|hash` hosts, and `@revoked` lines.
 * Comments and blank lines are ignored. Lines that cannot be used are listed in `skipped`
 * rather than failing the whole file, as OpenSSH does.
 */
export function parseKnownHosts(text: string): KnownHosts {
  const entries: KnownHostsEntry[] = [];
  const skipped: SkippedKnownHostsLine[] = [];
  const lines = text.split(/\r?\n/);

  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const trimmed = (lines[index] ?? '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;

    const fields = trimmed.split(/\s+/);
    let revoked = false;
    if (fields[0]?.startsWith('@')) {
      const marker = fields.shift();
      if (marker === '@cert-authority') {
        // NOTE: host certificates are not verified. ssh2 never requests one from a server, so a
        // certificate authority line could not confirm any key and is skipped.
        skipped.push({
          line,
          reason: '@cert-authority lines are not supported (host certificates are not used)',
        });
        continue;
      }
      if (marker !== '@revoked') {
        skipped.push({
          line,
          reason: `unknown marker ${marker ?? ''}; expected @revoked or @cert-authority`,
        });
        continue;
      }
      revoked = true;
    }

    const [hostField, keyType, keyBase64] = fields;
    if (hostField === undefined || keyType === undefined || keyBase64 === undefined) {
      skipped.push({ line, reason: 'expected a host list, a key type and a base64 key' });
      continue;
    }
    const hosts = parseHosts(hostField);
    if (typeof hosts === 'string') {
      skipped.push({ line, reason: hosts });
      continue;
    }
    if (!BASE64_PATTERN.test(keyBase64)) {
      skipped.push({ line, reason: 'the key is not valid base64' });
      continue;
    }
    const keyBlob = Buffer.from(keyBase64, 'base64');
    const blobType = readKeyType(keyBlob);
    if (blobType !== keyType) {
      skipped.push({
        line,
        reason: `the key type field is ${keyType} but the key itself is ${blobType ?? 'unreadable'}`,
      });
      continue;
    }
    entries.push({ line, revoked, hosts, keyType, keyBlob });
  }
  return { entries, skipped };
}

function parseHosts(field: string): KnownHostsHosts | string {
  if (!field.startsWith('|')) {
    const patterns = field.split(',').filter((pattern) => pattern !== '');
    if (patterns.length === 0) return 'the host list is empty';
    return { kind: 'patterns', patterns };
  }
  const parts = field.split('|');
  if (parts.length !== 4 || parts[1] !== '1') {
    return 'a hashed host must have the form |1|salt|hash';
  }
  const salt = Buffer.from(parts[2] ?? '', 'base64');
  const hash = Buffer.from(parts[3] ?? '', 'base64');
  // OpenSSH hashes with HMAC-SHA1, so salt and hash are both 20 bytes.
  if (salt.length !== 20 || hash.length !== 20) {
    return 'a hashed host must have a 20-byte salt and a 20-byte HMAC-SHA1 hash';
  }
  return { kind: 'hashed', salt, hash };
}

/**
 * Return the name known_hosts uses for a server: the host alone on port 22, `[host]:port`
 * on any other port. Host names are compared in lower case.
 */
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** Tell whether a known_hosts entry applies to the server at `host` and `port`. */
export function entryMatchesHost(entry: KnownHostsEntry, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  if (entry.hosts.kind === 'hashed') {
    const actual = createHmac('sha1', entry.hosts.salt).update(name).digest();
    return timingSafeEqual(actual, entry.hosts.hash);
  }

  let matched = false;
  for (const pattern of entry.hosts.patterns) {
    const negated = pattern.startsWith('!');
    const body = (negated ? pattern.slice(1) : pattern).toLowerCase();
    if (!matchWildcard(body, name)) continue;
    // A matching negated pattern excludes the host from the whole line.
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/**
 * Collect the keys known_hosts accepts for the server at `host` and `port`, and every revoked
 * key. A revoked key is rejected for any host, whatever host list its line has. That is stricter
 * than OpenSSH, but it never accepts a key someone marked as compromised.
 */
export function findHostKeys(knownHosts: KnownHosts, host: string, port: number): HostKeysFound {
  const accepted: KnownHostsEntry[] = [];
  const revoked: KnownHostsEntry[] = [];
  for (const entry of knownHosts.entries) {
    if (entry.revoked) revoked.push(entry);
    else if (entryMatchesHost(entry, host, port)) accepted.push(entry);
  }
  return { accepted, revoked };
}

/** Match `*` (any run of characters) and `?` (one character), as OpenSSH host patterns do. */
function matchWildcard(pattern: string, value: string): boolean {
  const expression = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${expression}$`).test(value);
}
