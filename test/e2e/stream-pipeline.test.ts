// Real: StreamProducer and the checkpointed consumer against kinesalite on 127.0.0.1 (the lake's
// local endpoint), record encryption with an in-memory KeyProvider, and a local lake in a
// temporary folder (object store, DuckDB, Parquet, SQLite catalog, audit log). Faked: a seeded
// FaultInjector fails PutRecords entries and calls and throttles GetRecords, and a fault point
// hook stops the first worker between two table commits, as a crash would.
import {
  openLakeStreamEndpoint,
  prepareStreamPipeline,
  StreamPipelineWorker,
  StreamPublisher,
  streamPublishingSetup,
  type Lake,
  type LakeStreamEndpoint,
  type StreamFaultHook,
} from '@carelake/pipeline';
import { FaultInjector } from '@carelake/stream';
import { totalRows } from '@carelake/tables';
import {
  adtStreamPipeline,
  commitsOf,
  MemoryKeyProvider,
  numberedAdt,
  openTempLake,
  repositoryDatasets,
  SEGMENTS_PER_ADT,
  selectRows,
} from './stream-fixtures';

const RECORDS = 5000;
const PATIENTS = 400;
const noWait = async (): Promise<void> => undefined;

describe('stream pipeline into tables', () => {
  let lake: Lake;
  let remove: () => Promise<void>;
  let endpoint: LakeStreamEndpoint;

  beforeEach(async () => {
    ({ lake, remove } = await openTempLake('stream-pipeline-e2e'));
    endpoint = await openLakeStreamEndpoint(lake.root);
  });

  afterEach(async () => {
    await endpoint.close();
    await remove();
  });

  it('writes 5,000 records once through faults and a crash between commits', async () => {
    // About 1,000 records a micro-batch: five rows each.
    const pipeline = adtStreamPipeline(
      'adt-stream',
      { stream: 'hl7-adt', shards: 2 },
      { batchRows: 5000 },
    );
    await endpoint.ensureStream('hl7-adt', 2);
    const keyProvider = new MemoryKeyProvider();
    const faults = new FaultInjector(endpoint.client, {
      seed: 20260304,
      putRecordsEntryFailureRate: 0.1,
      putRecordsCallFailureRate: 0.2,
      getRecordsThrottleRate: 0.2,
    });

    const publisher = new StreamPublisher({
      setup: streamPublishingSetup({ lake, pipeline }),
      client: faults.client,
      keyProvider,
      producer: { sleep: noWait, lingerMs: 5 },
    });
    await Promise.all(
      Array.from({ length: RECORDS }, (_, number) =>
        publisher.publish(numberedAdt(number, number % PATIENTS), {
          name: 'generated',
          record: number,
        }),
      ),
    );
    const published = await publisher.close();

    let crashed = false;
    const crashInSecondMicroBatch: StreamFaultHook = (point, detail) => {
      if (
        crashed ||
        point !== 'after-table-commit' ||
        detail.microBatch !== 2 ||
        detail.table !== 'clinical.patients'
      )
        return;
      crashed = true;
      throw new Error('worker stopped between the commits of one micro-batch');
    };
    const consumer = { sleep: noWait, idleDelayMs: 5, maxRecordsPerRequest: 500 };
    const first = new StreamPipelineWorker({
      setup: await prepareStreamPipeline({ lake, pipeline, datasets: repositoryDatasets }),
      client: faults.client,
      keyProvider,
      consumer,
      onFaultPoint: crashInSecondMicroBatch,
    });
    await expect(first.run({ untilCaughtUp: true })).rejects.toThrow(
      'worker stopped between the commits',
    );
    const patientsAfterCrash = await lake.tables.snapshot('clinical.patients');

    const second = new StreamPipelineWorker({
      setup: await prepareStreamPipeline({ lake, pipeline, datasets: repositoryDatasets }),
      client: faults.client,
      keyProvider,
      consumer,
    });
    const summary = await second.run({ untilCaughtUp: true });

    expect(published.recordsAccepted).toBe(RECORDS);
    expect(published.recordsDeadLettered).toBe(0);
    expect(faults.stats.putRecordsEntriesFailed).toBeGreaterThan(0);
    expect(faults.stats.putRecordsCallsFailed).toBeGreaterThan(0);
    expect(faults.stats.getRecordsThrottled).toBeGreaterThan(0);
    expect(crashed).toBe(true);
    expect(totalRows(patientsAfterCrash)).toBeGreaterThan(0);
    expect(totalRows(patientsAfterCrash)).toBeLessThan(RECORDS);

    expect(totalRows(await lake.tables.snapshot('raw.hl7v2_segments'))).toBe(
      RECORDS * SEGMENTS_PER_ADT,
    );
    expect(totalRows(await lake.tables.snapshot('clinical.patients'))).toBe(RECORDS);
    const [distinct] = await selectRows(
      lake,
      'raw.hl7v2_segments',
      "SELECT count(DISTINCT message_control_id)::INTEGER AS n FROM t WHERE segment_id = 'ZRC'",
    );
    expect(distinct?.['n']).toBe(RECORDS);
    const [sources] = await selectRows(
      lake,
      'clinical.patients',
      'SELECT count(DISTINCT source_file)::INTEGER AS n FROM t',
    );
    expect(sources?.['n']).toBe(RECORDS);

    // The replay is recognised by sequence range, not by the dedupe column.
    expect(summary.rowsAlreadyCommitted).toBeGreaterThan(0);
    const commits = [
      ...(await commitsOf(lake, 'raw.hl7v2_segments')),
      ...(await commitsOf(lake, 'clinical.patients')),
    ];
    expect(commits.reduce((sum, commit) => sum + commit.summary.rowsSkippedAsDuplicate, 0)).toBe(0);
    expect(
      commits.every(
        (commit) =>
          commit.inputs.length === 1 && commit.inputs[0]?.startsWith('kinesis:hl7-adt:shardId-'),
      ),
    ).toBe(true);
    expect(summary.quarantined).toBe(0);
  });

  it('commits inside a page of aggregated records and resumes after a crash there', async () => {
    // One hundred records a micro-batch, and pages of ten aggregated records that hold far more.
    const pipeline = adtStreamPipeline(
      'adt-aggregated',
      { stream: 'hl7-aggregated', shards: 1, aggregation: true, partitionKeys: 4 },
      { batchRows: 500 },
    );
    await endpoint.ensureStream('hl7-aggregated', 1);
    const publisher = new StreamPublisher({
      setup: streamPublishingSetup({ lake, pipeline }),
      client: endpoint.client,
      producer: { lingerMs: 5 },
    });
    const count = 2000;
    await Promise.all(
      Array.from({ length: count }, (_, number) =>
        publisher.publish(numberedAdt(number, number % PATIENTS), { name: 'generated' }),
      ),
    );
    const published = await publisher.close();

    let crashed = false;
    const first = new StreamPipelineWorker({
      setup: await prepareStreamPipeline({ lake, pipeline, datasets: repositoryDatasets }),
      client: endpoint.client,
      consumer: { idleDelayMs: 5 },
      onFaultPoint: (point, detail) => {
        if (crashed || point !== 'before-checkpoint' || detail.microBatch !== 3) return;
        crashed = true;
        throw new Error('worker stopped before the checkpoint');
      },
    });
    await expect(first.run({ untilCaughtUp: true })).rejects.toThrow(
      'worker stopped before the checkpoint',
    );
    const second = new StreamPipelineWorker({
      setup: await prepareStreamPipeline({ lake, pipeline, datasets: repositoryDatasets }),
      client: endpoint.client,
      consumer: { idleDelayMs: 5 },
    });
    const summary = await second.run({ untilCaughtUp: true });

    expect(published.putRecordsCalls).toBeLessThan(count / 10);
    expect(totalRows(await lake.tables.snapshot('clinical.patients'))).toBe(count);
    expect(totalRows(await lake.tables.snapshot('raw.hl7v2_segments'))).toBe(
      count * SEGMENTS_PER_ADT,
    );
    expect(summary.rowsAlreadyCommitted).toBe(300 * (SEGMENTS_PER_ADT + 1));
    const commits = await commitsOf(lake, 'clinical.patients');
    expect(commits.reduce((sum, commit) => sum + commit.summary.rowsSkippedAsDuplicate, 0)).toBe(0);
  });
});
