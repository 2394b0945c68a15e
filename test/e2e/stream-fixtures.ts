import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseTableName, type Row } from '@carelake/core';
import {
  loadDatasets,
  openLocalLake,
  pipelineSchema,
  type Lake,
  type LoadedPipeline,
} from '@carelake/pipeline';
import type { KeyProvider } from '@carelake/storage';
import {
  closeDuckDb,
  commitPrefix,
  openDuckDb,
  snapshotSourceSql,
  type TableSnapshot,
} from '@carelake/tables';
import { REPO_ROOT } from './helpers';

/** The dataset files the repository ships. */
export const repositoryDatasets = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));

/** Segments of each `numberedAdt` message: MSH, EVN, PID and ZRC. */
export const SEGMENTS_PER_ADT = 4;

/**
 * Build a synthetic ADT^A08 numbered by its control id and a ZRC segment, for patient `patient`. No
 * real person's data: names and MRNs are made up.
 */
export function numberedAdt(number: number, patient: number): Uint8Array {
  const text = [
    `MSH|^~\\&|SEND|FAC|RECV|RFAC|20260304050607||ADT^A08^ADT_A01|CTL-${number}|P|2.5.1`,
    'EVN|A08|20260304050607',
    `PID|1||MRN${patient}^^^HOSP^MR||TESTPATIENT^ALEX||19800101|F`,
    `ZRC|${number}`,
  ].join('\r');
  return Buffer.from(text, 'utf8');
}

/** Build a stream pipeline over `stream`, writing raw.hl7v2_segments and clinical.patients. */
export function adtStreamPipeline(
  name: string,
  source: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): LoadedPipeline {
  const definition = pipelineSchema.parse({
    name,
    source: { type: 'kinesis', bufferSeconds: 0, ...source },
    decode: { format: 'hl7v2' },
    outputs: ['raw.hl7v2_segments', 'clinical.patients'],
    ...extra,
  });
  return {
    ...definition,
    file: join(REPO_ROOT, 'pipelines', `${name}.pipeline.yaml`),
    baseDir: join(REPO_ROOT, 'pipelines'),
  };
}

/** Open a local lake in a new temporary folder, with DuckDB kept small. */
export async function openTempLake(
  label: string,
): Promise<{ root: string; lake: Lake; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), `carelake-${label}-`));
  const config = loadConfig({
    cwd: root,
    env: {
      CARELAKE_LAKE_ROOT: root,
      CARELAKE_QUERY_THREADS: '1',
      CARELAKE_QUERY_MEMORY_LIMIT: '256MB',
    },
  });
  const lake = await openLocalLake(config);
  return {
    root,
    lake,
    async remove() {
      await lake.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Run SQL over the committed rows of one table, which the query names `t`. */
export async function selectRows(lake: Lake, table: string, sql: string): Promise<Row[]> {
  const snapshot = await lake.tables.snapshot(table);
  if (!snapshot) return [];
  const duck = await openDuckDb({ threads: 1, memoryLimit: '256MB' });
  try {
    return await lake.tables.withMaterialized(snapshot, async (pathOf) => {
      const reader = await duck.connection.runAndReadAll(
        `WITH t AS (${snapshotSourceSql(snapshot, pathOf)}) ${sql}`,
      );
      return reader.getRowObjectsJS() as Row[];
    });
  } finally {
    closeDuckDb(duck);
  }
}

/** Read every commit of a table, oldest first. */
export async function commitsOf(lake: Lake, table: string): Promise<TableSnapshot[]> {
  const { database, table: name } = parseTableName(table);
  const commits: TableSnapshot[] = [];
  for await (const object of lake.store.list({ prefix: commitPrefix(database, name) })) {
    commits.push(
      JSON.parse(Buffer.from(await lake.store.get(object.key)).toString('utf8')) as TableSnapshot,
    );
  }
  return commits.sort((a, b) => a.version - b.version);
}

/** A KeyProvider whose wrapping key lives in memory: AES-256-GCM, `nonce(12) || ciphertext || tag(16)`. */
export class MemoryKeyProvider implements KeyProvider {
  readonly keyId = 'memory-test-key';
  private readonly wrappingKey = randomBytes(32);

  async wrapKey(dataKey: Uint8Array): Promise<Uint8Array> {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.wrappingKey, nonce);
    return Buffer.concat([nonce, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  }

  async unwrapKey(wrapped: Uint8Array): Promise<Uint8Array> {
    const bytes = Buffer.from(wrapped);
    const decipher = createDecipheriv('aes-256-gcm', this.wrappingKey, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([
      decipher.update(bytes.subarray(12, bytes.length - 16)),
      decipher.final(),
    ]);
  }
}
