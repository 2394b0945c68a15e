import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors';
import { formatKeyPath, parseYamlDocument } from './yaml-document';

/** Principal names follow the same rule as catalog names, so they can appear in grants as-is. */
const principalName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be lower case letters, digits, "_" or "-", starting with a letter');

const principalSchema = z
  .object({
    /** `admin` may read and write everything; `steward` describes datasets; `user` gets grants. */
    role: z.enum(['admin', 'steward', 'user']).default('user'),
    groups: z.array(principalName).default([]),
    description: z.string().optional(),
  })
  .strict();

const keysSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('none') }).strict(),
  z.object({ provider: z.literal('file'), path: z.string().min(1) }).strict(),
  z.object({ provider: z.literal('kms'), keyId: z.string().min(1) }).strict(),
]);

const awsSchema = z
  .object({
    region: z.string().min(1),
    bucket: z.string().min(3),
    prefix: z.string().default(''),
    endpoint: z.url().optional(),
    forcePathStyle: z.boolean().default(false),
  })
  .strict();

export const configSchema = z
  .object({
    backend: z.enum(['local', 'aws']).default('local'),
    lake: z.object({ root: z.string().min(1).default('./.carelake') }).strict().default({ root: './.carelake' }),
    keys: keysSchema.default({ provider: 'none' }),
    principals: z.record(principalName, principalSchema).default({}),
    groups: z.record(principalName, z.object({ description: z.string().optional() }).strict()).default({}),
    defaults: z
      .object({ principal: principalName.optional() })
      .strict()
      .default({}),
    query: z
      .object({
        threads: z.number().int().min(1).max(256).optional(),
        memoryLimit: z
          .string()
          .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/, 'must be a size such as 512MB or 2GiB')
          .optional(),
      })
      .strict()
      .default({}),
    aws: awsSchema.optional(),
  })
  .strict();

export type CarelakeConfig = z.output<typeof configSchema>;
export type PrincipalConfig = z.output<typeof principalSchema>;

export interface LoadedConfig extends CarelakeConfig {
  /** Absolute path of the lake folder, resolved against the config file's folder. */
  lakeRoot: string;
  /** The config file read, or undefined when none was found and defaults apply. */
  sourceFile: string | undefined;
}

export interface LoadConfigOptions {
  /** Folder to look for `carelake.yaml` in; defaults to the working directory. */
  cwd?: string;
  /** Explicit config file; a missing file is then an error. */
  file?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Environment variables that override the file. Each maps to one key path, so
 * an invalid value is reported against that key like a value from the file.
 */
const ENV_OVERRIDES: ReadonlyArray<{ name: string; keyPath: string[]; parse?: (v: string) => unknown }> = [
  { name: 'CARELAKE_BACKEND', keyPath: ['backend'] },
  { name: 'CARELAKE_LAKE_ROOT', keyPath: ['lake', 'root'] },
  { name: 'CARELAKE_PRINCIPAL', keyPath: ['defaults', 'principal'] },
  { name: 'CARELAKE_QUERY_THREADS', keyPath: ['query', 'threads'], parse: Number },
  { name: 'CARELAKE_QUERY_MEMORY_LIMIT', keyPath: ['query', 'memoryLimit'] },
];

/** Read `carelake.yaml`, apply environment overrides and validate the result. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const file = options.file ? resolve(cwd, options.file) : resolve(cwd, 'carelake.yaml');

  if (options.file && !existsSync(file)) {
    throw new ConfigError(`config file ${options.file} not found`, [], {
      hint: 'Pass the path of an existing carelake.yaml, or leave it out to use the defaults.',
    });
  }

  const raw: Record<string, unknown> = existsSync(file)
    ? (parseYamlDocument(readFileSync(file, 'utf8'), file, z.record(z.string(), z.unknown())) as Record<string, unknown>)
    : {};
  applyEnvOverrides(raw, env);

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issues: ConfigIssue[] = result.error.issues.map((issue) => ({
      keyPath: formatKeyPath(issue.path),
      message: issue.message,
    }));
    throw new ConfigError(`${existsSync(file) ? file : 'configuration'} has ${issues.length} invalid setting(s)`, issues);
  }

  const config = result.data;
  const problems = checkReferences(config);
  if (problems.length > 0) {
    throw new ConfigError(`${file} has ${problems.length} invalid setting(s)`, problems);
  }

  const base = existsSync(file) ? dirname(file) : cwd;
  return { ...config, lakeRoot: resolve(base, config.lake.root), sourceFile: existsSync(file) ? file : undefined };
}

function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  for (const override of ENV_OVERRIDES) {
    const value = env[override.name];
    if (value === undefined || value === '') continue;
    let target = raw;
    for (const key of override.keyPath.slice(0, -1)) {
      const next = target[key];
      target[key] = next && typeof next === 'object' ? next : {};
      target = target[key] as Record<string, unknown>;
    }
    target[override.keyPath[override.keyPath.length - 1] as string] = override.parse ? override.parse(value) : value;
  }
}

/** Checks that span keys: groups a principal names must be declared. */
function checkReferences(config: CarelakeConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, principal] of Object.entries(config.principals)) {
    principal.groups.forEach((group, index) => {
      if (!(group in config.groups)) {
        issues.push({
          keyPath: `principals.${name}.groups[${index}]`,
          message: `group "${group}" is not declared under groups (declared: ${Object.keys(config.groups).join(', ') || 'none'})`,
        });
      }
    });
  }
  const chosen = config.defaults.principal;
  if (chosen && chosen !== 'runner' && !(chosen in config.principals)) {
    issues.push({
      keyPath: 'defaults.principal',
      message: `principal "${chosen}" is not declared under principals (declared: ${Object.keys(config.principals).join(', ') || 'none'})`,
    });
  }
  if (config.backend === 'aws' && !config.aws) {
    issues.push({ keyPath: 'aws', message: 'is required when backend is aws (region and bucket)' });
  }
  return issues;
}
