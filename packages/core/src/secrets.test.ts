// Real: secret files in a temp folder and an environment object. Nothing is faked.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSecretReference, resolveSecret, SecretError } from './secrets';

describe('isSecretReference', () => {
  it.each([
    { case: 'an environment variable', value: 'env:PARTNER_PASSWORD', expected: true },
    { case: 'a relative file', value: 'file:keys/partner', expected: true },
    { case: 'a Secrets Manager ARN', value: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:sftp-abc', expected: true },
    { case: 'a password written out', value: 'hunter2', expected: false },
    { case: 'an empty file path', value: 'file:', expected: false },
    { case: 'an invalid variable name', value: 'env:1ST', expected: false },
    { case: 'an ARN of another service', value: 'arn:aws:s3:::bucket', expected: false },
  ])('$case', ({ value, expected }) => {
    expect(isSecretReference(value)).toBe(expected);
  });
});

describe('resolveSecret', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-secrets-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads an environment variable', () => {
    const secret = resolveSecret('env:SFTP_PASSWORD', { baseDir: folder, env: { SFTP_PASSWORD: 's3cret' } });

    expect(secret.toString('utf8')).toBe('s3cret');
  });

  it('names an unset variable', () => {
    expect(() => resolveSecret('env:SFTP_PASSWORD', { baseDir: folder, env: {} })).toThrow(
      'secret env:SFTP_PASSWORD: the environment variable SFTP_PASSWORD is not set',
    );
  });

  it('reads an owner-only relative file', async () => {
    await writeFile(join(folder, 'partner_key'), 'key bytes', { mode: 0o600 });

    expect(resolveSecret('file:partner_key', { baseDir: folder }).toString('utf8')).toBe('key bytes');
  });

  it('rejects a file others can read', async () => {
    const path = join(folder, 'partner_key');
    await writeFile(path, 'key bytes');
    await chmod(path, 0o644);

    expect(() => resolveSecret('file:partner_key', { baseDir: folder })).toThrow(/can be read by other users \(mode 644\)/);
  });

  it('reports a missing file as a SecretError', () => {
    expect(() => resolveSecret('file:absent', { baseDir: folder })).toThrow(SecretError);
  });

  it('leaves Secrets Manager ARNs to the aws backend', () => {
    expect(() =>
      resolveSecret('arn:aws:secretsmanager:eu-west-1:123456789012:secret:sftp-abc', { baseDir: folder }),
    ).toThrow(/need the aws backend/);
  });
});
