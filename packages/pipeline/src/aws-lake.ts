import { tmpdir } from 'node:os';
import { GlueClient } from '@aws-sdk/client-glue';
import { systemClock, type LoadedConfig } from '@carelake/core';
import { cliAuditMirrorPrefix, type AuditMirrorResult } from '@carelake/audit';
import { GlueCatalog } from '@carelake/catalog';
import { S3ObjectStore, createS3Client } from '@carelake/storage';
import { TableStore, type DuckDbLimits } from '@carelake/tables';
import { HOLD_TAG_KEY, HOLD_TAG_NOT_HELD } from '@carelake/lifecycle';
import { checkAwsLakeConfig } from './aws-lake-config';
import { openLocalLake, type Lake, type OpenLakeOptions } from './lake';
import { MirroredAuditLog } from './mirrored-audit-log';
import { openScratchSession } from './scratch';
import { UnavailableSavedQueryStore } from './unavailable-saved-queries';

export interface OpenAwsLakeOptions extends OpenLakeOptions {
  /**
   * Parent folder of the scratch and audit folders: `lake.scratchDir` when set, else the system
   * temporary folder, which is /tmp on Lambda, the only writable folder there.
   */
  scratchParent?: string;
  /**
   * Key prefix of the audit mirror inside `aws.auditBucket`: the CLI's, `<aws.prefix>_audit/cli/`,
   * by default. A deployed runner passes its pipeline's (`pipelineAuditMirrorPrefix`).
   * `carelake audit query` reads both.
   */
  auditMirrorPrefix?: string;
}

/** A lake on the aws backend, whose audit chain lives in a local folder until it is mirrored. */
export interface AwsLake extends Lake {
  /** Copy the audit events written so far to `aws.auditBucket`; `close` does it too. */
  mirrorAudit(): Promise<AuditMirrorResult>;
}

/**
 * Open the lake of a configuration on its backend: `openLocalLake` or `openAwsLake`.
 * @throws ConfigError for settings the backend cannot run with.
 */
export async function openLake(config: LoadedConfig, options: OpenAwsLakeOptions = {}): Promise<Lake> {
  return config.backend === 'aws' ? openAwsLake(config, options) : openLocalLake(config, options);
}

/**
 * Open the lake in S3. Objects go to `aws.bucket` under `aws.prefix`, each written with SSE-KMS
 * under `keys.keyId`, and tables and partitions to the Glue Data Catalog. The audit chain is
 * written to a private local folder and copied to the Object Lock bucket `aws.auditBucket` by
 * `close` and `mirrorAudit`. Plaintext working files (downloaded Parquet, DuckDB spill files)
 * stay in a private scratch folder. `close` rejects when the audit copy fails, and then keeps
 * the local audit folder.
 * @throws ConfigError naming `aws`, `aws.auditBucket`, `aws.endpoint` or `keys.provider`.
 */
export async function openAwsLake(config: LoadedConfig, options: OpenAwsLakeOptions = {}): Promise<AwsLake> {
  const settings = checkAwsLakeConfig(config);
  // checkAwsLakeConfig has checked aws.endpoint, and createS3Client checks it again.
  const s3 = createS3Client({
    region: settings.region,
    ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
  });
  // aws.endpoint names an S3 endpoint, so Glue never gets it and is reached at the region's own HTTPS endpoint.
  const glue = new GlueClient({ region: settings.region });
  const clock = options.clock ?? systemClock;
  const parent = options.scratchParent ?? config.lake.scratchDir ?? tmpdir();

  const scratch = await openScratchSession(parent, options.logger);
  let openedAudit: MirroredAuditLog | undefined;
  try {
    const audit = await MirroredAuditLog.open({
      parentDir: parent,
      client: s3,
      bucket: settings.auditBucket,
      prefix: options.auditMirrorPrefix ?? cliAuditMirrorPrefix(settings.prefix),
      retentionDays: settings.auditRetentionDays,
      kmsKeyId: settings.kmsKeyId,
      clock,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    openedAudit = audit;
    const duckdb: DuckDbLimits = {
      ...(config.query.threads !== undefined ? { threads: config.query.threads } : {}),
      ...(config.query.memoryLimit !== undefined ? { memoryLimit: config.query.memoryLimit } : {}),
      scratchDir: scratch.dir,
    };
    const store = new S3ObjectStore({
      client: s3,
      bucket: settings.bucket,
      prefix: settings.prefix,
      materializeDir: scratch.dir,
      encryption: { kmsKeyId: settings.kmsKeyId, bucketKey: true },
    });
    const catalog = new GlueCatalog({ client: glue, bucket: settings.bucket, prefix: settings.prefix });
    // S3 storage classes take the place of local tiers, so every object stays in the one store.
    // The bucket's lifecycle rules act only on objects tagged as not held, so every data file is
    // tagged when written; placing a legal hold retags the files it covers.
    const tables = await TableStore.open({ store, clock, duckdb, dataFileTags: { [HOLD_TAG_KEY]: HOLD_TAG_NOT_HELD } });

    return {
      root: `s3://${settings.bucket}/${settings.prefix}`,
      store,
      tables,
      catalog,
      savedQueries: new UnavailableSavedQueryStore(),
      audit: audit.log,
      clock,
      duckdb,
      // S3 encrypts the objects with the KMS key, so the lake has no key provider of its own.
      keys: undefined,
      scratchDir: scratch.dir,
      mirrorAudit: () => audit.mirror(),
      async close() {
        try {
          // The audit copy runs even when closing the tables fails, so that no event is left behind.
          await runAll([() => tables.close(), () => catalog.close(), () => audit.close()]);
        } finally {
          await scratch.close();
          s3.destroy();
          glue.destroy();
        }
      },
    };
  } catch (error) {
    await openedAudit?.discard();
    await scratch.close();
    s3.destroy();
    glue.destroy();
    throw error;
  }
}

/** Run every step, even after one fails, then throw the failure, or an AggregateError of several. */
async function runAll(steps: Array<() => Promise<unknown>>): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} steps of closing the lake failed`);
}
