// Real: StreamPublisher and StreamPipelineWorker against kinesalite on 127.0.0.1 (the lake's local
// endpoint), and a local lake in a temporary folder (object store, DuckDB, Parquet, SQLite catalog,
// audit log). Faked: a FaultInjector fails every PutRecords entry for the dead-letter case, the
// clock is fixed, and a raw table's dataset is written by the test.
import { datasetSchema, ManualClock, type DatasetDefinition } from '@carelake/core';
import { FaultInjector, StreamRecordFailedError } from '@carelake/stream';
import { closeDuckDb, openDuckDb, snapshotSourceSql, totalRows } from '@carelake/tables';
import type { Lake } from '../lake';
import type { LoadedPipeline } from '../pipeline-file';
import {
  numberedAdt,
  openTempLake,
  repositoryDatasets,
  streamPipeline,
} from './__fixtures__/stream-messages';
import { openLakeStreamEndpoint, type LakeStreamEndpoint } from './local-endpoint';
import { RAW_STREAM_COLUMNS } from './raw-records';
import { prepareStreamPipeline, streamPublishingSetup } from './stream-pipeline-setup';
import { StreamPublisher } from './stream-publisher';
import { StreamPipelineWorker } from './stream-worker';

const rawDataset: DatasetDefinition = datasetSchema.parse({
  table: 'raw.device_events',
  description: 'Device events as the stream delivered them.',
  classification: 'limited',
  partitionBy: ['shard_id'],
  dedupeBy: 'record_hash',
  columns: Object.fromEntries(
    Object.entries(RAW_STREAM_COLUMNS).map(([name, type]) => [name, { type }]),
  ),
});

async function quarantineItems(
  lake: Lake,
  pipeline: string,
): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for await (const object of lake.store.list({ prefix: `quarantine/${pipeline}/` })) {
    items.push(
      JSON.parse(Buffer.from(await lake.store.get(object.key)).toString('utf8')) as Record<
        string,
        unknown
      >,
    );
  }
  return items;
}

describe('stream pipeline publishing and reading', () => {
  let lake: Lake;
  let remove: () => Promise<void>;
  let endpoint: LakeStreamEndpoint;

  beforeEach(async () => {
    ({ lake, remove } = await openTempLake('stream-worker-test'));
    endpoint = await openLakeStreamEndpoint(lake.root);
  });

  afterEach(async () => {
    await endpoint.close();
    await remove();
  });

  /**
   * Publishes numbered ADT messages on the stream of a pipeline with one micro-batch per message
   * (each stages five rows, and batchRows is 5), and returns that pipeline.
   */
  async function publishAdts(numbers: number[], currentRefreshSeconds: number): Promise<LoadedPipeline> {
    const pipeline = streamPipeline({
      source: { type: 'kinesis', stream: 'hl7-adt', bufferSeconds: 0, currentRefreshSeconds },
      batchRows: 5,
    });
    await endpoint.ensureStream('hl7-adt', 1);
    const publisher = new StreamPublisher({
      setup: streamPublishingSetup({ lake, pipeline }),
      client: endpoint.client,
      producer: { lingerMs: 0 },
    });
    for (const number of numbers) {
      await publisher.publish(Buffer.from(numberedAdt(number)), { name: 'adt.hl7', record: number });
    }
    await publisher.close();
    return pipeline;
  }

  it('stores raw records as they are, in shard partitions', async () => {
    const pipeline = streamPipeline({
      name: 'device-events',
      source: { type: 'kinesis', stream: 'devices', bufferSeconds: 0 },
      decode: { format: 'raw' },
      outputs: ['raw.device_events'],
    });
    const datasets = new Map([[rawDataset.table, rawDataset]]);
    await endpoint.ensureStream('devices', 1);
    const publisher = new StreamPublisher({
      setup: streamPublishingSetup({ lake, pipeline }),
      client: endpoint.client,
      producer: { lingerMs: 0 },
    });
    const payloads = [Buffer.from([0, 1, 2, 255]), Buffer.from('{"reading": 7}')];
    const results = await Promise.all(
      payloads.map((data, record) => publisher.publish(data, { name: 'test', record })),
    );
    await publisher.close();

    const worker = new StreamPipelineWorker({
      setup: await prepareStreamPipeline({ lake, pipeline, datasets }),
      client: endpoint.client,
      consumer: { idleDelayMs: 5 },
    });
    const summary = await worker.run({ untilCaughtUp: true });

    const snapshot = await lake.tables.snapshot('raw.device_events');
    if (!snapshot) throw new Error('raw.device_events has no commit');
    expect(summary.rowsOut).toBe(2);
    expect(snapshot.files.map((file) => file.partition)).toEqual([
      { shard_id: results[0]?.shardId },
    ]);
    expect(snapshot.files[0]?.key).toContain(`/shard_id=${results[0]?.shardId}/part-`);
    expect(snapshot.inputs).toEqual([
      `kinesis:devices:${results[0]?.shardId}:${results[0]?.sequenceNumber}.0-${results[1]?.sequenceNumber}.0`,
    ]);
    const stored = await lake.tables.withMaterialized(snapshot, async (pathOf) => {
      const duck = await openDuckDb({ threads: 1 });
      try {
        const reader = await duck.connection.runAndReadAll(
          `SELECT data_base64 FROM (${snapshotSourceSql(snapshot, pathOf)}) ORDER BY sequence_number`,
        );
        return reader.getRowsJS().map((row) => Buffer.from(String(row[0]), 'base64'));
      } finally {
        closeDuckDb(duck);
      }
    });
    expect(stored).toEqual(payloads);
  });

  it.each([
    [300, 1],
    [0, 2],
  ])('rebuilds companions at most every %i s', async (currentRefreshSeconds, lastVersion) => {
    const pipeline = await publishAdts([1, 2, 3], currentRefreshSeconds);

    const worker = new StreamPipelineWorker({
      setup: await prepareStreamPipeline({ lake, pipeline, datasets: repositoryDatasets }),
      client: endpoint.client,
      consumer: { idleDelayMs: 5, maxRecordsPerRequest: 1 },
    });
    const summary = await worker.run({ untilCaughtUp: true });

    const current = await lake.tables.snapshot('clinical.patients_current');
    expect(summary.microBatches).toBeGreaterThanOrEqual(3);
    expect(current?.version).toBe(lastVersion);
    expect(current?.summary.rowsAdded).toBe(3);
  });

  it('rebuilds companions on a quiet stream', async () => {
    const pipeline = await publishAdts([1, 2], 300);
    let committed = 0;
    const worker = new StreamPipelineWorker({
      setup: await prepareStreamPipeline({ lake, pipeline, datasets: repositoryDatasets }),
      client: endpoint.client,
      consumer: { idleDelayMs: 5, maxRecordsPerRequest: 1 },
      onMicroBatch: (counts) => {
        committed = counts.rowsByTable['clinical.patients'] ?? 0;
      },
    });
    const running = worker.run();
    const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

    for (let attempt = 0; attempt < 400 && committed < 2; attempt++) await sleep(25);
    // Let the commit of the last records finish, so that only the timer can rebuild from here on.
    await sleep(500);
    const beforeDue = await lake.tables.snapshot('clinical.patients_current');

    (lake.clock as ManualClock).advance(301_000);
    let afterDue = beforeDue;
    for (let attempt = 0; attempt < 200 && afterDue?.summary.rowsAdded !== 2; attempt++) {
      await sleep(25);
      afterDue = await lake.tables.snapshot('clinical.patients_current');
    }
    await worker.stop();
    await running;

    expect(committed).toBe(2);
    expect(beforeDue?.summary.rowsAdded).toBe(1);
    expect(afterDue?.summary.rowsAdded).toBe(2);
  });

  it('rejects a raw table without the stream record columns', async () => {
    const pipeline = streamPipeline({ decode: { format: 'raw' }, outputs: ['raw.hl7v2_segments'] });

    await expect(
      prepareStreamPipeline({ lake, pipeline, datasets: repositoryDatasets }),
    ).rejects.toThrow('cannot hold raw stream records');
  });

  it('quarantines records the stream did not accept, with their error code', async () => {
    const pipeline = streamPipeline();
    await endpoint.ensureStream('hl7-adt', 1);
    const faults = new FaultInjector(endpoint.client, { seed: 1, putRecordsEntryFailureRate: 1 });
    const publisher = new StreamPublisher({
      setup: streamPublishingSetup({ lake, pipeline }),
      client: faults.client,
      producer: { lingerMs: 0, sleep: async () => undefined, retry: { maxAttempts: 2 } },
    });

    const error = await publisher
      .publish(Buffer.from(numberedAdt(1)), { name: 'adt.hl7', record: 4 })
      .catch((caught: unknown) => caught);
    const summary = await publisher.close();

    expect(error).toBeInstanceOf(StreamRecordFailedError);
    expect((error as StreamRecordFailedError).deadLettered).toBe(true);
    expect(summary.quarantined).toBe(1);
    const [item] = await quarantineItems(lake, 'adt-stream');
    expect(item?.['stage']).toBe('publish');
    expect(item?.['position']).toEqual({ file: 'adt.hl7', record: 4 });
    expect(item?.['streamRecord']).toMatchObject({
      stream: 'hl7-adt',
      errorCode: 'InternalFailure',
      attempts: 2,
    });
    expect(String(item?.['landingKey'])).toMatch(/^landing\/adt-stream\/.+\/adt.hl7-4$/);
  });

  it('reads records it cannot decrypt into quarantine', async () => {
    const pipeline = streamPipeline();
    await endpoint.ensureStream('hl7-adt', 1);
    const publisher = new StreamPublisher({
      setup: streamPublishingSetup({ lake, pipeline }),
      client: endpoint.client,
      producer: { lingerMs: 0 },
    });
    await publisher.publish(Buffer.from(numberedAdt(1)), { name: 'adt.hl7' });
    await publisher.close();
    const keyProvider = {
      keyId: 'other',
      wrapKey: async (key: Uint8Array) => key,
      unwrapKey: async (key: Uint8Array) => key,
    };

    const worker = new StreamPipelineWorker({
      setup: await prepareStreamPipeline({ lake, pipeline, datasets: repositoryDatasets }),
      client: endpoint.client,
      keyProvider,
      consumer: { idleDelayMs: 5 },
    });
    const summary = await worker.run({ untilCaughtUp: true });

    expect(summary.recordsUnreadable).toBe(1);
    expect(totalRows(await lake.tables.snapshot('clinical.patients'))).toBe(0);
    const [item] = await quarantineItems(lake, 'adt-stream');
    expect(item?.['reason']).toContain('record envelope has version');
  });
});
