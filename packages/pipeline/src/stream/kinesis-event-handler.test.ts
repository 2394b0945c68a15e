// Real: a local lake in a temporary folder (object store, DuckDB, Parquet, SQLite catalog, audit
// log), the repository's datasets and HL7 v2 mappings, KPL aggregation. Faked: the Kinesis
// events are built by the test as Lambda would deliver them, and the clock is fixed.
import { encodeAggregatedRecord } from '@carelake/stream';
import { totalRows } from '@carelake/tables';
import type { Lake } from '../lake';
import { PipelineError } from '../errors';
import {
  numberedAdt,
  openTempLake,
  repositoryDatasets,
  SEGMENTS_PER_ADT,
  streamPipeline,
} from './__fixtures__/stream-messages';
import type { KinesisStreamEvent, KinesisStreamEventRecord } from './kinesis-event';
import { createKinesisEventHandler } from './kinesis-event-handler';
import { prepareStreamPipeline } from './stream-pipeline-setup';

const SHARD = 'shardId-000000000003';
const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/hl7-adt';
const context = { awsRequestId: 'test-request', getRemainingTimeInMillis: () => 60_000 };

/** A 56-digit sequence number like the ones Kinesis returns, increasing with `index`. */
function sequenceNumberOf(index: number): string {
  return `4959033827149025660855969253836157109592157598913658${String(1000 + index).padStart(4, '0')}`;
}

function eventRecord(
  index: number,
  data: Uint8Array,
  partitionKey = `key-${index}`,
): KinesisStreamEventRecord {
  const sequenceNumber = sequenceNumberOf(index);
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber,
      data: Buffer.from(data).toString('base64'),
      approximateArrivalTimestamp: 1_772_600_767.123,
    },
    eventSource: 'aws:kinesis',
    eventID: `${SHARD}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    eventSourceARN: STREAM_ARN,
    awsRegion: 'us-east-1',
  };
}

function adtBytes(number: number): Uint8Array {
  return Buffer.from(numberedAdt(number), 'utf8');
}

describe('createKinesisEventHandler', () => {
  let lake: Lake;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    ({ lake, remove } = await openTempLake('kinesis-handler-test'));
  });

  afterEach(async () => {
    await remove();
  });

  async function rowsOf(table: string): Promise<number> {
    return totalRows(await lake.tables.snapshot(table));
  }

  it('writes plain and aggregated records once', async () => {
    const setup = await prepareStreamPipeline({
      lake,
      pipeline: streamPipeline(),
      datasets: repositoryDatasets,
    });
    const handleKinesisEvent = createKinesisEventHandler({ setup });
    const aggregated = encodeAggregatedRecord({
      partitionKeyTable: ['key-a'],
      explicitHashKeyTable: [],
      records: [10, 11, 12].map((number) => ({ partitionKeyIndex: 0, data: adtBytes(number) })),
    });
    const event: KinesisStreamEvent = {
      Records: [
        eventRecord(0, adtBytes(0)),
        eventRecord(1, adtBytes(1)),
        eventRecord(2, aggregated, 'key-a'),
      ],
    };

    const response = await handleKinesisEvent(event, context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await rowsOf('clinical.patients')).toBe(5);
    expect(await rowsOf('raw.hl7v2_segments')).toBe(5 * SEGMENTS_PER_ADT);
    const snapshot = await lake.tables.snapshot('raw.hl7v2_segments');
    expect(snapshot?.inputs).toEqual([
      `kinesis:hl7-adt:${SHARD}:${sequenceNumberOf(0)}.0-${sequenceNumberOf(2)}.2`,
    ]);
    expect(
      snapshot?.files.every((file) =>
        file.key.includes(`/part-${snapshot.commitId}-${SHARD}_${sequenceNumberOf(0)}.0-`),
      ),
    ).toBe(true);
    expect(snapshot?.files.every((file) => /\/message_code=ADT\//.test(file.key))).toBe(true);
  });

  it('reports a failed micro-batch, and its retry writes each row once', async () => {
    // Four rows a record: each record is a micro-batch of its own.
    const pipeline = streamPipeline({ batchRows: SEGMENTS_PER_ADT + 1 });
    const setup = await prepareStreamPipeline({ lake, pipeline, datasets: repositoryDatasets });
    let failOnce = true;
    const replayed: number[] = [];
    const handleKinesisEvent = createKinesisEventHandler({
      setup,
      onInvocation: (invocation) => replayed.push(invocation.rowsAlreadyCommitted),
      onFaultPoint: (point, detail) => {
        if (point !== 'after-table-commit' || detail.microBatch !== 2 || !failOnce) return;
        if (detail.table !== 'raw.hl7v2_segments') return;
        failOnce = false;
        throw new Error('injected crash after the segments commit');
      },
    });
    const records = [0, 1, 2, 3].map((index) => eventRecord(index, adtBytes(index)));

    const failed = await handleKinesisEvent({ Records: records }, context);
    const retryFrom = records.findIndex(
      (record) => record.kinesis.sequenceNumber === failed.batchItemFailures[0]?.itemIdentifier,
    );
    const patientsAfterFailure = await rowsOf('clinical.patients');
    const retried = await handleKinesisEvent({ Records: records.slice(retryFrom) }, context);

    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberOf(1) }]);
    expect(patientsAfterFailure).toBe(1);
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(replayed).toEqual([SEGMENTS_PER_ADT]);
    expect(await rowsOf('raw.hl7v2_segments')).toBe(4 * SEGMENTS_PER_ADT);
    expect(await rowsOf('clinical.patients')).toBe(4);
    const latestSegments = await lake.tables.snapshot('raw.hl7v2_segments');
    expect(latestSegments?.summary.rowsSkippedAsDuplicate).toBe(0);
  });

  it('counts the replayed rows it leaves out', async () => {
    const setup = await prepareStreamPipeline({
      lake,
      pipeline: streamPipeline(),
      datasets: repositoryDatasets,
    });
    const counts: number[] = [];
    const handleKinesisEvent = createKinesisEventHandler({
      setup,
      onInvocation: (invocation) => counts.push(invocation.rowsAlreadyCommitted),
    });
    const event = { Records: [eventRecord(0, adtBytes(0)), eventRecord(1, adtBytes(1))] };

    await handleKinesisEvent(event, context);
    await handleKinesisEvent(event, context);

    expect(counts).toEqual([0, 2 * (SEGMENTS_PER_ADT + 1)]);
    expect(await rowsOf('clinical.patients')).toBe(2);
  });

  it('quarantines an undecodable record by shard and sequence number', async () => {
    const setup = await prepareStreamPipeline({
      lake,
      pipeline: streamPipeline({ decode: { format: 'auto' } }),
      datasets: repositoryDatasets,
    });
    const handleKinesisEvent = createKinesisEventHandler({ setup });

    await handleKinesisEvent(
      { Records: [eventRecord(0, Buffer.from('not a message')), eventRecord(1, adtBytes(1))] },
      context,
    );

    const items: Array<Record<string, unknown>> = [];
    for await (const object of lake.store.list({ prefix: 'quarantine/adt-stream/' })) {
      items.push(
        JSON.parse(Buffer.from(await lake.store.get(object.key)).toString('utf8')) as Record<
          string,
          unknown
        >,
      );
    }
    expect(items).toHaveLength(1);
    expect(items[0]?.['streamRecord']).toEqual({
      stream: 'hl7-adt',
      partitionKey: 'key-0',
      shardId: SHARD,
      sequenceNumber: sequenceNumberOf(0),
      subSequenceNumber: 0,
    });
    expect(items[0]?.['landingKey']).toMatch(
      /^landing\/adt-stream\/[0-9a-f]{2}\/[0-9a-f]{64}\/shardId-000000000003_/,
    );
    expect(await rowsOf('clinical.patients')).toBe(1);
  });

  it('maps FHIR records through views and transforms', async () => {
    const pipeline = streamPipeline({
      decode: { format: 'auto' },
      outputs: ['raw.fhir_resources', 'fhir.patient', 'clinical.patients'],
    });
    const setup = await prepareStreamPipeline({ lake, pipeline, datasets: repositoryDatasets });
    const handleKinesisEvent = createKinesisEventHandler({ setup });
    const patient = {
      resourceType: 'Patient',
      id: 'p1',
      meta: { versionId: '1', lastUpdated: '2026-03-04T05:06:07Z' },
      gender: 'female',
      birthDate: '1980-01-01',
    };

    const response = await handleKinesisEvent(
      { Records: [eventRecord(0, Buffer.from(JSON.stringify(patient)))] },
      context,
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await rowsOf('raw.fhir_resources')).toBe(1);
    expect(await rowsOf('fhir.patient')).toBe(1);
    expect(await rowsOf('clinical.patients')).toBe(1);
    const clinical = await lake.tables.snapshot('clinical.patients');
    expect(clinical?.inputs).toEqual([
      `kinesis:hl7-adt:${SHARD}:${sequenceNumberOf(0)}.0-${sequenceNumberOf(0)}.0`,
    ]);
  });

  it('rejects an event of another stream', async () => {
    const setup = await prepareStreamPipeline({
      lake,
      pipeline: streamPipeline(),
      datasets: repositoryDatasets,
    });
    const handleKinesisEvent = createKinesisEventHandler({ setup });
    const record = {
      ...eventRecord(0, adtBytes(0)),
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/other',
    };

    await expect(handleKinesisEvent({ Records: [record] }, context)).rejects.toThrow(PipelineError);
  });
});
