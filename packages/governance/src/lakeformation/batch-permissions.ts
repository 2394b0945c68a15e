import {
  BatchGrantPermissionsCommand,
  BatchRevokePermissionsCommand,
  type BatchPermissionsRequestEntry,
  type LakeFormationClient,
} from '@aws-sdk/client-lakeformation';
import type { LakeFormationFailure } from '../errors';
import { describeEntry } from '../plan/governance-plan';
import type { PermissionEntry } from '../plan/governance-state';
import { toLakeResource } from './lake-formation-resources';
import { errorCodeOf, RETRYABLE_ERROR_CODES, type LakeFormationRetry } from './lake-formation-retry';

/** Entries per BatchGrantPermissions or BatchRevokePermissions call, Lake Formation's limit. */
export const MAX_BATCH_PERMISSION_ENTRIES = 20;

export interface BatchOutcome {
  failures: LakeFormationFailure[];
  requests: number;
  /** Entries sent again after a retryable failure, counted once per retry. */
  retriedEntries: number;
}

/**
 * Grant or revoke permission entries in calls of at most 20. A call succeeds even when some entries
 * fail, so each response's `Failures` is read. Entries that failed with a retryable error are sent
 * again, alone, until they succeed or the attempts run out. The others are returned as failures.
 */
export async function sendPermissionBatches(
  client: LakeFormationClient,
  action: 'grant' | 'revoke',
  entries: readonly PermissionEntry[],
  options: { catalogId: string; retry: LakeFormationRetry; idPrefix?: string },
): Promise<BatchOutcome> {
  const operation = action === 'grant' ? 'BatchGrantPermissions' : 'BatchRevokePermissions';
  const requests: BatchPermissionsRequestEntry[] = entries.map((entry, index) => ({
    Id: `${options.idPrefix ?? action}-${index}`,
    Principal: { DataLakePrincipalIdentifier: entry.principal },
    Resource: toLakeResource(entry.resource, options.catalogId),
    Permissions: entry.permissions,
    PermissionsWithGrantOption: entry.grantable,
  }));
  const byId = new Map(requests.map((request, index) => [request.Id as string, entries[index] as PermissionEntry]));
  const outcome: BatchOutcome = { failures: [], requests: 0, retriedEntries: 0 };

  for (let start = 0; start < requests.length; start += MAX_BATCH_PERMISSION_ENTRIES) {
    let pending = requests.slice(start, start + MAX_BATCH_PERMISSION_ENTRIES);
    for (let attempt = 1; pending.length > 0; attempt++) {
      outcome.requests++;
      const input = { CatalogId: options.catalogId, Entries: pending };
      let response;
      try {
        response = await client.send(action === 'grant' ? new BatchGrantPermissionsCommand(input) : new BatchRevokePermissionsCommand(input));
      } catch (error) {
        // The whole call failed (after the SDK's own retries): every entry of it failed alike.
        const code = errorCodeOf(error);
        if (RETRYABLE_ERROR_CODES.has(code) && attempt < options.retry.maxAttempts) {
          outcome.retriedEntries += pending.length;
          await options.retry.waitAfter(attempt);
          continue;
        }
        const message = error instanceof Error ? error.message : String(error);
        for (const request of pending) {
          const entry = byId.get(request.Id as string) as PermissionEntry;
          outcome.failures.push({ operation, target: describeEntry(entry), errorCode: code, errorMessage: message });
        }
        break;
      }

      const retry: BatchPermissionsRequestEntry[] = [];
      for (const failure of response.Failures ?? []) {
        const id = failure.RequestEntry?.Id;
        const request = pending.find((candidate) => candidate.Id === id);
        const code = failure.Error?.ErrorCode ?? 'UnknownError';
        if (request !== undefined && RETRYABLE_ERROR_CODES.has(code) && attempt < options.retry.maxAttempts) {
          retry.push(request);
          continue;
        }
        const entry = id === undefined ? undefined : byId.get(id);
        outcome.failures.push({
          operation,
          target: entry === undefined ? `entry ${id ?? '(no id)'}` : describeEntry(entry),
          errorCode: code,
          errorMessage: failure.Error?.ErrorMessage ?? '',
        });
      }
      if (retry.length > 0) {
        outcome.retriedEntries += retry.length;
        await options.retry.waitAfter(attempt);
      }
      pending = retry;
    }
  }
  return outcome;
}
