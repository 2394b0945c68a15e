import { performance } from 'node:perf_hooks';
import { CarelakeError } from '@carelake/core';
import {
  deaggregate,
  RecordDecryptionError,
  RecordEnvelopeError,
  type RecordDecryptor,
  type StreamError,
} from '@carelake/stream';
import { PipelineError } from '../errors';
import { CommittedStreamRanges } from './committed-ranges';
import {
  commitMicroBatch,
  refreshStreamCompanions,
  emptyMicroBatchCounts,
  type MicroBatchCounts,
  type StreamFaultHook,
} from './micro-batch-commit';
import { bufferingHintsOf, StreamMicroBatch } from './micro-batch';
import type {
  KinesisHandlerContext,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamEventRecord,
} from './kinesis-event';
import { stageStreamRecord } from './record-staging';
import type { StreamPipelineSetup } from './stream-pipeline-setup';
import { landingNameOf, quarantineStreamRecord } from './stream-quarantine';
import type { StreamRecordInput } from './stream-record';
import { streamRecordId } from './stream-ranges';

export interface KinesisEventHandlerOptions {
  /** The prepared pipeline, or a function that prepares it on the first invocation. */
  setup: StreamPipelineSetup | (() => Promise<StreamPipelineSetup>);
  /** Opens records that the producer encrypted. */
  decryptor?: RecordDecryptor;
  /** Time left in the invocation below which no new micro-batch starts and the rest is reported for retry; 10,000 ms by default. */
  minRemainingTimeMs?: number;
  /** Called at each fault point of a micro-batch commit; tests fail the invocation there. */
  onFaultPoint?: StreamFaultHook;
  /** Called with the counts of each invocation. */
  onInvocation?: (counts: Readonly<MicroBatchCounts>) => void;
}

/** A Lambda handler for a Kinesis event source mapping with `ReportBatchItemFailures`. */
export type KinesisEventHandler = (
  event: KinesisStreamEvent,
  context: KinesisHandlerContext,
) => Promise<KinesisStreamBatchResponse>;

/**
 * Create the Lambda handler of a stream pipeline. The event source mapping keeps the
 * checkpoints, so the handler has none: it commits the event's records in micro-batches of the
 * pipeline's buffering size, in order, with the same decoding, mapping and commit code as
 * `carelake stream run`. When a micro-batch fails, it reports the sequence number of that
 * micro-batch's first Kinesis record, and Lambda retries from there. Records of a retried range
 * that a table already contains are recognised by their sequence range and not written again.
 *
 * NOTE: ranges are found per shard in commit order, which holds with the mapping's
 * ParallelizationFactor at 1. With more, the tables' `dedupeBy` columns drop the replays.
 */
export function createKinesisEventHandler(
  options: KinesisEventHandlerOptions,
): KinesisEventHandler {
  let setupPromise: Promise<StreamPipelineSetup> | undefined;
  let lastIngestedAtMs = 0;

  const resolveSetup = (): Promise<StreamPipelineSetup> => {
    if (typeof options.setup !== 'function') return Promise.resolve(options.setup);
    // A failed preparation is tried again by the next invocation.
    setupPromise ??= options.setup().catch((error: unknown) => {
      setupPromise = undefined;
      throw error;
    });
    return setupPromise;
  };

  return async (event, context) => {
    const started = performance.now();
    const setup = await resolveSetup();
    const logger = setup.logger.child({ requestId: context.awsRequestId });
    const hints = bufferingHintsOf(setup.source, setup.pipeline.batchRows);
    const committed = new CommittedStreamRanges(
      setup.lake.store,
      setup.lake.tables,
      setup.source.stream,
    );
    const counts = emptyMicroBatchCounts();
    const minRemainingTimeMs = options.minRemainingTimeMs ?? 10_000;
    let microBatch: StreamMicroBatch | undefined;
    let firstSequenceNumber = '';

    /** Commit the open micro-batch; on failure, return the response that retries it. */
    const commitOpen = async (): Promise<KinesisStreamBatchResponse | undefined> => {
      if (!microBatch || microBatch.isEmpty) return undefined;
      try {
        await commitMicroBatch(setup, microBatch, committed, counts, options.onFaultPoint);
        microBatch = undefined;
        return undefined;
      } catch (error) {
        logger.error(
          { reason: describeFailure(error), retryFrom: firstSequenceNumber },
          'micro-batch commit failed; reporting it for retry',
        );
        return retryFrom(firstSequenceNumber);
      }
    };

    for (const eventRecord of event.Records) {
      checkStreamOf(eventRecord, setup);
      if (microBatch?.isFull(hints)) {
        const failed = await commitOpen();
        if (failed) return failed;
      }
      if (!microBatch) {
        const remainingMs = context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
        if (remainingMs < minRemainingTimeMs) {
          logger.warn(
            { remainingMs, retryFrom: eventRecord.kinesis.sequenceNumber },
            'invocation nearly out of time; reporting the rest for retry',
          );
          return retryFrom(eventRecord.kinesis.sequenceNumber);
        }
        const nowMs = setup.lake.clock.now().getTime();
        lastIngestedAtMs = Math.max(nowMs, lastIngestedAtMs + 1);
        microBatch = new StreamMicroBatch(setup.source.stream, nowMs, new Date(lastIngestedAtMs));
        firstSequenceNumber = eventRecord.kinesis.sequenceNumber;
      }
      try {
        await stageEventRecord(setup, eventRecord, microBatch, counts, options.decryptor);
      } catch (error) {
        logger.error(
          { reason: describeFailure(error), retryFrom: firstSequenceNumber },
          'staging a record failed; reporting its micro-batch for retry',
        );
        return retryFrom(firstSequenceNumber);
      }
    }
    const failed = await commitOpen();
    if (failed) return failed;
    // Once per invocation: the rows are committed and checkpointed by the response, so a failed
    // rebuild is logged and left to the next invocation, which rebuilds from the whole history.
    try {
      await refreshStreamCompanions(setup);
    } catch (error) {
      logger.error({ reason: describeFailure(error) }, 'rebuilding the _current companions failed; the next invocation rebuilds them');
    }

    const { rowsByTable: _tables, ...loggedCounts } = counts;
    logger.info(
      {
        ...loggedCounts,
        kinesisRecords: event.Records.length,
        durationMs: Math.round(performance.now() - started),
      },
      'kinesis event committed',
    );
    options.onInvocation?.(counts);
    return { batchItemFailures: [] };
  };
}

/** Split a Kinesis record into its user records, decrypt them and stage them in the micro-batch. */
async function stageEventRecord(
  setup: StreamPipelineSetup,
  eventRecord: KinesisStreamEventRecord,
  microBatch: StreamMicroBatch,
  counts: MicroBatchCounts,
  decryptor: RecordDecryptor | undefined,
): Promise<void> {
  const { kinesis } = eventRecord;
  const shardId = shardIdOf(eventRecord);
  const approximateArrivalTimestamp = new Date(
    Math.round(kinesis.approximateArrivalTimestamp * 1000),
  );
  const userRecords = deaggregate({
    partitionKey: kinesis.partitionKey,
    data: Buffer.from(kinesis.data, 'base64'),
  });

  for (const userRecord of userRecords) {
    const position = {
      sequenceNumber: kinesis.sequenceNumber,
      subSequenceNumber: userRecord.subSequenceNumber,
    };
    let data = userRecord.data;
    if (decryptor) {
      try {
        data = await decryptor.open(userRecord.data, userRecord.partitionKey);
      } catch (error) {
        if (!(error instanceof RecordEnvelopeError || error instanceof RecordDecryptionError))
          throw error;
        counts.quarantined += await quarantineUnreadable(
          setup,
          shardId,
          userRecord.partitionKey,
          position,
          userRecord.data,
          error,
        );
        microBatch.cover(shardId, position, position);
        continue;
      }
    }
    const record: StreamRecordInput = {
      shardId,
      ...position,
      partitionKey: userRecord.partitionKey,
      approximateArrivalTimestamp,
      data,
    };
    microBatch.add(await stageStreamRecord(setup, record, microBatch.ingestedAt));
  }
}

async function quarantineUnreadable(
  setup: StreamPipelineSetup,
  shardId: string,
  partitionKey: string,
  position: { sequenceNumber: string; subSequenceNumber: number },
  data: Uint8Array,
  error: StreamError,
): Promise<number> {
  return quarantineStreamRecord(setup, {
    landingName: landingNameOf(shardId, position.sequenceNumber, position.subSequenceNumber),
    data,
    streamRecord: { stream: setup.source.stream, partitionKey, shardId, ...position },
    problems: [
      {
        position: { file: streamRecordId(setup.source.stream, shardId, position) },
        stage: 'decode',
        reason: error.describe(),
      },
    ],
  });
}

/** Read the shard id from an event record's `eventID`, `<shardId>:<sequenceNumber>`. */
export function shardIdOf(eventRecord: KinesisStreamEventRecord): string {
  const separator = eventRecord.eventID.indexOf(':');
  if (separator <= 0) {
    throw new PipelineError(
      `Kinesis event record ${eventRecord.kinesis.sequenceNumber} has no shard id in its eventID`,
      {
        hint: 'Pass the event as Lambda delivers it: eventID is <shardId>:<sequenceNumber>.',
      },
    );
  }
  return eventRecord.eventID.slice(0, separator);
}

/** Reject records of another stream than the pipeline's, which means the event source mapping is wrong. */
function checkStreamOf(eventRecord: KinesisStreamEventRecord, setup: StreamPipelineSetup): void {
  const arn = eventRecord.eventSourceARN;
  const stream = arn.slice(arn.indexOf(':stream/') + ':stream/'.length);
  if (arn.includes(':stream/') && stream === setup.source.stream) return;
  throw new PipelineError(
    `Kinesis event from ${arn} is not from stream ${setup.source.stream} of pipeline ${setup.pipeline.name}`,
    {
      position: { file: setup.pipeline.file, keyPath: 'source.stream' },
      hint: "Point the function's event source mapping at the pipeline's stream, or deploy the pipeline that reads this stream.",
    },
  );
}

function retryFrom(sequenceNumber: string): KinesisStreamBatchResponse {
  return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
}

/** Only carelake errors are known to carry no field values, so others are logged by name. */
function describeFailure(error: unknown): string {
  if (error instanceof CarelakeError) return error.describe();
  return error instanceof Error ? error.name : 'unknown error';
}
