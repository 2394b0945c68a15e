// Real: a local lake in temp folders with tier stores, the table layer, DuckDB, the file audit log, legal holds in the lake.
// Faked: the clock, a ManualClock.
import { readAuditEvents } from '@carelake/audit';
import { SqliteCatalog, tableInputFromDataset } from '@carelake/catalog';
import { currentDatasetOf, tierOf } from '@carelake/tables';
import { openTempLake, type TempLake } from './__fixtures__/temp-lake';
import { testTiers, visitRows, visitsDataset, visitsPolicies } from './__fixtures__/visits-lake';
import { placeStoredHold, readLegalHolds, releaseStoredHold } from './holds-file';
import { runLocalLifecycle, type LocalLifecycleOptions } from './local-runner';
import { findPatientPartitions } from './patient-partitions';

const DAY_MS = 86_400_000;
const context = { principal: 'runner', inputs: [] };

describe('runLocalLifecycle', () => {
  let lake: TempLake;

  beforeEach(async () => {
    lake = await openTempLake();
  });

  afterEach(async () => {
    await lake.close();
  });

  function options(overrides: Partial<LocalLifecycleOptions> = {}): LocalLifecycleOptions {
    return {
      tables: lake.tables,
      datasets: [visitsDataset],
      policies: visitsPolicies,
      holds: [],
      tiers: testTiers,
      audit: lake.audit,
      clock: lake.clock,
      principal: 'runner',
      ...overrides,
    };
  }

  async function tiersOfFiles(): Promise<string[]> {
    return ((await lake.tables.snapshot(visitsDataset.table))?.files ?? []).map(tierOf).sort();
  }

  it('changes nothing in a dry run', async () => {
    await lake.tables.append(visitsDataset, visitRows('2026-01', 4), context);
    lake.clock.advance(1500 * DAY_MS);
    const report = await runLocalLifecycle(options({ dryRun: true }));

    expect(report.expired).toEqual([{ table: 'clinical.visits', partition: 'visit_month=2026-01', policy: 'visits-4y', ageDays: 1500, rows: 4, bytes: expect.any(Number) }]);
    expect((await lake.tables.snapshot(visitsDataset.table))?.version).toBe(0);
    const events = [];
    for await (const event of readAuditEvents(lake.auditDir)) events.push(event);
    expect(events.filter((event) => event.action.startsWith('lifecycle.'))).toEqual([]);
  });

  it('only expires when no tier is configured', async () => {
    await lake.tables.append(visitsDataset, visitRows('2026-01', 4), context);
    lake.clock.advance(400 * DAY_MS);
    await lake.tables.append(visitsDataset, visitRows('2027-02', 2), context);
    lake.clock.advance(1100 * DAY_MS);
    const report = await runLocalLifecycle(options({ tiers: [] }));

    expect(report.transitions).toEqual([]);
    expect(report.expired.map((expired) => expired.partition)).toEqual(['visit_month=2026-01']);
    expect(await tiersOfFiles()).toEqual(['hot']);
  });

  it('moves a partition straight to the coldest tier due', async () => {
    await lake.tables.append(visitsDataset, visitRows('2026-01', 4), context);
    lake.clock.advance(1200 * DAY_MS);
    const report = await runLocalLifecycle(options());

    expect(report.transitions.map(({ fromTiers, toTier }) => ({ fromTiers, toTier }))).toEqual([{ fromTiers: ['hot'], toTier: 'cold' }]);
    expect(await tiersOfFiles()).toEqual(['cold']);
  });

  it('removes expired partitions from the catalog', async () => {
    const catalog = await SqliteCatalog.open({ path: ':memory:', clock: lake.clock });
    try {
      await lake.tables.append(visitsDataset, [...visitRows('2026-01', 2), ...visitRows('2026-02', 2)], context);
      await lake.tables.refreshCurrent(visitsDataset, context);
      await catalog.ensureDatabase('clinical');
      for (const dataset of [visitsDataset, currentDatasetOf(visitsDataset)]) {
        const name = dataset.table.split('.')[1] as string;
        await catalog.upsertTable(tableInputFromDataset(dataset, `curated/clinical/${name}/`));
        await catalog.addPartitions('clinical', name, [
          { values: ['2026-01'], location: `curated/clinical/${name}/visit_month=2026-01/` },
          { values: ['2026-02'], location: `curated/clinical/${name}/visit_month=2026-02/` },
        ]);
      }
      lake.clock.advance(1500 * DAY_MS);
      await lake.tables.append(visitsDataset, visitRows('2030-02', 1), context);
      const report = await runLocalLifecycle(options({ catalog }));

      expect(report.expired.map((expired) => expired.partition)).toEqual(['visit_month=2026-01', 'visit_month=2026-02']);
      expect((await catalog.listPartitions('clinical', 'visits')).map((partition) => partition.values)).toEqual([]);
      expect((await catalog.listPartitions('clinical', 'visits_current')).map((partition) => partition.values)).toEqual([]);
      expect((await lake.tables.snapshot('clinical.visits_current'))?.files.map((file) => file.partition['visit_month'])).toEqual(['2030-02']);
    } finally {
      await catalog.close();
    }
  });

  it('keeps a partition a patient hold covers', async () => {
    await lake.tables.append(visitsDataset, [...visitRows('2026-01', 3, 3), ...visitRows('2026-02', 1, 1, 10)], context);
    const partitions = await findPatientPartitions(lake.tables, visitsDataset.table, 'patient-2');
    expect(partitions).toEqual([{ table: 'clinical.visits', partition: 'visit_month=2026-01' }]);

    const holdContext = { store: lake.hotStore, audit: lake.audit, clock: lake.clock, principal: 'counsel' };
    const hold = await placeStoredHold(holdContext, { kind: 'patient', patientKey: 'patient-2', partitions }, 'matter 2026-017');
    lake.clock.advance(1500 * DAY_MS);
    const held = await runLocalLifecycle(options({ holds: await readLegalHolds(lake.hotStore) }));

    expect(held.expired.map((expired) => expired.partition)).toEqual(['visit_month=2026-02']);
    expect(held.keptByHold.map((kept) => [kept.partition, kept.holdIds])).toEqual([['visit_month=2026-01', [hold.id]]]);

    await releaseStoredHold(holdContext, hold.id, 'matter closed');
    const released = await runLocalLifecycle(options({ holds: await readLegalHolds(lake.hotStore) }));
    expect(released.expired.map((expired) => expired.partition)).toEqual(['visit_month=2026-01']);
    expect((await lake.tables.snapshot(visitsDataset.table))?.files).toEqual([]);
  });

  it('rejects a patient hold on a table without the patient column', async () => {
    await expect(findPatientPartitions(lake.tables, visitsDataset.table, 'patient-2', 'subject_key')).rejects.toThrow(
      'table clinical.visits has no commits',
    );
    await lake.tables.append(visitsDataset, visitRows('2026-01', 1), context);
    await expect(findPatientPartitions(lake.tables, visitsDataset.table, 'patient-2', 'subject_key')).rejects.toThrow(
      'table clinical.visits has no subject_key column',
    );
  });

  it('rejects releasing a hold without a reason', async () => {
    const holdContext = { store: lake.hotStore, audit: lake.audit, clock: lake.clock, principal: 'counsel' };
    const hold = await placeStoredHold(holdContext, { kind: 'dataset', table: visitsDataset.table }, 'matter 2026-017');

    await expect(releaseStoredHold(holdContext, hold.id, ' ')).rejects.toThrow(`releasing legal hold ${hold.id} needs a reason`);
    await expect(releaseStoredHold(holdContext, 'hold-000000000000', 'done')).rejects.toThrow('legal hold hold-000000000000 not found');
    expect((await readLegalHolds(lake.hotStore))[0]?.release).toBeUndefined();
  });
});
