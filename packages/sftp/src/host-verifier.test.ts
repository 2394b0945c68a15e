// Real: host key checks on keys and known_hosts lines made by ssh-keygen (OpenSSH 9.2). Faked: no server; key blobs are passed in directly.
import { SftpHostKeyError } from './errors';
import { checkHostKey } from './host-verifier';
import { parseKnownHosts } from './known-hosts';
import {
  ED25519_FINGERPRINT,
  ED25519_PUBLIC as ED25519,
  HASHED_KNOWN_HOSTS as HASHED,
  RSA_FINGERPRINT,
  RSA_PUBLIC as RSA,
} from './__fixtures__/keys';

describe('checkHostKey', () => {
  const target = { host: '127.0.0.1', port: 2222 };
  const ed25519Blob = Buffer.from(ED25519, 'base64');
  const rsaBlob = Buffer.from(RSA, 'base64');

  it('accepts a pinned fingerprint', () => {
    expect(
      checkHostKey(
        { kind: 'fingerprint', fingerprints: [ED25519_FINGERPRINT] },
        ed25519Blob,
        target,
      ),
    ).toBeUndefined();
  });

  it('accepts a hashed known_hosts line', () => {
    const policy = {
      kind: 'known-hosts' as const,
      file: 'known_hosts',
      knownHosts: parseKnownHosts(HASHED),
    };
    expect(checkHostKey(policy, ed25519Blob, target)).toBeUndefined();
  });

  it('rejects a pin mismatch with the fingerprint seen', () => {
    const error = checkHostKey(
      { kind: 'fingerprint', fingerprints: [RSA_FINGERPRINT] },
      ed25519Blob,
      target,
    );

    expect(error).toBeInstanceOf(SftpHostKeyError);
    expect(error?.reason).toBe('changed');
    expect(error?.message).toBe(
      `host key of 127.0.0.1:2222 does not match the pinned hostKey ${RSA_FINGERPRINT}: ` +
        `the server presented ssh-ed25519 ${ED25519_FINGERPRINT}`,
    );
    expect(error?.hint).toContain(`hostKey: "${ED25519_FINGERPRINT}"`);
  });

  it('rejects an unknown host with the keyscan route', () => {
    const policy = {
      kind: 'known-hosts' as const,
      file: '/etc/carelake/known_hosts',
      knownHosts: parseKnownHosts(`example.org ssh-rsa ${RSA}\nbroken`),
    };

    const error = checkHostKey(policy, ed25519Blob, target);

    expect(error?.reason).toBe('unknown');
    expect(error?.fingerprint).toBe(ED25519_FINGERPRINT);
    expect(error?.hint).toContain(
      'ssh-keyscan -p 2222 -t ed25519 127.0.0.1 >> /etc/carelake/known_hosts',
    );
    expect(error?.hint).toContain('1 line(s) of /etc/carelake/known_hosts were skipped: line 2');
  });

  it('rejects a changed key naming the old lines', () => {
    const policy = {
      kind: 'known-hosts' as const,
      file: 'known_hosts',
      knownHosts: parseKnownHosts(`[127.0.0.1]:2222 ssh-rsa ${RSA}`),
    };

    const error = checkHostKey(policy, ed25519Blob, target);

    expect(error?.reason).toBe('changed');
    expect(error?.message).toContain('matches none of known_hosts lines 1');
    expect(error?.message).toContain(ED25519_FINGERPRINT);
  });

  it('rejects a revoked key even when also listed', () => {
    const text = `[127.0.0.1]:2222 ssh-rsa ${RSA}\n@revoked * ssh-rsa ${RSA}`;
    const policy = {
      kind: 'known-hosts' as const,
      file: 'known_hosts',
      knownHosts: parseKnownHosts(text),
    };

    const error = checkHostKey(policy, rsaBlob, target);

    expect(error?.reason).toBe('revoked');
    expect(error?.message).toContain('revoked by known_hosts line 2');
  });
});
