import { SftpHostKeyError, type SftpErrorTarget } from './errors';
import { readKeyType, sshFingerprint } from './host-key';
import { findHostKeys, type KnownHosts } from './known-hosts';

/** Policy that confirms a server's host key. There is deliberately no policy that accepts any key. */
export type HostKeyPolicy =
  | { kind: 'fingerprint'; fingerprints: readonly string[] }
  | { kind: 'known-hosts'; file: string; knownHosts: KnownHosts };

/**
 * Check the host key blob a server presented against the policy. Returns the error to raise
 * when the key is not accepted, or undefined when it is.
 */
export function checkHostKey(
  policy: HostKeyPolicy,
  keyBlob: Buffer,
  target: SftpErrorTarget,
): SftpHostKeyError | undefined {
  const fingerprint = sshFingerprint(keyBlob);
  const keyType = readKeyType(keyBlob) ?? 'unknown-key-type';
  const server = `${target.host}:${target.port}`;
  const presented = `the server presented ${keyType} ${fingerprint}`;
  const details = { keyType, fingerprint };

  if (policy.kind === 'fingerprint') {
    if (policy.fingerprints.includes(fingerprint)) return undefined;
    return new SftpHostKeyError(
      `host key of ${server} does not match the pinned hostKey ${policy.fingerprints.join(', ')}: ${presented}`,
      target,
      { ...details, reason: 'changed' },
      {
        hint:
          'This can be a man-in-the-middle attack or a replaced server key. Confirm the new ' +
          `fingerprint with the server's operator before you pin it with hostKey: "${fingerprint}"`,
      },
    );
  }

  const { accepted, revoked } = findHostKeys(policy.knownHosts, target.host, target.port);
  const revokedEntry = revoked.find((entry) => entry.keyBlob.equals(keyBlob));
  if (revokedEntry) {
    return new SftpHostKeyError(
      `host key of ${server} is revoked by ${policy.file} line ${revokedEntry.line}: ${presented}`,
      target,
      { ...details, reason: 'revoked' },
      { hint: "A revoked key is never accepted. Ask the server's operator to replace it." },
    );
  }
  if (accepted.some((entry) => entry.keyBlob.equals(keyBlob))) return undefined;

  const keyscan = keyscanCommand(target, keyType, policy.file);
  const skippedNote = describeSkipped(policy);
  if (accepted.length === 0) {
    return new SftpHostKeyError(
      `host key of ${server} is unknown: ${policy.file} has no line for it, and ${presented}`,
      target,
      { ...details, reason: 'unknown' },
      {
        hint:
          `Compare ${fingerprint} with the fingerprint the server's operator gives you, then pin it ` +
          `with hostKey: "${fingerprint}" or add it to known_hosts with: ${keyscan}${skippedNote}`,
      },
    );
  }
  const lines = accepted.map((entry) => entry.line).join(', ');
  return new SftpHostKeyError(
    `host key of ${server} changed: it matches none of ${policy.file} lines ${lines}, and ${presented}`,
    target,
    { ...details, reason: 'changed' },
    {
      hint:
        'This can be a man-in-the-middle attack or a replaced server key. Confirm the new ' +
        `fingerprint with the server's operator before you replace lines ${lines} with the output of: ${keyscan}${skippedNote}`,
    },
  );
}

/** Build the `ssh-keyscan` command that appends the known_hosts line for the presented key type. */
function keyscanCommand(target: SftpErrorTarget, keyType: string, file: string): string {
  return `ssh-keyscan -p ${target.port} -t ${keyscanTypeName(keyType)} ${target.host} >> ${file}`;
}

/** Map a key type to the name `ssh-keyscan -t` takes: `ssh-ed25519` to `ed25519`, any ECDSA curve to `ecdsa`. */
function keyscanTypeName(keyType: string): string {
  if (keyType.startsWith('ecdsa-')) return 'ecdsa';
  if (keyType === 'ssh-dss') return 'dsa';
  return keyType.replace(/^ssh-/, '');
}

function describeSkipped(policy: { file: string; knownHosts: KnownHosts }): string {
  const skipped = policy.knownHosts.skipped;
  if (skipped.length === 0) return '';
  const first = skipped
    .slice(0, 3)
    .map((line) => `line ${line.line} (${line.reason})`)
    .join(', ');
  const more = skipped.length > 3 ? ` and ${skipped.length - 3} more` : '';
  return `. ${skipped.length} line(s) of ${policy.file} were skipped: ${first}${more}`;
}
