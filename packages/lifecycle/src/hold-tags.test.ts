// Real: a local lake in temp folders with the table layer, object tags in the store, legal holds in
// the lake and the file audit log. Faked: the clock, a ManualClock.
import { openTempLake, type TempLake } from './__fixtures__/temp-lake';
import { visitRows, visitsDataset } from './__fixtures__/visits-lake';
import { placeStoredHold, readLegalHolds, releaseStoredHold } from './holds-file';
import { syncHoldTags, tablesOfHold } from './hold-tags';
import { HOLD_TAG_KEY } from './s3-rules';

const context = { principal: 'runner', inputs: [] };

describe('syncHoldTags', () => {
  let lake: TempLake;

  beforeEach(async () => {
    lake = await openTempLake();
    await lake.tables.append(visitsDataset, [...visitRows('2026-01', 3), ...visitRows('2026-02', 2, 3, 10)], context);
  });

  afterEach(async () => {
    await lake.close();
  });

  const holdContext = () => ({ store: lake.hotStore, audit: lake.audit, clock: lake.clock, principal: 'admin' });

  /** Return the hold tag of each data file, keyed by its partition. */
  async function tagsByPartition(): Promise<Record<string, string | undefined>> {
    const snapshot = await lake.tables.snapshot(visitsDataset.table);
    const tags: Record<string, string | undefined> = {};
    for (const file of snapshot?.files ?? []) {
      tags[`visit_month=${file.partition['visit_month']}`] = (await lake.hotStore.getTags(file.key))[HOLD_TAG_KEY];
    }
    return tags;
  }

  it('tags the held partition and clears it on release', async () => {
    const hold = await placeStoredHold(holdContext(), { kind: 'partition', table: visitsDataset.table, partition: 'visit_month=2026-01' }, 'matter 17');

    const placed = await syncHoldTags(lake.tables, tablesOfHold(hold), await readLegalHolds(lake.hotStore));

    expect(placed).toEqual({ changed: 2, unchanged: 0 });
    expect(await tagsByPartition()).toEqual({ 'visit_month=2026-01': 'true', 'visit_month=2026-02': 'false' });

    const released = await releaseStoredHold(holdContext(), hold.id, 'matter closed');
    const cleared = await syncHoldTags(lake.tables, tablesOfHold(released), await readLegalHolds(lake.hotStore));

    expect(cleared).toEqual({ changed: 1, unchanged: 1 });
    expect(await tagsByPartition()).toEqual({ 'visit_month=2026-01': 'false', 'visit_month=2026-02': 'false' });
  });

  it('keeps a file held while another hold covers it', async () => {
    const partitionHold = await placeStoredHold(holdContext(), { kind: 'partition', table: visitsDataset.table, partition: 'visit_month=2026-02' }, 'matter 17');
    await placeStoredHold(holdContext(), { kind: 'dataset', table: visitsDataset.table }, 'matter 18');
    await releaseStoredHold(holdContext(), partitionHold.id, 'matter 17 closed');

    await syncHoldTags(lake.tables, tablesOfHold(partitionHold), await readLegalHolds(lake.hotStore));

    expect(await tagsByPartition()).toEqual({ 'visit_month=2026-01': 'true', 'visit_month=2026-02': 'true' });
  });

  it('keeps the other tags of a file', async () => {
    const snapshot = await lake.tables.snapshot(visitsDataset.table);
    const file = snapshot!.files[0]!;
    await lake.hotStore.putTags(file.key, { owner: 'tests' });
    const hold = await placeStoredHold(holdContext(), { kind: 'dataset', table: visitsDataset.table }, 'matter 19');

    await syncHoldTags(lake.tables, tablesOfHold(hold), await readLegalHolds(lake.hotStore));

    expect(await lake.hotStore.getTags(file.key)).toEqual({ owner: 'tests', [HOLD_TAG_KEY]: 'true' });
  });
});
