import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors';
import { formatKeyPath, parseYamlDocument, unknownKeyIssues } from './yaml-document';

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
  z
    .object({
      provider: z.literal('file'),
      /** The key file, resolved against the config file's folder. Keep it outside the lake folder. */
      path: z.string().min(1),
      /** Create a new random key when the file does not exist and the lake holds no data yet. */
      createIfMissing: z.boolean().default(false),
    })
    .strict(),
  z.object({ provider: z.literal('kms'), keyId: z.string().min(1) }).strict(),
]);

const awsSchema = z
  .object({
    region: z.string().min(1),
    bucket: z.string().min(3),
    prefix: z.string().default(''),
    endpoint: z.url().optional(),
    forcePathStyle: z.boolean().default(false),
    /** Bucket with S3 Object Lock that receives a locked copy of the audit chain. */
    auditBucket: z.string().min(3).optional(),
    /** Days each mirrored audit chunk stays locked; `carelake audit mirror` uses 2190 (six years) when absent. */
    auditRetentionDays: z.number().int().min(1).optional(),
    /** Athena settings of `carelake query` on the aws backend. */
    athena: z
      .object({
        /** Workgroup every query runs in; the CDK app in infra/ creates `carelake`. */
        workgroup: z.string().min(1).default('carelake'),
        /** Glue database for table names without a database; `clinical` when absent. */
        database: z.string().min(1).optional(),
        /** S3 URI of the result files, used only when the workgroup does not enforce its own. */
        outputLocation: z.string().regex(/^s3:\/\/[^/]+/, 'must be an S3 URI such as s3://bucket/athena-results/').optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** S3 storage classes a local storage tier may stand for, so that lifecycle policies map onto tiers. */
export const TIER_STORAGE_CLASSES = ['STANDARD_IA', 'INTELLIGENT_TIERING', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;

/** A local storage tier colder than the lake root, which is the hot tier and stands for STANDARD. */
const storageTierSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be lower case letters, digits, "_" or "-", starting with a letter')
      .refine((name) => name !== 'hot', 'is reserved for the lake root, which is the hot tier'),
    /** Folder of the tier, resolved against the config file's folder like lake.root. */
    path: z.string().min(1),
    /** S3 storage classes the tier stands for; a lifecycle transition to one of them moves data here. */
    storageClasses: z.array(z.enum(TIER_STORAGE_CLASSES)).min(1),
    /** Zstandard level (1 to 22) of the files lifecycle rewrites into the tier. */
    zstdLevel: z.number().int().min(1).max(22).optional(),
  })
  .strict();

const storageSchema = z
  .object({ tiers: z.array(storageTierSchema).default([]) })
  .strict()
  .superRefine((storage, context) => {
    const owners = new Map<string, string>();
    storage.tiers.forEach((tier, index) => {
      if (storage.tiers.findIndex((other) => other.name === tier.name) < index) {
        context.addIssue({ code: 'custom', path: ['tiers', index, 'name'], message: `tier "${tier.name}" is declared twice` });
      }
      tier.storageClasses.forEach((storageClass, classIndex) => {
        const owner = owners.get(storageClass);
        if (owner !== undefined && owner !== tier.name) {
          context.addIssue({ code: 'custom', path: ['tiers', index, 'storageClasses', classIndex], message: `${storageClass} already belongs to tier "${owner}"; give each class one tier` });
        }
        owners.set(storageClass, tier.name);
      });
    });
  });

export const configSchema = z
  .object({
    backend: z.enum(['local', 'aws']).default('local'),
    lake: z
      .object({
        root: z.string().min(1).default('./.carelake'),
        /**
         * Parent folder of the private working files that hold plaintext: decrypted copies for the
         * query engine, DuckDB spill files, staged Parquet. Memory-backed /dev/shm by default when
         * the lake is encrypted, the system temporary folder otherwise.
         */
        scratchDir: z.string().min(1).optional(),
      })
      .strict()
      .default({ root: './.carelake' }),
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
    /** Local storage tiers, warmest first; without them lifecycle only expires data. */
    storage: storageSchema.default({ tiers: [] }),
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
    const found = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' ? unknownKeyIssues(configSchema, issue.path, issue.keys) : [{ path: issue.path, message: issue.message }],
    );
    const issues: ConfigIssue[] = found.map((issue) => ({ keyPath: formatKeyPath(issue.path), message: issue.message }));
    throw new ConfigError(`${existsSync(file) ? file : 'configuration'} has ${issues.length} invalid setting(s)`, issues);
  }

  const config = result.data;
  const problems = checkReferences(config);
  if (problems.length > 0) {
    throw new ConfigError(`${file} has ${problems.length} invalid setting(s)`, problems);
  }

  const base = existsSync(file) ? dirname(file) : cwd;
  // Paths in the file mean the same wherever the command runs from.
  const keys = config.keys.provider === 'file' ? { ...config.keys, path: resolve(base, config.keys.path) } : config.keys;
  const lake = config.lake.scratchDir ? { ...config.lake, scratchDir: resolve(base, config.lake.scratchDir) } : config.lake;
  const storage = { tiers: config.storage.tiers.map((tier) => ({ ...tier, path: resolve(base, tier.path) })) };
  return { ...config, keys, lake, storage, lakeRoot: resolve(base, config.lake.root), sourceFile: existsSync(file) ? file : undefined };
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
