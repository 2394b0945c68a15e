// Real: a local lake in temp folders with hot, warm and cold tiers (local object stores), the table layer, DuckDB, the file audit log.
// Faked: the clock, a ManualClock advanced 30 days between lifecycle runs over five simulated years.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileAuditLog, readAuditEvents, type AuditEvent } from '@carelake/audit';
import { ManualClock } from '@carelake/core';
import { LocalObjectStore } from '@carelake/storage';
import { closeDuckDb, openDuckDb, snapshotSourceSql, tierOf, TableStore } from '@carelake/tables';
import { testTiers, visitRows, visitsDataset, visitsPolicies } from './__fixtures__/visits-lake';
import { placeStoredHold, readLegalHolds, releaseStoredHold } from './holds-file';
import { runLocalLifecycle, type LocalLifecycleReport } from './local-runner';
import { readTierHistory } from './tier-history';

const DAY_MS = 86_400_000;
const STEP_DAYS = 30;
const FIVE_YEARS_DAYS = 1800;
const EXPIRE_AFTER_DAYS = 1460;

/** Rows appended on a simulated day: month partition and row count. The 2026-01 partition gets a late row on day 60. */
const ARRIVALS: ReadonlyArray<{ day: number; month: string; rows: number; firstIndex?: number }> = [
  { day: 0, month: '2026-01', rows: 6 },
  { day: 60, month: '2026-01', rows: 1, firstIndex: 6 },
  { day: 180, month: '2026-07', rows: 5 },
  { day: 360, month: '2027-01', rows: 4 },
  { day: 720, month: '2028-01', rows: 3 },
];
const HOLD_PLACED_DAY = 90;
const HOLD_RELEASED_DAY = 1680;

/** Tier of each partition at the end of each simulated year; expired partitions are absent. */
const YEAR_END_TIERS: Record<number, Record<string, string>> = {
  360: { 'visit_month=2026-01': 'warm', 'visit_month=2026-07': 'warm', 'visit_month=2027-01': 'hot' },
  720: { 'visit_month=2026-01': 'warm', 'visit_month=2026-07': 'warm', 'visit_month=2027-01': 'warm', 'visit_month=2028-01': 'hot' },
  1080: { 'visit_month=2026-01': 'warm', 'visit_month=2026-07': 'warm', 'visit_month=2027-01': 'warm', 'visit_month=2028-01': 'warm' },
  1440: { 'visit_month=2026-01': 'cold', 'visit_month=2026-07': 'cold', 'visit_month=2027-01': 'warm', 'visit_month=2028-01': 'warm' },
  1800: { 'visit_month=2027-01': 'cold', 'visit_month=2028-01': 'warm' },
};

/** Day each partition last received rows, which is where its age counts from. */
const NEWEST_ROW_DAY: Record<string, number> = {
  'visit_month=2026-01': 60,
  'visit_month=2026-07': 180,
  'visit_month=2027-01': 360,
  'visit_month=2028-01': 720,
};

describe('five years of local lifecycle', () => {
  let folder: string;
  let clock: ManualClock;
  let tables: TableStore;
  let audit: FileAuditLog;
  let hotStore: LocalObjectStore;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-aging-'));
    clock = new ManualClock('2026-01-01T00:00:00.000Z');
    hotStore = new LocalObjectStore({ root: join(folder, 'lake') });
    tables = await TableStore.open({
      store: hotStore,
      tiers: { warm: new LocalObjectStore({ root: join(folder, 'warm') }), cold: new LocalObjectStore({ root: join(folder, 'cold') }) },
      clock,
      duckdb: { threads: 1, memoryLimit: '256MB' },
    });
    audit = await FileAuditLog.open({ dir: join(folder, 'lake', '_audit'), clock, fsync: false });
  });

  afterEach(async () => {
    await audit.close();
    await tables.close();
    await rm(folder, { recursive: true, force: true });
  });

  async function queryRowCount(table: string): Promise<number> {
    const snapshot = await tables.snapshot(table);
    if (!snapshot) return 0;
    const duck = await openDuckDb({ threads: 1 });
    try {
      return await tables.withMaterialized(snapshot, async (pathOf) => {
        const reader = await duck.connection.runAndReadAll(`SELECT count(*)::INTEGER FROM (${snapshotSourceSql(snapshot, pathOf)})`);
        return Number(reader.getRowsJS()[0]?.[0]);
      });
    } finally {
      closeDuckDb(duck);
    }
  }

  async function tierOfPartitions(): Promise<Record<string, string>> {
    const snapshot = await tables.snapshot(visitsDataset.table);
    const tiers: Record<string, Set<string>> = {};
    for (const file of snapshot?.files ?? []) {
      const partition = `visit_month=${file.partition['visit_month']}`;
      (tiers[partition] ??= new Set()).add(tierOf(file));
    }
    return Object.fromEntries(Object.entries(tiers).map(([partition, names]) => [partition, [...names].sort().join('+')]));
  }

  function expectedRowCount(day: number, heldUntilDay: number): number {
    return ARRIVALS.filter((arrival) => arrival.day <= day)
      .filter((arrival) => {
        const partition = `visit_month=${arrival.month}`;
        const age = day - (NEWEST_ROW_DAY[partition] as number);
        const held = partition === 'visit_month=2026-07' && day >= HOLD_PLACED_DAY && day < heldUntilDay;
        // Runs happen every 30 days, so a partition goes at the first run at or after its expiry age.
        return age < EXPIRE_AFTER_DAYS || held;
      })
      .reduce((sum, arrival) => sum + arrival.rows, 0);
  }

  it('tiers, expires and holds partitions year by year', async () => {
    const context = { principal: 'runner', inputs: [] };
    const holdContext = { store: hotStore, audit, clock, principal: 'counsel' };
    const reports: Array<{ day: number; report: LocalLifecycleReport }> = [];
    let holdId = '';

    for (let day = 0; day <= FIVE_YEARS_DAYS; day += STEP_DAYS) {
      for (const arrival of ARRIVALS.filter((candidate) => candidate.day === day)) {
        await tables.append(visitsDataset, visitRows(arrival.month, arrival.rows, 3, arrival.firstIndex ?? 0), context);
        await tables.refreshCurrent(visitsDataset, context);
      }
      if (day === HOLD_PLACED_DAY) {
        holdId = (await placeStoredHold(holdContext, { kind: 'partition', table: visitsDataset.table, partition: 'visit_month=2026-07' }, 'matter 2026-017')).id;
      }
      if (day === HOLD_RELEASED_DAY) await releaseStoredHold(holdContext, holdId, 'matter closed');

      const report = await runLocalLifecycle({
        tables,
        datasets: [visitsDataset],
        policies: visitsPolicies,
        holds: await readLegalHolds(hotStore),
        tiers: testTiers,
        audit,
        clock,
        principal: 'runner',
        stateStore: hotStore,
      });
      reports.push({ day, report });

      for (const expired of report.expired) expect(expired.ageDays).toBeGreaterThanOrEqual(EXPIRE_AFTER_DAYS);
      expect(await queryRowCount(visitsDataset.table)).toBe(expectedRowCount(day, HOLD_RELEASED_DAY));
      expect(await queryRowCount('clinical.visits_current')).toBe(expectedRowCount(day, HOLD_RELEASED_DAY));
      const yearEnd = YEAR_END_TIERS[day];
      if (yearEnd) expect({ day, tiers: await tierOfPartitions() }).toEqual({ day, tiers: yearEnd });

      clock.advance(STEP_DAYS * DAY_MS);
    }

    const expiredOn = reports.flatMap(({ day, report }) => report.expired.map((expired) => ({ day, partition: expired.partition, rows: expired.rows })));
    expect(expiredOn).toEqual([
      { day: 1530, partition: 'visit_month=2026-01', rows: 7 },
      { day: 1680, partition: 'visit_month=2026-07', rows: 5 },
    ]);

    const heldDays = reports.filter(({ report }) => report.keptByHold.length > 0).map(({ day }) => day);
    expect(heldDays).toEqual([1650]);
    expect(reports.find(({ day }) => day === 1650)?.report.keptByHold).toEqual([
      { table: 'clinical.visits', partition: 'visit_month=2026-07', policy: 'visits-4y', ageDays: 1470, holdIds: [holdId] },
    ]);

    const events: AuditEvent[] = [];
    for await (const event of readAuditEvents(join(folder, 'lake', '_audit'))) events.push(event);
    const lifecycleActions = events.map((event) => event.action).filter((action) => action.startsWith('lifecycle.'));
    expect(lifecycleActions.filter((action) => action === 'lifecycle.expire')).toHaveLength(2);
    expect(lifecycleActions.filter((action) => action === 'lifecycle.expiry.hold')).toHaveLength(1);
    expect(lifecycleActions.filter((action) => action === 'lifecycle.transition')).toHaveLength(reports.reduce((sum, { report }) => sum + report.transitions.length, 0));
    expect(JSON.stringify(events)).not.toContain('patient-');

    const history = await readTierHistory(hotStore);
    expect(history).toHaveLength(reports.length);
    expect(history.at(-1)?.bytes['clinical.visits']?.['hot']).toBeUndefined();
  });
});
