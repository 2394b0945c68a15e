// GlueCatalog list calls on a real GlueClient whose send is mocked (aws-sdk-client-mock) with recorded pages; the tests assert each page request.
import { GetDatabasesCommand, GetPartitionsCommand, GetTablesCommand } from '@aws-sdk/client-glue';
import {
  mockedGlueClient,
  sentInputs,
  TEST_BUCKET,
  TEST_PREFIX,
  type MockedGlue,
} from './__fixtures__/glue-client';
import {
  CREATED_AT,
  encountersGluePartition,
  encountersGlueTable,
} from './__fixtures__/recorded-responses';
import { GlueCatalog } from './glue-catalog';

describe('GlueCatalog pagination', () => {
  let glue: MockedGlue;
  let catalog: GlueCatalog;

  beforeEach(() => {
    glue = mockedGlueClient();
    catalog = new GlueCatalog({ client: glue.client, bucket: TEST_BUCKET, prefix: TEST_PREFIX });
  });

  afterEach(() => glue.release());

  it('follows GetTables across three pages', async () => {
    const table = (name: string) => encountersGlueTable({ Name: name });
    glue.mock
      .on(GetTablesCommand)
      .resolvesOnce({ TableList: [table('patients'), table('encounters')], NextToken: 'page-2' })
      .resolvesOnce({ TableList: [table('orders')], NextToken: 'page-3' })
      .resolvesOnce({ TableList: [table('conditions')] });

    const tables = await catalog.listTables('clinical');

    expect(tables.map((entry) => entry.name)).toEqual([
      'conditions',
      'encounters',
      'orders',
      'patients',
    ]);
    expect(sentInputs(glue.mock, GetTablesCommand)).toStrictEqual([
      { DatabaseName: 'clinical' },
      { DatabaseName: 'clinical', NextToken: 'page-2' },
      { DatabaseName: 'clinical', NextToken: 'page-3' },
    ]);
  });

  it('follows GetPartitions across three pages', async () => {
    glue.mock
      .on(GetPartitionsCommand)
      .resolvesOnce({
        Partitions: [encountersGluePartition('2026-03'), encountersGluePartition('2026-01')],
        NextToken: 'eyJwYWdlIjoyfQ==',
      })
      .resolvesOnce({
        Partitions: [encountersGluePartition('2026-02')],
        NextToken: 'eyJwYWdlIjozfQ==',
      })
      .resolvesOnce({ Partitions: [encountersGluePartition('2025-12')], NextToken: '' });

    const partitions = await catalog.listPartitions('clinical', 'encounters');

    expect(partitions.map((partition) => partition.values[0])).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(partitions[0]).toEqual({
      values: ['2025-12'],
      location: 'curated/clinical/encounters/admit_month=2025-12/',
      parameters: {},
    });
    const base = { DatabaseName: 'clinical', TableName: 'encounters', ExcludeColumnSchema: true };
    expect(sentInputs(glue.mock, GetPartitionsCommand)).toStrictEqual([
      base,
      { ...base, NextToken: 'eyJwYWdlIjoyfQ==' },
      { ...base, NextToken: 'eyJwYWdlIjozfQ==' },
    ]);
  });

  it('follows GetDatabases across three pages', async () => {
    const database = (name: string) => ({ Name: name, CreateTime: CREATED_AT });
    glue.mock
      .on(GetDatabasesCommand)
      .resolvesOnce({ DatabaseList: [database('vocab')], NextToken: 'd2' })
      .resolvesOnce({ DatabaseList: [database('clinical'), database('raw')], NextToken: 'd3' })
      .resolvesOnce({
        DatabaseList: [{ ...database('deid'), Description: 'De-identified copies' }],
      });

    expect(await catalog.listDatabases()).toEqual([
      { name: 'clinical', createdAt: CREATED_AT },
      { name: 'deid', description: 'De-identified copies', createdAt: CREATED_AT },
      { name: 'raw', createdAt: CREATED_AT },
      { name: 'vocab', createdAt: CREATED_AT },
    ]);
    expect(sentInputs(glue.mock, GetDatabasesCommand)).toStrictEqual([
      {},
      { NextToken: 'd2' },
      { NextToken: 'd3' },
    ]);
  });

  it('lists tables of every database', async () => {
    const database = (name: string) => ({ Name: name, CreateTime: CREATED_AT });
    glue.mock
      .on(GetDatabasesCommand)
      .resolves({ DatabaseList: [database('raw'), database('clinical')] });
    glue.mock
      .on(GetTablesCommand, { DatabaseName: 'clinical' })
      .resolves({ TableList: [encountersGlueTable()] });
    glue.mock.on(GetTablesCommand, { DatabaseName: 'raw' }).resolves({
      TableList: [encountersGlueTable({ DatabaseName: 'raw', Name: 'hl7v2_segments' })],
    });

    const tables = await catalog.listTables();

    expect(tables.map((table) => `${table.database}.${table.name}`)).toEqual([
      'clinical.encounters',
      'raw.hl7v2_segments',
    ]);
    expect(sentInputs(glue.mock, GetTablesCommand)).toStrictEqual([
      { DatabaseName: 'clinical' },
      { DatabaseName: 'raw' },
    ]);
  });
});
