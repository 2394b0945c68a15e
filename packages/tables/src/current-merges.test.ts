// Real: local object store on a temp folder, DuckDB, Parquet files. Faked: nothing, and the clock is fixed.
import type { Row } from '@carelake/core';
import { peopleDataset, personRow, staysDataset, stayRow } from './__fixtures__/merges';
import { openTempTables, type TempTables } from './__fixtures__/temp-tables';
import type { TableStore } from './table-store';

const context = { principal: 'runner', inputs: [] };

describe('refreshCurrent with followMerges', () => {
  let temp: TempTables;
  let tables: TableStore;

  beforeEach(async () => {
    temp = await openTempTables('carelake-merges-test-');
    tables = temp.tables;
  });

  afterEach(async () => {
    await temp.close();
  });

  async function stayOwners(): Promise<Array<[unknown, unknown]>> {
    const rows = await temp.readRows('clinical.stays_current', 'stay_key, person_key', 'stay_key');
    return rows.map((row) => [row['stay_key'], row['person_key']] as [unknown, unknown]);
  }

  async function load(people: Row[], stays: Row[]): Promise<void> {
    if (people.length > 0) await tables.append(peopleDataset, people, context);
    if (stays.length > 0) await tables.append(staysDataset, stays, context);
    await tables.refreshCurrent(staysDataset, context, { mergeSource: peopleDataset });
  }

  it.each([
    {
      case: 'a merged person is replaced by the survivor',
      people: [personRow('p1', 1), personRow('p2', 1), personRow('p1', 2, 'p2')],
      expected: [['s1', 'p2'], ['s2', 'p2'], ['s3', 'p3']],
    },
    {
      case: 'a chain of merges ends at the last survivor',
      people: [personRow('p1', 2, 'p2'), personRow('p2', 3, 'p3')],
      expected: [['s1', 'p3'], ['s2', 'p3'], ['s3', 'p3']],
    },
    {
      case: 'a newer version without a survivor undoes the merge',
      people: [personRow('p1', 2, 'p2'), personRow('p1', 5)],
      expected: [['s1', 'p1'], ['s2', 'p2'], ['s3', 'p3']],
    },
    {
      case: 'a cycle of merges stops instead of looping',
      people: [personRow('p1', 2, 'p2'), personRow('p2', 3, 'p1')],
      expected: [['s1', 'p2'], ['s2', 'p1'], ['s3', 'p3']],
    },
  ])('$case', async ({ people, expected }) => {
    await load(people, [stayRow('s1', 'p1'), stayRow('s2', 'p2'), stayRow('s3', 'p3')]);
    expect(await stayOwners()).toEqual(expected);
  });

  it('rebuilds the companion when only the merges changed', async () => {
    await load([personRow('p1', 1)], [stayRow('s1', 'p1')]);
    expect(await stayOwners()).toEqual([['s1', 'p1']]);

    await tables.append(peopleDataset, [personRow('p1', 2, 'p9')], context);
    const result = await tables.refreshCurrent(staysDataset, context, { mergeSource: peopleDataset });

    expect(result?.snapshot?.mergeSourceVersion).toBe(1);
    expect(await stayOwners()).toEqual([['s1', 'p9']]);
    expect(await tables.refreshCurrent(staysDataset, context, { mergeSource: peopleDataset })).toBeUndefined();
  });

  it('keeps the column as stored when no merge source is given', async () => {
    await tables.append(peopleDataset, [personRow('p1', 2, 'p2')], context);
    await tables.append(staysDataset, [stayRow('s1', 'p1')], context);
    await tables.refreshCurrent(staysDataset, context);
    expect(await stayOwners()).toEqual([['s1', 'p1']]);
  });
});
