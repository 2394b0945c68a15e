import { CarelakeError } from './errors';
import type { CarelakeConfig } from './config';

/** The identity behind a read or write: a name from `carelake.yaml` locally, an IAM ARN on AWS. */
export interface Principal {
  name: string;
  role: 'admin' | 'steward' | 'user';
  groups: readonly string[];
}

/** The built-in principal the pipeline runner acts as. */
export const RUNNER: Principal = Object.freeze({ name: 'runner', role: 'admin', groups: [] });

/**
 * Pick the principal for a command: `--as NAME`, then `CARELAKE_PRINCIPAL`
 * (already folded into `defaults.principal` by the config loader), then the default.
 */
export function resolvePrincipal(config: CarelakeConfig, requested?: string): Principal {
  const name = requested ?? config.defaults.principal;
  if (!name) {
    throw new CarelakeError('no principal chosen', {
      hint: 'Pass --as NAME, set CARELAKE_PRINCIPAL, or set defaults.principal in carelake.yaml.',
    });
  }
  if (name === RUNNER.name) return RUNNER;

  const declared = config.principals[name];
  if (!declared) {
    const known = Object.keys(config.principals).join(', ') || 'none';
    throw new CarelakeError(`principal "${name}" is not declared in carelake.yaml`, {
      hint: `Declared principals: ${known}.`,
    });
  }
  return { name, role: declared.role, groups: declared.groups };
}
