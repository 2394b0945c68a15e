import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { CarelakeError } from './errors';

/** Raised when a secret reference cannot be read. The message names the reference, never the secret. */
export class SecretError extends CarelakeError {}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

/**
 * A secret as pipeline and configuration files name it: `env:NAME`, `file:path` (relative to the
 * file that names it, or `~/` for the home folder), or an AWS Secrets Manager ARN. Anything else,
 * such as a password written out, is rejected, so that no secret sits in a file under version
 * control.
 */
export const secretReferenceSchema = z.string().refine(isSecretReference, {
  error: 'must be a secret reference: env:NAME, file:path or an AWS Secrets Manager ARN, never the secret itself',
});

export function isSecretReference(value: string): boolean {
  if (value.startsWith('env:')) return ENV_NAME.test(value.slice(4));
  if (value.startsWith('file:')) return value.length > 5;
  return SECRETS_MANAGER_ARN.test(value);
}

export interface ResolveSecretOptions {
  /** Folder a relative `file:` path is read from: the folder of the file that names it. */
  baseDir: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads the secret a reference points to. A `file:` secret must be readable by its owner only,
 * as OpenSSH demands of private keys. Secrets Manager ARNs need the AWS backend.
 */
export function resolveSecret(reference: string, options: ResolveSecretOptions): Buffer {
  if (reference.startsWith('env:')) {
    const name = reference.slice(4);
    const value = (options.env ?? process.env)[name];
    if (value === undefined || value === '') {
      throw new SecretError(`secret ${reference}: the environment variable ${name} is not set`, {
        hint: `Set ${name} in the environment of the process that runs the pipeline.`,
      });
    }
    return Buffer.from(value, 'utf8');
  }

  if (reference.startsWith('file:')) return readSecretFile(reference, secretPathOf(reference.slice(5), options.baseDir));

  // NOTE: the local backend does not call Secrets Manager, so only the AWS runners resolve ARNs.
  throw new SecretError(`secret ${reference}: Secrets Manager references need the aws backend`, {
    hint: 'Locally, use env:NAME or file:path.',
  });
}

function secretPathOf(path: string, baseDir: string): string {
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function readSecretFile(reference: string, path: string): Buffer {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    throw new SecretError(`secret ${reference}: the file is missing or unreadable`, {
      cause: error,
      hint: 'Check the path; a relative path is read from the folder of the file that names it.',
    });
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new SecretError(`secret ${reference}: the file can be read by other users (mode ${(mode & 0o777).toString(8)})`, {
      hint: 'Make it readable by its owner only, for example with chmod 600.',
    });
  }
  return readFileSync(path);
}
