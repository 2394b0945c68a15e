import { PutRecordsCommand, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import type { Logger } from '@carelake/core';

import { StreamRecordFailedError } from '../errors';
import { errorCodeOf, isRetryableCallError, isRetryableEntryErrorCode } from '../kinesis-errors';
import type { KinesisSender } from '../kinesis-sender';
import { backoffDelayMs, type RandomSource, type RetryPolicy, type Sleep } from '../retry';
import type { PendingEntry } from './pending-entry';
import type { DeadLetterHandler, DeadLetterRecord, ProducerStats } from './producer-types';

export interface BatchSenderContext {
  client: KinesisSender;
  streamName: string;
  policy: RetryPolicy;
  random: RandomSource;
  sleep: Sleep;
  /** Bound to the stream name, so log lines need not repeat it. */
  logger: Logger;
  deadLetter: DeadLetterHandler | undefined;
  stats: ProducerStats;
}

interface EntryFailure {
  entry: PendingEntry;
  errorCode: string;
  errorMessage?: string;
}

/**
 * Send one batch with PutRecords and settle the promise of every user record in
 * it. When a response lists failed entries, only those entries are sent again,
 * after a backoff. A failed call is repeated whole when its error is
 * retryable. Entries still failing after the last attempt, or failing with an
 * error that no retry fixes, go to the dead-letter callback. Errors of the calls
 * and of the callback settle the records' promises instead of escaping.
 *
 * Resending reorders: a record that is sent again lands after records of the
 * same partition key that were accepted the first time, as on AWS.
 */
export async function sendBatch(
  batch: readonly PendingEntry[],
  context: BatchSenderContext,
): Promise<void> {
  let remaining = [...batch];
  for (let attempt = 1; remaining.length > 0; attempt++) {
    if (attempt > 1) context.stats.entriesRetried += remaining.length;
    context.stats.putRecordsCalls += 1;

    let results: PutRecordsResultEntry[];
    try {
      const output = await context.client.send(
        new PutRecordsCommand({
          StreamName: context.streamName,
          Records: remaining.map((entry) => entry.toRequestEntry()),
        }),
      );
      results = output.Records ?? [];
    } catch (error) {
      const failures = remaining.map((entry) => ({ entry, errorCode: errorCodeOf(error) }));
      if (!isRetryableCallError(error)) {
        failEntries(failures, attempt, false, error, context);
        return;
      }
      if (attempt >= context.policy.maxAttempts) {
        await deadLetterEntries(failures, attempt, context);
        return;
      }
      await backOff(attempt, remaining.length, errorCodeOf(error), context);
      continue;
    }

    const { retryable, final } = sortResults(remaining, results, context);
    if (final.length > 0) await deadLetterEntries(final, attempt, context);
    if (retryable.length > 0 && attempt >= context.policy.maxAttempts) {
      await deadLetterEntries(retryable, attempt, context);
      return;
    }
    remaining = retryable.map((failure) => failure.entry);
    if (retryable.length > 0)
      await backOff(attempt, retryable.length, retryable[0]?.errorCode ?? '', context);
  }
}

/**
 * Resolve the accepted entries and split the failed ones into those worth
 * resending and those that are not. The response lists one result per request
 * entry, in request order.
 */
function sortResults(
  entries: readonly PendingEntry[],
  results: readonly PutRecordsResultEntry[],
  context: BatchSenderContext,
): { retryable: EntryFailure[]; final: EntryFailure[] } {
  const retryable: EntryFailure[] = [];
  const final: EntryFailure[] = [];

  entries.forEach((entry, index) => {
    const result = results[index];
    if (
      result?.SequenceNumber !== undefined &&
      result.ShardId !== undefined &&
      result.ErrorCode === undefined
    ) {
      acceptEntry(entry, result.ShardId, result.SequenceNumber, context);
      return;
    }
    // A response shorter than the request leaves entries without a result: resend them.
    const failure: EntryFailure = { entry, errorCode: result?.ErrorCode ?? 'MissingResult' };
    if (result?.ErrorMessage !== undefined) failure.errorMessage = result.ErrorMessage;
    const canRetry = result === undefined || isRetryableEntryErrorCode(failure.errorCode);
    (canRetry ? retryable : final).push(failure);
  });
  return { retryable, final };
}

function acceptEntry(
  entry: PendingEntry,
  shardId: string,
  sequenceNumber: string,
  context: BatchSenderContext,
): void {
  const aggregated = entry.aggregated;
  entry.records.forEach((record, subSequenceNumber) => {
    record.resolve({
      shardId,
      sequenceNumber,
      subSequenceNumber: aggregated ? subSequenceNumber : 0,
      aggregated,
    });
  });
  context.stats.recordsAccepted += entry.records.length;
}

async function backOff(
  attempt: number,
  entries: number,
  errorCode: string,
  context: BatchSenderContext,
): Promise<void> {
  const delayMs = backoffDelayMs(attempt, context.policy, context.random);
  context.logger.warn(
    { attempt, entries, errorCode, delayMs },
    'PutRecords entries failed, resending them',
  );
  await context.sleep(delayMs);
}

/** Hand the user records of failed entries to the dead-letter callback, then reject their `put` promises. */
async function deadLetterEntries(
  failures: readonly EntryFailure[],
  attempts: number,
  context: BatchSenderContext,
): Promise<void> {
  if (!context.deadLetter) {
    failEntries(failures, attempts, false, undefined, context);
    return;
  }

  const records = failures.flatMap((failure) =>
    failure.entry.records.map((record) => toDeadLetter(record, failure, attempts)),
  );
  try {
    await context.deadLetter(records);
  } catch (error) {
    context.logger.error(
      { records: records.length, errorCode: errorCodeOf(error) },
      'dead-letter callback failed; the records were neither accepted nor stored',
    );
    failEntries(failures, attempts, false, error, context);
    return;
  }
  context.logger.warn({ records: records.length, attempts }, 'records dead-lettered');
  failEntries(failures, attempts, true, undefined, context);
}

function toDeadLetter(
  record: PendingEntry['records'][number],
  failure: EntryFailure,
  attempts: number,
): DeadLetterRecord {
  const deadLetter: DeadLetterRecord = {
    index: record.index,
    partitionKey: record.partitionKey,
    data: record.data,
    errorCode: failure.errorCode,
    attempts,
  };
  if (record.id !== undefined) deadLetter.id = record.id;
  if (record.explicitHashKey !== undefined) deadLetter.explicitHashKey = record.explicitHashKey;
  if (failure.errorMessage !== undefined) deadLetter.errorMessage = failure.errorMessage;
  return deadLetter;
}

function failEntries(
  failures: readonly EntryFailure[],
  attempts: number,
  deadLettered: boolean,
  cause: unknown,
  context: BatchSenderContext,
): void {
  for (const failure of failures) {
    for (const record of failure.entry.records) {
      const name =
        record.id === undefined
          ? `record ${record.index}`
          : `record ${record.index} (id ${JSON.stringify(record.id)})`;
      const outcome = deadLettered ? 'was dead-lettered' : 'was not stored';
      const options: ConstructorParameters<typeof StreamRecordFailedError>[1] = {
        errorCode: failure.errorCode,
        attempts,
        deadLettered,
        position: { record: record.index },
        hint: deadLettered
          ? 'The dead-letter callback stored it; do not send it again unless it is released from there.'
          : 'The record is not on the stream: send it again later, or let its sender resend it.',
      };
      if (cause !== undefined) options.cause = cause;
      record.reject(
        new StreamRecordFailedError(
          `${name} not accepted by stream ${context.streamName} after ${attempts} attempt(s): ${failure.errorCode}; it ${outcome}`,
          options,
        ),
      );
    }
    if (deadLettered) context.stats.recordsDeadLettered += failure.entry.records.length;
    else context.stats.recordsFailed += failure.entry.records.length;
  }
}
