import { GluePartitionBatchError, RETRYABLE_ERROR_CODES, type GlueOperation } from './glue-errors';
import type { GlueRetryPolicy } from './glue-retry';

/** Entries per call, from the AWS Glue API reference of each operation. */
export const MAX_PARTITIONS_PER_BATCH_CREATE = 100;
export const MAX_PARTITIONS_PER_BATCH_DELETE = 25;
export const MAX_ENTRIES_PER_BATCH_UPDATE = 100;

/** One entry of a batch call's `Errors`, identified by its partition values. */
export interface PartitionBatchFailure {
  values: string[] | undefined;
  errorCode: string;
}

export interface PartitionBatch<Entry> {
  operation: GlueOperation;
  database: string;
  table: string;
  /** Entries with distinct partition values, so that each failure matches one entry. */
  entries: readonly Entry[];
  maxEntriesPerCall: number;
  valuesOf: (entry: Entry) => readonly string[];
  /**
   * The error code that means the entry needs no write, such as
   * `AlreadyExistsException` for a create. Such entries are skipped, not failed.
   */
  skippedErrorCode?: string;
  /** Send one call with these entries and return its `Errors`. */
  send: (entries: Entry[]) => Promise<PartitionBatchFailure[]>;
}

export interface PartitionBatchResult<Entry> {
  /** Entries that Glue wrote. */
  writtenCount: number;
  /** Entries that failed with `skippedErrorCode`. */
  skipped: Entry[];
}

/**
 * Send the entries in calls of at most `maxEntriesPerCall`, and read each
 * response's `Errors` entry by entry. Entries that failed with a throttling or
 * internal error are sent again, alone, up to the retry policy's attempts.
 * After every call has been made, raises `GluePartitionBatchError` if any entry
 * failed for another reason or ran out of attempts.
 */
export async function runPartitionBatches<Entry>(
  batch: PartitionBatch<Entry>,
  retry: GlueRetryPolicy,
): Promise<PartitionBatchResult<Entry>> {
  let writtenCount = 0;
  const skipped: Entry[] = [];
  const errorCodes: Record<string, number> = {};
  let failedCount = 0;

  for (let start = 0; start < batch.entries.length; start += batch.maxEntriesPerCall) {
    let pending = batch.entries.slice(start, start + batch.maxEntriesPerCall);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const outcome = classifyFailures(batch, pending, await batch.send(pending));
      writtenCount += outcome.writtenCount;
      skipped.push(...outcome.skipped);
      failedCount += outcome.failed.length;
      for (const code of outcome.failed) errorCodes[code] = (errorCodes[code] ?? 0) + 1;

      const retryable = outcome.retryable;
      pending = retryable.map(({ entry }) => entry);
      if (retryable.length === 0) break;
      if (attempt >= retry.maxAttempts) {
        failedCount += retryable.length;
        for (const { errorCode } of retryable)
          errorCodes[errorCode] = (errorCodes[errorCode] ?? 0) + 1;
        break;
      }
      await retry.waitBeforeRetry({
        operation: batch.operation,
        target: { database: batch.database, table: batch.table },
        attempt,
        errorCode: retryable[0]?.errorCode ?? '',
        retriedEntries: retryable.length,
      });
    }
  }

  if (failedCount > 0) {
    throw new GluePartitionBatchError({
      operation: batch.operation,
      database: batch.database,
      table: batch.table,
      failedCount,
      succeededCount: writtenCount + skipped.length,
      errorCodes,
    });
  }
  return { writtenCount, skipped };
}

interface CallOutcome<Entry> {
  writtenCount: number;
  skipped: Entry[];
  retryable: Array<{ entry: Entry; errorCode: string }>;
  /** Error codes of the entries that failed for good. */
  failed: string[];
}

/** Sort one response's `Errors` into skipped, retryable and failed entries. The rest were written. */
function classifyFailures<Entry>(
  batch: PartitionBatch<Entry>,
  sent: readonly Entry[],
  failures: readonly PartitionBatchFailure[],
): CallOutcome<Entry> {
  const byValues = new Map(sent.map((entry) => [valuesKey(batch.valuesOf(entry)), entry]));
  const outcome: CallOutcome<Entry> = { writtenCount: 0, skipped: [], retryable: [], failed: [] };
  let matched = 0;

  for (const failure of failures) {
    const key = failure.values === undefined ? undefined : valuesKey(failure.values);
    const entry = key === undefined ? undefined : byValues.get(key);
    if (key === undefined || entry === undefined) {
      // An error Glue did not tie to an entry that was sent: count it as a failure.
      outcome.failed.push(failure.errorCode);
      matched++;
      continue;
    }
    byValues.delete(key);
    matched++;
    if (failure.errorCode === batch.skippedErrorCode) outcome.skipped.push(entry);
    else if (RETRYABLE_ERROR_CODES.has(failure.errorCode))
      outcome.retryable.push({ entry, errorCode: failure.errorCode });
    else outcome.failed.push(failure.errorCode);
  }
  outcome.writtenCount = Math.max(0, sent.length - matched);
  return outcome;
}

function valuesKey(values: readonly string[]): string {
  return JSON.stringify(values);
}
