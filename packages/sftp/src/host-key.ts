import { createHash } from 'node:crypto';
import type { ServerHostKeyAlgorithm } from 'ssh2';

/** `SHA256:` and the unpadded base64 of a 32-byte digest, 43 characters. */
const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;

/**
 * Compute the OpenSSH SHA256 fingerprint of a public key blob (the SSH wire encoding that
 * ssh2's `hostVerifier` receives and that known_hosts stores in base64): `SHA256:` and the
 * base64 of the SHA-256 digest without `=` padding, exactly as `ssh-keygen -lf` prints it.
 */
export function sshFingerprint(keyBlob: Uint8Array): string {
  const digest = createHash('sha256').update(keyBlob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** Tell whether a value has the shape of an OpenSSH SHA256 fingerprint. */
export function isSshFingerprint(value: string): boolean {
  return FINGERPRINT_PATTERN.test(value);
}

/**
 * Read the key type from a public key blob: the blob starts with a uint32 length and the type
 * name, such as `ssh-ed25519`. Returns undefined for a blob too short to hold one.
 */
export function readKeyType(keyBlob: Uint8Array): string | undefined {
  if (keyBlob.length < 4) return undefined;
  const view = new DataView(keyBlob.buffer, keyBlob.byteOffset, keyBlob.byteLength);
  const length = view.getUint32(0);
  if (length === 0 || length > 64 || 4 + length > keyBlob.length) return undefined;
  const type = Buffer.from(keyBlob.subarray(4, 4 + length)).toString('latin1');
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

/**
 * Server host key algorithms in ssh2 1.17's default order of preference. A host key type that
 * known_hosts lists for the server is moved to the front, so that the server presents a key
 * the file can confirm.
 */
export const DEFAULT_HOST_KEY_ALGORITHMS: readonly ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Order host key algorithms so that those able to present one of `knownKeyTypes` come first. */
export function preferHostKeyAlgorithms(knownKeyTypes: Iterable<string>): ServerHostKeyAlgorithm[] {
  const preferred = new Set<string>();
  for (const keyType of knownKeyTypes) {
    // An `ssh-rsa` key is signed with any of the three RSA algorithms.
    const algorithms =
      keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
    for (const algorithm of algorithms) {
      preferred.add(algorithm);
    }
  }
  const first = DEFAULT_HOST_KEY_ALGORITHMS.filter((algorithm) => preferred.has(algorithm));
  const rest = DEFAULT_HOST_KEY_ALGORITHMS.filter((algorithm) => !preferred.has(algorithm));
  return [...first, ...rest];
}
