// Real: the runner over synthetic CSV extracts in a temp folder and a local lake (object store,
// DuckDB, Parquet, SQLite catalog, audit log). Faked: the clock.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetSchema, loadConfig, ManualClock } from '@carelake/core';
import { closeDuckDb, openDuckDb, snapshotSourceSql } from '@carelake/tables';
import { openLocalLake, type Lake } from './lake';
import { loadPipelineFile } from './pipeline-file';
import { runPipeline } from './runner';

const dataset = datasetSchema.parse({
  table: 'raw.eligibility',
  description: 'Eligibility extract of a payer, one row per member and plan line.',
  classification: 'phi',
  owner: 'data-engineering',
  steward: 'payer-steward',
  retention: 'phi-standard',
  columns: {
    member_id: { type: 'string', nullable: false, classification: 'phi', identifier: 'health_plan_number' },
    birth_date: { type: 'date', classification: 'phi', identifier: 'date' },
    copay: { type: 'double' },
    visits: { type: 'bigint' },
    source_file: { type: 'string' },
    source_position: { type: 'bigint' },
    ingested_at: { type: 'timestamp' },
  },
});

const PIPELINE = `name: eligibility
source: { type: directory, path: inputs }
decode:
  format: csv
  schema:
    delimiter: "|"
    columns:
      - { name: member_id, header: "Member ID", type: string, required: true }
      - { name: birth_date, header: DOB, type: date, format: MM/DD/YYYY }
      - { name: copay, header: Copay, type: decimal }
      - { name: visits, header: Visits, type: integer }
outputs: [raw.eligibility]
`;

const GOOD_FILE = [
  'Member ID|DOB|Copay|Visits',
  'M001|01/31/1980|12.50|3',
  'M002|02/30/1981|5|1',
  '"M003|multi"|03/01/1990|0|0',
  'M004|04/15/1975|7.25|2',
].join('\r\n');

const WRONG_HEADER_FILE = ['Member|DOB|Copay', 'M009|01/01/2000|1'].join('\n');

describe('runPipeline with a CSV feed', () => {
  let root: string;
  let lake: Lake;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-csv-test-'));
    const config = loadConfig({ cwd: root, env: { CARELAKE_LAKE_ROOT: join(root, 'lake'), CARELAKE_QUERY_THREADS: '1' } });
    lake = await openLocalLake(config, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
    await mkdir(join(root, 'inputs'));
    await writeFile(join(root, 'inputs', 'eligibility-2026-03.csv'), GOOD_FILE);
    await writeFile(join(root, 'inputs', 'eligibility-renamed.csv'), WRONG_HEADER_FILE);
    await writeFile(join(root, 'eligibility.pipeline.yaml'), PIPELINE);
  });

  afterEach(async () => {
    await lake.close();
    await rm(root, { recursive: true, force: true });
  });

  async function run() {
    return runPipeline({
      lake,
      pipeline: loadPipelineFile(join(root, 'eligibility.pipeline.yaml')),
      datasets: new Map([[dataset.table, dataset]]),
    });
  }

  async function tableRows(): Promise<Record<string, unknown>[]> {
    const snapshot = await lake.tables.snapshot('raw.eligibility');
    if (!snapshot) throw new Error('raw.eligibility was not written');
    const duck = await openDuckDb({ threads: 1, memoryLimit: '256MB' });
    try {
      return await lake.tables.withMaterialized(snapshot, async (pathOf) =>
        (
          await duck.connection.runAndReadAll(
            `SELECT member_id, CAST(birth_date AS VARCHAR) AS birth_date, copay, visits, source_position
             FROM (${snapshotSourceSql(snapshot, pathOf)}) ORDER BY member_id`,
          )
        ).getRowObjectsJS(),
      );
    } finally {
      closeDuckDb(duck);
    }
  }

  async function quarantineKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of lake.store.list({ prefix: 'quarantine/eligibility/' })) keys.push(object.key);
    return keys;
  }

  it('writes good rows and quarantines the rest by line', async () => {
    const summary = await run();

    expect(await tableRows()).toEqual([
      { member_id: 'M001', birth_date: '1980-01-31', copay: 12.5, visits: 3n, source_position: 2n },
      { member_id: 'M003|multi', birth_date: '1990-03-01', copay: 0, visits: 0n, source_position: 4n },
      { member_id: 'M004', birth_date: '1975-04-15', copay: 7.25, visits: 2n, source_position: 5n },
    ]);
    expect(summary.quarantined).toBe(2);
    // The renamed extract's header does not match, so none of its rows could be read.
    expect(summary.filesRejected).toBe(1);
    const keys = await quarantineKeys();
    expect(keys).toHaveLength(2);
    const reasons = await Promise.all(keys.map(async (key) => JSON.parse(Buffer.from(await lake.store.get(key)).toString('utf8')).reason as string));
    expect(reasons.some((reason) => reason.startsWith('invalid-value:') && reason.includes('birth_date'))).toBe(true);
    expect(reasons.some((reason) => reason.includes('Member ID'))).toBe(true);
    expect(reasons.join(' ')).not.toContain('02/30/1981');
  });

  it('changes nothing on a second run', async () => {
    await run();
    const rowsBefore = await tableRows();
    const keysBefore = await quarantineKeys();

    const second = await run();

    expect(second.filesIngested).toBe(0);
    expect(second.filesAlreadyIngested).toBe(2);
    expect(await tableRows()).toEqual(rowsBefore);
    expect(await quarantineKeys()).toEqual(keysBefore);
  });

  it('rejects a table that lacks a CSV column', async () => {
    const narrow = datasetSchema.parse({ ...dataset, columns: { member_id: { type: 'string' } } });

    const failure = runPipeline({ lake, pipeline: loadPipelineFile(join(root, 'eligibility.pipeline.yaml')), datasets: new Map([[narrow.table, narrow]]) });

    await expect(failure).rejects.toThrow(
      'the CSV columns do not fit raw.eligibility: birth_date (CSV date) is not declared in the dataset file; ' +
        'copay (CSV decimal) is not declared in the dataset file; visits (CSV integer) is not declared in the dataset file',
    );
  });

  it('names the stored type of a mistyped column', async () => {
    const mistyped = datasetSchema.parse({ ...dataset, columns: { ...dataset.columns, visits: { type: 'string' } } });

    const failure = runPipeline({ lake, pipeline: loadPipelineFile(join(root, 'eligibility.pipeline.yaml')), datasets: new Map([[mistyped.table, mistyped]]) });

    await expect(failure).rejects.toThrow(
      'the CSV columns do not fit raw.eligibility: visits is string in the dataset file, but CSV integer is stored as bigint or int',
    );
  });
});
