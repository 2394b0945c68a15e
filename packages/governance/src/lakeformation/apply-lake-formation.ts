import {
  AddLFTagsToResourceCommand,
  CreateDataCellsFilterCommand,
  CreateLFTagCommand,
  DeleteDataCellsFilterCommand,
  DeleteLFTagCommand,
  RemoveLFTagsFromResourceCommand,
  UpdateDataCellsFilterCommand,
  UpdateLFTagCommand,
  type DataCellsFilter,
  type LakeFormationClient,
  type LFTagError,
} from '@aws-sdk/client-lakeformation';
import { tagResourceKey } from '../access/effective-tags';
import { IamAllowedPrincipalsError, LakeFormationApplyError, type LakeFormationFailure } from '../errors';
import type { TagResource } from '../policy/policy-set';
import type { GovernancePlan } from '../plan/governance-plan';
import type { DataCellsFilterState } from '../plan/governance-state';
import { sendPermissionBatches } from './batch-permissions';
import { tagResourceToLake } from './lake-formation-resources';
import { errorCodeOf, LakeFormationRetry, RETRYABLE_ERROR_CODES, type LakeFormationRetryOptions } from './lake-formation-retry';
import type { LakeFormationPlan } from './plan-lake-formation';

/** Values per CreateLFTag or UpdateLFTag call, Lake Formation's limit (API_LFTag). */
export const MAX_TAG_VALUES_PER_CALL = 50;

export interface ApplyLakeFormationOptions {
  catalogId: string;
  retry?: LakeFormationRetryOptions;
}

export interface ApplyReport {
  /** Steps run, in order, with the requests each sent. */
  steps: Array<{ step: string; requests: number }>;
  retriedEntries: number;
}

type Step = { name: string; run: () => Promise<{ requests: number; failures: LakeFormationFailure[]; retriedEntries?: number }> };

/**
 * Apply a plan, step by step: create LF-tags and add values, detach and attach tags, create and
 * update data cells filters, revoke, grant, delete filters, then remove tag values and delete
 * tags. Revokes go before grants, so a changed grant never leaves a principal with the union of
 * old and new access. A step whose requests fail (after retries) stops the apply with
 * `LakeFormationApplyError`; earlier steps stay applied, and planning again picks up the rest.
 * Refuses to start (`IamAllowedPrincipalsError`) while IAMAllowedPrincipals still has access.
 */
export async function applyLakeFormationPlan(client: LakeFormationClient, plan: LakeFormationPlan, options: ApplyLakeFormationOptions): Promise<ApplyReport> {
  if (plan.refusals.length > 0) throw new IamAllowedPrincipalsError(plan.refusals);

  const retry = new LakeFormationRetry(options.retry);
  const calls = new SingleCalls(client, retry);
  const { catalogId } = options;
  const changes = plan.changes;
  const steps: Step[] = [
    { name: 'create LF-tags', run: () => calls.each(changes.createTags, (tag) => createTag(calls, catalogId, tag)) },
    { name: 'add LF-tag values', run: () => calls.each(changes.updateTags, (tag) => updateTagValues(calls, catalogId, tag.key, 'TagValuesToAdd', tag.add)) },
    { name: 'detach LF-tags', run: () => calls.each(groupColumns(changes.unassignTags), (change) => detachTags(calls, catalogId, change)) },
    { name: 'attach LF-tags', run: () => calls.each(groupColumns(changes.assignTags), (change) => attachTags(calls, catalogId, change)) },
    { name: 'create data cells filters', run: () => calls.each(changes.createFilters, (filter) => calls.send('CreateDataCellsFilter', filterName(filter), (lake) => lake.send(new CreateDataCellsFilterCommand({ TableData: filterData(filter, catalogId) })))) },
    { name: 'update data cells filters', run: () => calls.each(changes.updateFilters, (filter) => calls.send('UpdateDataCellsFilter', filterName(filter), (lake) => lake.send(new UpdateDataCellsFilterCommand({ TableData: filterData(filter, catalogId) })))) },
    { name: 'revoke permissions', run: () => sendPermissionBatches(client, 'revoke', changes.revokes, { catalogId, retry }) },
    { name: 'grant permissions', run: () => sendPermissionBatches(client, 'grant', changes.grants, { catalogId, retry }) },
    {
      name: 'delete data cells filters',
      run: () =>
        calls.each(changes.deleteFilters, (filter) =>
          calls.send('DeleteDataCellsFilter', filterName(filter), (lake) =>
            lake.send(new DeleteDataCellsFilterCommand({ TableCatalogId: catalogId, DatabaseName: filter.database, TableName: filter.table, Name: filter.name })),
          ),
        ),
    },
    { name: 'remove LF-tag values', run: () => calls.each(changes.updateTags, (tag) => updateTagValues(calls, catalogId, tag.key, 'TagValuesToDelete', tag.remove)) },
    { name: 'delete LF-tags', run: () => calls.each(changes.deleteTags, (key) => calls.send('DeleteLFTag', `LF-tag ${key}`, (lake) => lake.send(new DeleteLFTagCommand({ CatalogId: catalogId, TagKey: key })))) },
  ];

  const report: ApplyReport = { steps: [], retriedEntries: 0 };
  for (const step of steps) {
    const outcome = await step.run();
    if (outcome.requests === 0) continue;
    report.retriedEntries += outcome.retriedEntries ?? 0;
    if (outcome.failures.length > 0) {
      throw new LakeFormationApplyError(step.name, outcome.failures, report.steps.map((done) => done.step));
    }
    report.steps.push({ step: step.name, requests: outcome.requests });
  }
  return report;
}

/** Sends single requests with retries of retryable errors, and collects the failures. */
class SingleCalls {
  private requests = 0;
  private retriedEntries = 0;
  private failures: LakeFormationFailure[] = [];

  constructor(
    private readonly client: LakeFormationClient,
    private readonly retry: LakeFormationRetry,
  ) {}

  async each<T>(items: readonly T[], run: (item: T) => Promise<unknown>): Promise<{ requests: number; failures: LakeFormationFailure[]; retriedEntries: number }> {
    this.requests = 0;
    this.retriedEntries = 0;
    this.failures = [];
    for (const item of items) await run(item);
    return { requests: this.requests, failures: this.failures, retriedEntries: this.retriedEntries };
  }

  /** Send one request. Returns its output, or undefined when it failed and the failure was recorded. */
  async send<Output>(operation: string, target: string, request: (client: LakeFormationClient) => Promise<Output>): Promise<Output | undefined> {
    for (let attempt = 1; ; attempt++) {
      this.requests++;
      try {
        return await request(this.client);
      } catch (error) {
        const code = errorCodeOf(error);
        if (RETRYABLE_ERROR_CODES.has(code) && attempt < this.retry.maxAttempts) {
          this.retriedEntries++;
          await this.retry.waitAfter(attempt);
          continue;
        }
        this.fail({ operation, target, errorCode: code, errorMessage: error instanceof Error ? error.message : String(error) });
        return undefined;
      }
    }
  }

  fail(failure: LakeFormationFailure): void {
    this.failures.push(failure);
  }
}

async function createTag(calls: SingleCalls, catalogId: string, tag: { key: string; values: string[] }): Promise<void> {
  const first = tag.values.slice(0, MAX_TAG_VALUES_PER_CALL);
  const created = await calls.send('CreateLFTag', `LF-tag ${tag.key}`, (lake) => lake.send(new CreateLFTagCommand({ CatalogId: catalogId, TagKey: tag.key, TagValues: first })));
  if (created !== undefined) await updateTagValues(calls, catalogId, tag.key, 'TagValuesToAdd', tag.values.slice(MAX_TAG_VALUES_PER_CALL));
}

async function updateTagValues(calls: SingleCalls, catalogId: string, key: string, field: 'TagValuesToAdd' | 'TagValuesToDelete', values: readonly string[]): Promise<void> {
  for (let start = 0; start < values.length; start += MAX_TAG_VALUES_PER_CALL) {
    const chunk = values.slice(start, start + MAX_TAG_VALUES_PER_CALL);
    await calls.send('UpdateLFTag', `LF-tag ${key}`, (lake) => lake.send(new UpdateLFTagCommand({ CatalogId: catalogId, TagKey: key, [field]: chunk })));
  }
}

type TagChange = { resource: TagResource | { kind: 'columns'; database: string; table: string; columns: string[] }; tags: Record<string, string> };

/** Merge column changes of one table with the same tags, so one request tags them all. */
function groupColumns(changes: GovernancePlan['assignTags']): TagChange[] {
  const grouped = new Map<string, TagChange>();
  const result: TagChange[] = [];
  for (const change of changes) {
    if (change.resource.kind !== 'column') {
      result.push(change);
      continue;
    }
    const { database, table, column } = change.resource;
    const key = `${database}.${table}|${JSON.stringify(Object.entries(change.tags).sort())}`;
    const existing = grouped.get(key);
    if (existing !== undefined && existing.resource.kind === 'columns') existing.resource.columns.push(column);
    else {
      const merged: TagChange = { resource: { kind: 'columns', database, table, columns: [column] }, tags: change.tags };
      grouped.set(key, merged);
      result.push(merged);
    }
  }
  return result;
}

function tagPairs(tags: Record<string, string>): Array<{ TagKey: string; TagValues: string[] }> {
  return Object.entries(tags).map(([key, value]) => ({ TagKey: key, TagValues: [value] }));
}

function describeTagResource(resource: TagChange['resource']): string {
  return resource.kind === 'columns' ? `${resource.database}.${resource.table} columns ${resource.columns.join(', ')}` : tagResourceKey(resource);
}

async function attachTags(calls: SingleCalls, catalogId: string, change: TagChange): Promise<void> {
  const target = describeTagResource(change.resource);
  const input = { CatalogId: catalogId, Resource: tagResourceToLake(change.resource, catalogId), LFTags: tagPairs(change.tags) };
  const response = await calls.send('AddLFTagsToResource', target, (lake) => lake.send(new AddLFTagsToResourceCommand(input)));
  recordTagFailures(calls, 'AddLFTagsToResource', target, response?.Failures);
}

async function detachTags(calls: SingleCalls, catalogId: string, change: TagChange): Promise<void> {
  const target = describeTagResource(change.resource);
  const input = { CatalogId: catalogId, Resource: tagResourceToLake(change.resource, catalogId), LFTags: tagPairs(change.tags) };
  const response = await calls.send('RemoveLFTagsFromResource', target, (lake) => lake.send(new RemoveLFTagsFromResourceCommand(input)));
  recordTagFailures(calls, 'RemoveLFTagsFromResource', target, response?.Failures);
}

/** Record the per-tag `Failures` of a tag call, which succeeds even when some tags fail. */
function recordTagFailures(calls: SingleCalls, operation: string, target: string, failures: readonly LFTagError[] | undefined): void {
  for (const failure of failures ?? []) {
    calls.fail({
      operation,
      target: `${failure.LFTag?.TagKey ?? '?'}=${failure.LFTag?.TagValues?.join('|') ?? '?'} on ${target}`,
      errorCode: failure.Error?.ErrorCode ?? 'UnknownError',
      errorMessage: failure.Error?.ErrorMessage ?? '',
    });
  }
}

function filterName(filter: DataCellsFilterState): string {
  return `data cells filter ${filter.database}.${filter.table}/${filter.name}`;
}

/** Build the `DataCellsFilter` of CreateDataCellsFilter and UpdateDataCellsFilter. Its row filter text comes from the renderer. */
export function filterData(filter: DataCellsFilterState, catalogId: string): DataCellsFilter {
  return {
    TableCatalogId: catalogId,
    DatabaseName: filter.database,
    TableName: filter.table,
    Name: filter.name,
    RowFilter: filter.rowFilter === undefined ? { AllRowsWildcard: {} } : { FilterExpression: filter.rowFilter },
    ...(filter.columnNames !== undefined ? { ColumnNames: filter.columnNames } : { ColumnWildcard: { ExcludedColumnNames: filter.excludedColumnNames ?? [] } }),
  };
}
