// Real: StreamProducer and the checkpointed consumer against kinesalite on 127.0.0.1 (the lake's
// local endpoint) with SplitShard, and a local lake in a temporary folder (object store, DuckDB,
// Parquet, SQLite catalog, audit log). Faked: nothing; the worker is held at a fault point hook
// while the shard is split.
import { SplitShardCommand } from '@aws-sdk/client-kinesis';
import {
  openLakeStreamEndpoint,
  prepareStreamPipeline,
  StreamPipelineWorker,
  StreamPublisher,
  streamPublishingSetup,
  type Lake,
  type LakeStreamEndpoint,
} from '@carelake/pipeline';
import { waitForStreamActive } from '@carelake/stream';
import { totalRows } from '@carelake/tables';
import {
  adtStreamPipeline,
  numberedAdt,
  openTempLake,
  repositoryDatasets,
  SEGMENTS_PER_ADT,
  selectRows,
} from './stream-fixtures';

const HALF = 1500;
const PATIENTS = 8;
// 2^127, the middle of the 128-bit hash key space.
const MIDDLE_HASH_KEY = '170141183460469231731687303715884105728';
const PARENT = 'shardId-000000000000';

async function waitFor(condition: () => Promise<boolean>, description: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function compareBigInts(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

describe('stream pipeline across a shard split', () => {
  let lake: Lake;
  let remove: () => Promise<void>;
  let endpoint: LakeStreamEndpoint;

  beforeEach(async () => {
    ({ lake, remove } = await openTempLake('stream-resharding-e2e'));
    endpoint = await openLakeStreamEndpoint(lake.root);
  });

  afterEach(async () => {
    await endpoint.close();
    await remove();
  });

  it('keeps each patient in order when a shard splits mid-run', async () => {
    const pipeline = adtStreamPipeline(
      'adt-split',
      { stream: 'hl7-split', shards: 1 },
      { batchRows: 1000 },
    );
    await endpoint.ensureStream('hl7-split', 1);
    const publisher = new StreamPublisher({
      setup: streamPublishingSetup({ lake, pipeline }),
      client: endpoint.client,
      producer: { lingerMs: 5 },
    });
    const publish = (from: number, to: number): Promise<unknown> =>
      Promise.all(
        Array.from({ length: to - from }, (_, offset) =>
          publisher.publish(numberedAdt(from + offset, (from + offset) % PATIENTS), {
            name: 'generated',
          }),
        ),
      );
    await publish(0, HALF);

    let releaseWorker: () => void = () => undefined;
    const workerReleased = new Promise<void>((resolve) => (releaseWorker = resolve));
    let reachedHold: () => void = () => undefined;
    const atHold = new Promise<void>((resolve) => (reachedHold = resolve));
    const worker = new StreamPipelineWorker({
      setup: await prepareStreamPipeline({ lake, pipeline, datasets: repositoryDatasets }),
      client: endpoint.client,
      // Pages of 100 records, and shards listed every round, so the split is seen while the parent has records left.
      consumer: { maxRecordsPerRequest: 100, idleDelayMs: 5, shardRefreshIntervalMs: 0 },
      onFaultPoint: async (point, detail) => {
        if (point !== 'before-checkpoint' || detail.microBatch !== 2) return;
        reachedHold();
        await workerReleased;
      },
    });
    const running = worker.run();
    await atHold;
    await endpoint.client.send(
      new SplitShardCommand({
        StreamName: 'hl7-split',
        ShardToSplit: PARENT,
        NewStartingHashKey: MIDDLE_HASH_KEY,
      }),
    );
    await waitForStreamActive(endpoint.client, 'hl7-split');
    await publish(HALF, 2 * HALF);
    await publisher.close();
    releaseWorker();
    await waitFor(
      async () => totalRows(await lake.tables.snapshot('clinical.patients')) === 2 * HALF,
      'every patient row',
    );
    await worker.stop();
    const summary = await running;

    const rows = await selectRows(
      lake,
      'raw.hl7v2_segments',
      "SELECT CAST(split_part(segment_text, '|', 2) AS INTEGER) AS number, source_file, epoch_ms(ingested_at) AS ingested_ms FROM t WHERE segment_id = 'ZRC'",
    );
    const parsed = rows.map((row) => {
      const [, , shardId, position] = String(row['source_file']).split(':');
      return {
        number: Number(row['number']),
        shardId: shardId as string,
        sequence: BigInt(String(position).split('.')[0] as string),
        ingestedMs: Number(row['ingested_ms']),
      };
    });
    expect(parsed).toHaveLength(2 * HALF);
    expect(new Set(parsed.map((row) => row.number)).size).toBe(2 * HALF);
    expect(new Set(parsed.map((row) => row.shardId)).size).toBe(3);
    expect(summary.rowsOut).toBe(2 * HALF * (SEGMENTS_PER_ADT + 1));

    for (let patient = 0; patient < PATIENTS; patient++) {
      const ofPatient = parsed.filter((row) => row.number % PATIENTS === patient);
      // One micro-batch never mixes a patient's records of two shards, so arrival order is (micro-batch, sequence number).
      const shardsPerBatch = new Map<number, Set<string>>();
      for (const row of ofPatient)
        shardsPerBatch.set(
          row.ingestedMs,
          (shardsPerBatch.get(row.ingestedMs) ?? new Set()).add(row.shardId),
        );
      expect([...shardsPerBatch.values()].every((shards) => shards.size === 1)).toBe(true);
      const inArrivalOrder = [...ofPatient].sort(
        (a, b) => a.ingestedMs - b.ingestedMs || compareBigInts(a.sequence, b.sequence),
      );
      const numbers = inArrivalOrder.map((row) => row.number);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      const lastParentRow = inArrivalOrder.map((row) => row.shardId === PARENT).lastIndexOf(true);
      const firstChildRow = inArrivalOrder.findIndex((row) => row.shardId !== PARENT);
      expect(lastParentRow).toBeLessThan(firstChildRow);
    }
  });
});
