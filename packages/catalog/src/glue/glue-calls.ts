import {
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  BatchUpdatePartitionCommand,
  CreateTableCommand,
  DeleteTableCommand,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GetTablesCommand,
  UpdateTableCommand,
  type BatchUpdatePartitionRequestEntry,
  type Database as GlueDatabase,
  type ErrorDetail,
  type GlueClient,
  type Partition as GluePartition,
  type PartitionInput as GluePartitionInput,
  type Table as GlueTable,
  type TableInput as GlueTableInput,
} from '@aws-sdk/client-glue';
import { CatalogError, TableNotFoundError } from '../errors';
import {
  GlueDatabaseNotFoundError,
  GlueRequestError,
  isGlueErrorCode,
  type GlueOperation,
  type GlueTarget,
} from './glue-errors';
import type { PartitionBatchFailure } from './glue-partition-batches';
import type { GlueRetryPolicy } from './glue-retry';

const NOT_FOUND = 'EntityNotFoundException';

/**
 * One method per Glue API call the catalog makes. Each retries throttled and
 * internal errors, follows `NextToken` to the last page, and turns the errors
 * the catalog understands into its own (`EntityNotFoundException` into
 * `DatabaseNotFoundError`, `TableNotFoundError` or undefined). Anything else
 * becomes a `GlueRequestError` naming the operation and the table.
 */
export class GlueCalls {
  constructor(
    private readonly client: GlueClient,
    readonly retry: GlueRetryPolicy,
  ) {}

  async getDatabase(name: string): Promise<GlueDatabase> {
    const target = { database: name };
    try {
      const response = await this.send('GetDatabase', target, () =>
        this.client.send(new GetDatabaseCommand({ Name: name })),
      );
      if (response.Database) return response.Database;
    } catch (error) {
      if (!isGlueErrorCode(error, NOT_FOUND)) throw translate(error, 'GetDatabase', target);
    }
    throw new GlueDatabaseNotFoundError(name);
  }

  async getDatabases(): Promise<GlueDatabase[]> {
    return this.collectPages('GetDatabases', {}, async (token) => {
      const page = await this.client.send(new GetDatabasesCommand(withToken({}, token)));
      return { items: page.DatabaseList ?? [], nextToken: page.NextToken };
    });
  }

  /** Return the table, or undefined when it or its database does not exist. */
  async getTable(database: string, name: string): Promise<GlueTable | undefined> {
    const target = { database, table: name };
    try {
      const response = await this.send('GetTable', target, () =>
        this.client.send(new GetTableCommand({ DatabaseName: database, Name: name })),
      );
      return response.Table;
    } catch (error) {
      if (isGlueErrorCode(error, NOT_FOUND)) return undefined;
      throw translate(error, 'GetTable', target);
    }
  }

  async getTables(database: string): Promise<GlueTable[]> {
    try {
      return await this.collectPages('GetTables', { database }, async (token) => {
        const input = withToken({ DatabaseName: database }, token);
        const page = await this.client.send(new GetTablesCommand(input));
        return { items: page.TableList ?? [], nextToken: page.NextToken };
      });
    } catch (error) {
      if (isGlueErrorCode(error, NOT_FOUND)) throw new GlueDatabaseNotFoundError(database);
      throw error;
    }
  }

  /** Create the table. Returns false when it already exists, for the caller to read it again. */
  async createTable(database: string, input: GlueTableInput): Promise<boolean> {
    const target = { database, table: input.Name };
    try {
      await this.send('CreateTable', target, () =>
        this.client.send(new CreateTableCommand({ DatabaseName: database, TableInput: input })),
      );
      return true;
    } catch (error) {
      if (isGlueErrorCode(error, 'AlreadyExistsException')) return false;
      if (isGlueErrorCode(error, NOT_FOUND)) throw new GlueDatabaseNotFoundError(database);
      throw translate(error, 'CreateTable', target);
    }
  }

  /**
   * Replace the table's definition if it is still at `versionId`. Returns false
   * when another writer changed or deleted it since it was read, for the caller
   * to read it again.
   */
  async updateTable(
    database: string,
    input: GlueTableInput,
    versionId: string | undefined,
  ): Promise<boolean> {
    const target = { database, table: input.Name };
    const request = { DatabaseName: database, TableInput: input };
    try {
      await this.send('UpdateTable', target, () =>
        this.client.send(
          new UpdateTableCommand(
            versionId === undefined ? request : { ...request, VersionId: versionId },
          ),
        ),
      );
      return true;
    } catch (error) {
      if (isGlueErrorCode(error, 'ConcurrentModificationException')) return false;
      if (isGlueErrorCode(error, NOT_FOUND)) return false;
      throw translate(error, 'UpdateTable', target);
    }
  }

  /** Delete the table. Returns false when it did not exist. */
  async deleteTable(database: string, name: string): Promise<boolean> {
    const target = { database, table: name };
    try {
      await this.send('DeleteTable', target, () =>
        this.client.send(new DeleteTableCommand({ DatabaseName: database, Name: name })),
      );
      return true;
    } catch (error) {
      if (isGlueErrorCode(error, NOT_FOUND)) return false;
      throw translate(error, 'DeleteTable', target);
    }
  }

  /** Return every partition of the table, without the column list that each partition repeats. */
  async getPartitions(database: string, table: string): Promise<GluePartition[]> {
    try {
      return await this.collectPages('GetPartitions', { database, table }, async (token) => {
        const input = withToken(
          { DatabaseName: database, TableName: table, ExcludeColumnSchema: true },
          token,
        );
        const page = await this.client.send(new GetPartitionsCommand(input));
        return { items: page.Partitions ?? [], nextToken: page.NextToken };
      });
    } catch (error) {
      if (isGlueErrorCode(error, NOT_FOUND)) throw new TableNotFoundError(database, table);
      throw error;
    }
  }

  async batchCreatePartition(
    database: string,
    table: string,
    inputs: GluePartitionInput[],
  ): Promise<PartitionBatchFailure[]> {
    const response = await this.sendBatch('BatchCreatePartition', database, table, () =>
      this.client.send(
        new BatchCreatePartitionCommand({
          DatabaseName: database,
          TableName: table,
          PartitionInputList: inputs,
        }),
      ),
    );
    return (response.Errors ?? []).map((error) =>
      batchFailure(error.PartitionValues, error.ErrorDetail),
    );
  }

  async batchDeletePartition(
    database: string,
    table: string,
    partitionValues: string[][],
  ): Promise<PartitionBatchFailure[]> {
    const response = await this.sendBatch('BatchDeletePartition', database, table, () =>
      this.client.send(
        new BatchDeletePartitionCommand({
          DatabaseName: database,
          TableName: table,
          PartitionsToDelete: partitionValues.map((values) => ({ Values: values })),
        }),
      ),
    );
    return (response.Errors ?? []).map((error) =>
      batchFailure(error.PartitionValues, error.ErrorDetail),
    );
  }

  async batchUpdatePartition(
    database: string,
    table: string,
    entries: BatchUpdatePartitionRequestEntry[],
  ): Promise<PartitionBatchFailure[]> {
    const response = await this.sendBatch('BatchUpdatePartition', database, table, () =>
      this.client.send(
        new BatchUpdatePartitionCommand({
          DatabaseName: database,
          TableName: table,
          Entries: entries,
        }),
      ),
    );
    return (response.Errors ?? []).map((error) =>
      batchFailure(error.PartitionValueList, error.ErrorDetail),
    );
  }

  private async send<T>(
    operation: GlueOperation,
    target: GlueTarget,
    call: () => Promise<T>,
  ): Promise<T> {
    return this.retry.run(operation, target, call);
  }

  /** Send a batch call. The whole call fails with `TableNotFoundError` when the table is missing. */
  private async sendBatch<T>(
    operation: GlueOperation,
    database: string,
    table: string,
    call: () => Promise<T>,
  ): Promise<T> {
    const target = { database, table };
    try {
      return await this.send(operation, target, call);
    } catch (error) {
      if (isGlueErrorCode(error, NOT_FOUND)) throw new TableNotFoundError(database, table);
      throw translate(error, operation, target);
    }
  }

  /**
   * Fetch pages until one comes without `NextToken`, retrying each page on its
   * own. `EntityNotFoundException` is thrown unchanged for the caller to name.
   */
  private async collectPages<T>(
    operation: GlueOperation,
    target: GlueTarget,
    fetchPage: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string }>,
  ): Promise<T[]> {
    const items: T[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      let page: { items: T[]; nextToken?: string };
      try {
        page = await this.send(operation, target, () => fetchPage(token));
      } catch (error) {
        if (isGlueErrorCode(error, NOT_FOUND)) throw error;
        throw translate(error, operation, target);
      }
      items.push(...page.items);
      nextToken = page.nextToken === '' ? undefined : page.nextToken;
    } while (nextToken !== undefined);
    return items;
  }
}

/** Add `NextToken` only after the first page, so that the first request carries none. */
function withToken<T extends object>(
  input: T,
  nextToken: string | undefined,
): T & { NextToken?: string } {
  return nextToken === undefined ? input : { ...input, NextToken: nextToken };
}

function batchFailure(
  values: string[] | undefined,
  detail: ErrorDetail | undefined,
): PartitionBatchFailure {
  return { values, errorCode: detail?.ErrorCode ?? 'UnknownError' };
}

/** Keep the catalog's own errors, such as a `GlueRequestError` after the last retry, and wrap the rest. */
function translate(error: unknown, operation: GlueOperation, target: GlueTarget): CatalogError {
  if (error instanceof CatalogError) return error;
  return new GlueRequestError(error, operation, target);
}
