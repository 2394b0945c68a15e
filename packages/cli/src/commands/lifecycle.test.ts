// Real: carelake.yaml with storage tiers, a local lake in a temp folder, the table layer, DuckDB, the audit log, the lifecycle CLI functions, S3Client serialization.
// Faked: the S3 service, by aws-sdk-client-mock; the lake's clock when seeding rows, so that they are old.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigError, datasetSchema, loadConfig, ManualClock, resolvePrincipal, type LoadedConfig, type Row } from '@carelake/core';
import { openLocalLake } from '@carelake/pipeline';
import { closeDuckDb, openDuckDb, snapshotSourceSql } from '@carelake/tables';
import { applyAwsLifecycle, checkAwsLifecycle } from './lifecycle-aws';
import { listHolds, placeHold, reportLifecycle, runLifecycle } from './lifecycle-local';

const DAY_MS = 86_400_000;

const CONFIG = `
lake: { root: ./lake }
principals:
  counsel: { role: admin }
  analyst: { role: user }
storage:
  tiers:
    - { name: warm, path: ./tiers/warm, storageClasses: [STANDARD_IA, GLACIER_IR], zstdLevel: 9 }
    - { name: cold, path: ./tiers/cold, storageClasses: [DEEP_ARCHIVE], zstdLevel: 19 }
aws: { region: us-east-1, bucket: carelake-lifecycle-test }
`;

const POLICIES = `
policies:
  visits-4y:
    description: Warm after 90 days, cold after 3 years, expiry after 4.
    transitions:
      - { days: 90, storageClass: STANDARD_IA }
      - { days: 1095, storageClass: DEEP_ARCHIVE }
    expireAfterDays: 1460
`;

const PRICES = `
source: test prices
currency: USD
perGbMonth: { STANDARD: 0.02, STANDARD_IA: 0.01, INTELLIGENT_TIERING: 0.02, ONEZONE_IA: 0.008, GLACIER_IR: 0.004, GLACIER: 0.003, DEEP_ARCHIVE: 0.001 }
`;

const DATASET = {
  table: 'clinical.visits',
  description: 'Synthetic visits for lifecycle command tests.',
  owner: 'tests',
  steward: 'tests',
  classification: 'phi',
  retention: 'visits-4y',
  kind: 'history',
  key: ['visit_key'],
  dedupeBy: 'record_hash',
  versionOrder: ['event_time'],
  deletedFlag: 'is_deleted',
  partitionBy: ['visit_month'],
  columns: {
    visit_key: { type: 'string', nullable: false },
    patient_key: { type: 'string' },
    visit_month: { type: 'string', nullable: false },
    is_deleted: { type: 'boolean', nullable: false },
    event_time: { type: 'timestamp' },
    record_hash: { type: 'string', nullable: false },
    ingested_at: { type: 'timestamp', nullable: false },
  },
};
const dataset = datasetSchema.parse(DATASET);

function rows(month: string, count: number): Row[] {
  return Array.from({ length: count }, (_, index) => ({
    visit_key: `${month}-${index}`,
    patient_key: `patient-${index}`,
    visit_month: month,
    is_deleted: false,
    event_time: new Date(`${month}-01T08:00:00Z`),
    record_hash: `${month}-${index}`,
    ingested_at: new Date(`${month}-01T09:00:00Z`),
  }));
}

describe('carelake lifecycle', () => {
  let folder: string;
  let config: LoadedConfig;
  let output: string[];
  const write = (line: string): void => {
    output.push(line);
  };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-cli-lifecycle-'));
    await mkdir(join(folder, 'pipelines', 'policies'), { recursive: true });
    await mkdir(join(folder, 'pipelines', 'datasets'), { recursive: true });
    await writeFile(join(folder, 'carelake.yaml'), CONFIG);
    await writeFile(join(folder, 'pipelines', 'policies', 'visits.lifecycle.yaml'), POLICIES);
    await writeFile(join(folder, 'pipelines', 'policies', 'storage-prices.yaml'), PRICES);
    await writeFile(join(folder, 'pipelines', 'datasets', 'clinical.visits.dataset.yaml'), JSON.stringify(DATASET));
    config = loadConfig({ file: join(folder, 'carelake.yaml'), env: {} });
    output = [];
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  /** Appends rows as if they had reached the lake `daysAgo` days before now. */
  async function seed(month: string, count: number, daysAgo: number): Promise<void> {
    const lake = await openLocalLake(config, { clock: new ManualClock(new Date(Date.now() - daysAgo * DAY_MS)) });
    try {
      await lake.tables.append(dataset, rows(month, count), { principal: 'runner', inputs: [] });
    } finally {
      await lake.close();
    }
  }

  async function queryRowCount(): Promise<number> {
    const lake = await openLocalLake(config);
    const tables = lake.tables;
    const duck = await openDuckDb({ threads: 1 });
    try {
      const snapshot = await tables.snapshot(dataset.table);
      if (!snapshot) return 0;
      return await tables.withMaterialized(snapshot, async (pathOf) => {
        const reader = await duck.connection.runAndReadAll(`SELECT count(*)::INTEGER FROM (${snapshotSourceSql(snapshot, pathOf)})`);
        return Number(reader.getRowsJS()[0]?.[0]);
      });
    } finally {
      closeDuckDb(duck);
      await lake.close();
    }
  }

  it('resolves tier paths against the config folder', () => {
    expect(config.storage.tiers.map((tier) => tier.path)).toEqual([join(folder, 'tiers/warm'), join(folder, 'tiers/cold')]);
  });

  it('rejects a tier named hot and a class claimed twice', async () => {
    await writeFile(
      join(folder, 'bad.yaml'),
      'storage:\n  tiers:\n    - { name: hot, path: ./a, storageClasses: [STANDARD_IA] }\n    - { name: cold, path: ./b, storageClasses: [STANDARD_IA] }\n',
    );
    let message = '';
    try {
      loadConfig({ file: join(folder, 'bad.yaml'), env: {} });
    } catch (error) {
      message = error instanceof ConfigError ? error.describe() : String(error);
    }
    expect(message).toContain('storage.tiers[0].name: is reserved for the lake root, which is the hot tier');
    expect(message).toContain('storage.tiers[1].storageClasses[0]: STANDARD_IA already belongs to tier "hot"');
  });

  it('moves, expires and keeps a queryable lake', async () => {
    await seed('2021-01', 4, 1500);
    await seed('2025-06', 3, 200);
    const report = await runLifecycle(config, {}, { dryRun: false, principal: 'runner' }, write);

    expect(report.expired.map((expired) => expired.partition)).toEqual(['visit_month=2021-01']);
    expect(output).toContain('expire clinical.visits visit_month=2021-01 (age 1500 days, policy visits-4y): 4 rows, ' + report.expired[0]?.bytes + ' bytes');
    expect(output.some((line) => line.startsWith('move clinical.visits visit_month=2025-06 from hot to warm'))).toBe(true);
    expect(await readdir(join(folder, 'tiers/warm/curated/clinical/visits/visit_month=2025-06'))).toHaveLength(1);
    expect(await queryRowCount()).toBe(3);
  });

  it('changes nothing in a dry run', async () => {
    await seed('2021-01', 4, 1500);
    await runLifecycle(config, {}, { dryRun: true, principal: 'runner' }, write);

    expect(output.at(-1)).toBe('dry run: 0 move(s), 1 expiry(ies), 0 kept by a hold');
    expect(await queryRowCount()).toBe(4);
  });

  it('keeps a patient hold and never prints the patient key', async () => {
    await seed('2021-01', 4, 1500);
    const hold = await placeHold(config, { table: dataset.table, patient: 'patient-2', reason: 'matter 2026-017' }, resolvePrincipal(config, 'counsel'), write);
    await runLifecycle(config, {}, { dryRun: false, principal: 'runner' }, write);
    await listHolds(config, write);

    expect(output).toContain(`keep clinical.visits visit_month=2021-01 past expiry (age 1500 days, policy visits-4y): held by ${hold.id}`);
    expect(await queryRowCount()).toBe(4);
    expect(output.join('\n')).not.toContain('patient-2');
  });

  it('rejects a hold placed by a non-admin', async () => {
    await expect(placeHold(config, { table: dataset.table, reason: 'matter' }, resolvePrincipal(config, 'analyst'), write)).rejects.toThrow(
      'principal analyst may not place or release legal holds: it is not an admin',
    );
  });

  it('writes the cost report and the chart', async () => {
    await seed('2025-06', 3, 200);
    await seed('2026-01', 2, 0);
    await runLifecycle(config, {}, { dryRun: false, principal: 'runner' }, write);
    output = [];
    await reportLifecycle(config, {}, { out: join(folder, 'report') }, write);

    expect(output.filter((line) => line.startsWith('clinical.visits'))).toEqual([
      expect.stringMatching(/^clinical\.visits {2}hot {2}STANDARD {2}\d+ bytes {2}[\d.]+ USD\/month$/),
      expect.stringMatching(/^clinical\.visits {2}warm {2}STANDARD_IA {2}\d+ bytes {2}[\d.]+ USD\/month$/),
    ]);
    expect(output.some((line) => /^all in STANDARD: estimated [\d.]+ USD\/month; tiering saves [\d.]+ USD\/month$/.test(line))).toBe(true);
    const svg = readFileSync(join(folder, 'report', 'tier-bytes.svg'), 'utf8');
    expect(svg).toContain('<title>warm: ');
    expect(existsSync(join(folder, 'report', 'lifecycle-report.json'))).toBe(true);
  });

  describe('on the bucket', () => {
    const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' } });
    const s3 = mockClient(client);
    const rule = {
      ID: 'carelake-clinical.visits',
      Status: 'Enabled' as const,
      Filter: { And: { Prefix: 'curated/clinical/visits/', Tags: [{ Key: 'carelake-hold', Value: 'false' }] } },
      Transitions: [
        { Days: 90, StorageClass: 'STANDARD_IA' as const },
        { Days: 1095, StorageClass: 'DEEP_ARCHIVE' as const },
      ],
      Expiration: { Days: 1460 },
    };

    beforeEach(() => s3.reset());

    it.each([
      { case: 'rule matches', rules: [rule], exitCode: 0, line: 'bucket carelake-lifecycle-test: the lifecycle rules match the policies' },
      { case: 'rule changed by hand', rules: [{ ...rule, Expiration: { Days: 30 } }], exitCode: 1, line: 'drift changed: rule carelake-clinical.visits' },
      { case: 'rule removed by hand', rules: [], exitCode: 1, line: 'drift missing: rule carelake-clinical.visits' },
    ])('checks drift when the $case', async ({ rules, exitCode, line }) => {
      s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: rules, TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K' });

      expect(await checkAwsLifecycle(config, {}, client, write)).toBe(exitCode);
      expect(output).toContain(line);
    });

    it('applies the rendered rule', async () => {
      s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [] });
      s3.on(PutBucketLifecycleConfigurationCommand).resolves({});
      await applyAwsLifecycle(config, {}, client, write);

      const put = s3.commandCalls(PutBucketLifecycleConfigurationCommand)[0]?.args[0].input;
      expect(put?.Bucket).toBe('carelake-lifecycle-test');
      expect(put?.LifecycleConfiguration?.Rules).toEqual([rule]);
      expect(output).toContain('create rule carelake-clinical.visits');
    });
  });
});
