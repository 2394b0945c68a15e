// Real: fingerprint and key type code on public keys made by ssh-keygen (OpenSSH 9.2), with the fingerprints it printed. Faked: nothing.
import { isSshFingerprint, preferHostKeyAlgorithms, readKeyType, sshFingerprint } from './host-key';
import {
  ED25519_FINGERPRINT,
  ED25519_PUBLIC,
  RSA_FINGERPRINT,
  RSA_PUBLIC,
} from './__fixtures__/keys';

describe('sshFingerprint', () => {
  it.each([
    { case: 'ed25519', blob: ED25519_PUBLIC, expected: ED25519_FINGERPRINT },
    { case: 'rsa 2048', blob: RSA_PUBLIC, expected: RSA_FINGERPRINT },
  ])('matches ssh-keygen -lf for $case', ({ blob, expected }) => {
    expect(sshFingerprint(Buffer.from(blob, 'base64'))).toBe(expected);
  });

  it('has no base64 padding', () => {
    expect(sshFingerprint(Buffer.from('x'))).not.toMatch(/=/);
  });
});

describe('isSshFingerprint', () => {
  it.each([
    {
      case: 'ssh-keygen output',
      value: 'SHA256:uRfo9xKwvfKKtr16LZ+70jbzoCxjAWGmYczkqvW0WWw',
      expected: true,
    },
    {
      case: 'padded',
      value: 'SHA256:uRfo9xKwvfKKtr16LZ+70jbzoCxjAWGmYczkqvW0WWw=',
      expected: false,
    },
    {
      case: 'md5 form',
      value: 'MD5:9d:2c:1f:00:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55',
      expected: false,
    },
    { case: 'no prefix', value: 'uRfo9xKwvfKKtr16LZ+70jbzoCxjAWGmYczkqvW0WWw', expected: false },
    {
      case: 'one character short',
      value: 'SHA256:uRfo9xKwvfKKtr16LZ+70jbzoCxjAWGmYczkqvW0WW',
      expected: false,
    },
  ])('$case is $expected', ({ value, expected }) => {
    expect(isSshFingerprint(value)).toBe(expected);
  });
});

describe('readKeyType', () => {
  it.each([
    { case: 'ed25519', blob: Buffer.from(ED25519_PUBLIC, 'base64'), expected: 'ssh-ed25519' },
    { case: 'rsa', blob: Buffer.from(RSA_PUBLIC, 'base64'), expected: 'ssh-rsa' },
    { case: 'too short', blob: Buffer.from([0, 0]), expected: undefined },
    { case: 'length past the end', blob: Buffer.from([0, 0, 0, 40, 0x61]), expected: undefined },
  ])('reads $case', ({ blob, expected }) => {
    expect(readKeyType(blob)).toBe(expected);
  });
});

describe('preferHostKeyAlgorithms', () => {
  it('puts the RSA algorithms first for an ssh-rsa key', () => {
    expect(preferHostKeyAlgorithms(['ssh-rsa']).slice(0, 3)).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
  });

  it('keeps every default algorithm once', () => {
    const ordered = preferHostKeyAlgorithms(['ecdsa-sha2-nistp384', 'sk-ssh-ed25519@openssh.com']);
    expect(ordered[0]).toBe('ecdsa-sha2-nistp384');
    expect(new Set(ordered).size).toBe(7);
    expect(ordered).not.toContain('sk-ssh-ed25519@openssh.com');
  });
});
