import {
  AlreadyExistsException,
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  BatchUpdatePartitionCommand,
  ConcurrentModificationException,
  CreateTableCommand,
  DeleteTableCommand,
  EntityNotFoundException,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GetTablesCommand,
  InvalidInputException,
  UpdateTableCommand,
  type BatchCreatePartitionRequest,
  type BatchCreatePartitionResponse,
  type BatchDeletePartitionRequest,
  type BatchDeletePartitionResponse,
  type BatchUpdatePartitionRequest,
  type BatchUpdatePartitionResponse,
  type CreateTableRequest,
  type Database,
  type DeleteTableRequest,
  type GetDatabaseRequest,
  type GetDatabasesRequest,
  type GetPartitionsRequest,
  type GetTableRequest,
  type GetTablesRequest,
  type GlueClient,
  type Partition,
  type Table,
  type UpdateTableRequest,
} from '@aws-sdk/client-glue';
import type { Clock } from '@carelake/core';
import type { AwsClientStub } from 'aws-sdk-client-mock';

const $metadata = { httpStatusCode: 400 };

/**
 * An in-memory stand-in for the part of the Glue Data Catalog the catalog uses,
 * written from the AWS Glue API reference. It raises `EntityNotFoundException`
 * for a missing database, table or partition and `AlreadyExistsException` for
 * one that exists. Batch calls report failed entries in `Errors` and enforce
 * their size limits (100 creates, 25 deletes, 100 updates). Table versions
 * start at "0" and `UpdateTable` checks `VersionId`. Lists come in `NextToken`
 * pages in creation order, not sorted, so that a client relying on Glue's order
 * fails. Unlike Glue, `DeleteTable` removes the table's partitions at once
 * rather than eventually.
 */
export class FakeGlue {
  private readonly databases = new Map<string, Database>();
  private readonly tables = new Map<string, Table>();
  private readonly partitions = new Map<string, Map<string, Partition>>();

  constructor(
    private readonly clock: Clock,
    /** Items per page of every Get* list call, small so that tests cross pages. */
    private readonly pageSize = 2,
  ) {}

  /** Add a database, as the deployment does. */
  addDatabase(name: string, description?: string): void {
    const database: Database = { Name: name, CreateTime: this.clock.now() };
    if (description !== undefined) database.Description = description;
    this.databases.set(name, database);
  }

  /** Register a handler on this mocked client for every command the catalog sends. */
  attach(mock: AwsClientStub<GlueClient>): void {
    mock.on(GetDatabaseCommand).callsFake(async (input) => this.getDatabase(input));
    mock.on(GetDatabasesCommand).callsFake(async (input) => this.getDatabases(input));
    mock.on(GetTableCommand).callsFake(async (input) => this.getTable(input));
    mock.on(GetTablesCommand).callsFake(async (input) => this.getTables(input));
    mock.on(CreateTableCommand).callsFake(async (input) => this.createTable(input));
    mock.on(UpdateTableCommand).callsFake(async (input) => this.updateTable(input));
    mock.on(DeleteTableCommand).callsFake(async (input) => this.deleteTable(input));
    mock.on(GetPartitionsCommand).callsFake(async (input) => this.getPartitions(input));
    mock.on(BatchCreatePartitionCommand).callsFake(async (input) => this.batchCreate(input));
    mock.on(BatchDeletePartitionCommand).callsFake(async (input) => this.batchDelete(input));
    mock.on(BatchUpdatePartitionCommand).callsFake(async (input) => this.batchUpdate(input));
  }

  private getDatabase(input: GetDatabaseRequest) {
    return { Database: copy(this.requireDatabase(input.Name)), $metadata };
  }

  private getDatabases(input: GetDatabasesRequest) {
    const page = this.page([...this.databases.values()], input.NextToken);
    return { DatabaseList: page.items.map(copy), NextToken: page.nextToken, $metadata };
  }

  private getTable(input: GetTableRequest) {
    return { Table: copy(this.requireTable(input.DatabaseName, input.Name)), $metadata };
  }

  private getTables(input: GetTablesRequest) {
    this.requireDatabase(input.DatabaseName);
    const tables = [...this.tables.values()].filter(
      (table) => table.DatabaseName === input.DatabaseName,
    );
    const page = this.page(tables, input.NextToken);
    return { TableList: page.items.map(copy), NextToken: page.nextToken, $metadata };
  }

  private createTable(input: CreateTableRequest) {
    this.requireDatabase(input.DatabaseName);
    const name = (input.TableInput?.Name ?? '').toLowerCase();
    const key = tableKey(input.DatabaseName, name);
    if (this.tables.has(key)) {
      throw new AlreadyExistsException({ message: `Table already exists.`, $metadata });
    }
    const now = this.clock.now();
    this.tables.set(key, {
      ...copy(input.TableInput),
      Name: name,
      DatabaseName: input.DatabaseName,
      CreateTime: now,
      UpdateTime: now,
      VersionId: '0',
    });
    this.partitions.set(key, new Map());
    return { $metadata };
  }

  private updateTable(input: UpdateTableRequest) {
    const stored = this.requireTable(input.DatabaseName, input.TableInput?.Name);
    if (input.VersionId !== undefined && input.VersionId !== stored.VersionId) {
      throw new ConcurrentModificationException({
        message: 'Update table failed due to concurrent modifications.',
        $metadata,
      });
    }
    this.tables.set(tableKey(stored.DatabaseName, stored.Name), {
      ...copy(input.TableInput),
      Name: stored.Name,
      DatabaseName: stored.DatabaseName,
      CreateTime: stored.CreateTime,
      UpdateTime: this.clock.now(),
      VersionId: String(Number(stored.VersionId) + 1),
    });
    return { $metadata };
  }

  private deleteTable(input: DeleteTableRequest) {
    const stored = this.requireTable(input.DatabaseName, input.Name);
    const key = tableKey(stored.DatabaseName, stored.Name);
    this.tables.delete(key);
    this.partitions.delete(key);
    return { $metadata };
  }

  private getPartitions(input: GetPartitionsRequest) {
    const partitions = this.requirePartitions(input.DatabaseName, input.TableName);
    const page = this.page([...partitions.values()], input.NextToken);
    const items = page.items.map((partition) => {
      const result = copy(partition);
      if (input.ExcludeColumnSchema && result.StorageDescriptor) {
        delete result.StorageDescriptor.Columns;
      }
      return result;
    });
    return { Partitions: items, NextToken: page.nextToken, $metadata };
  }

  private batchCreate(input: BatchCreatePartitionRequest): BatchCreatePartitionResponse {
    const list = input.PartitionInputList ?? [];
    checkBatchSize(list.length, 100, 'PartitionInputList');
    const table = this.requireTable(input.DatabaseName, input.TableName);
    const partitions = this.requirePartitions(input.DatabaseName, input.TableName);
    const errors: NonNullable<BatchCreatePartitionResponse['Errors']> = [];
    for (const entry of list) {
      const values = entry.Values ?? [];
      const key = valuesKey(values);
      if (values.length !== (table.PartitionKeys ?? []).length) {
        errors.push(entryError(values, 'InvalidInputException'));
      } else if (partitions.has(key)) {
        errors.push(entryError(values, 'AlreadyExistsException'));
      } else {
        partitions.set(key, {
          ...copy(entry),
          DatabaseName: input.DatabaseName,
          TableName: input.TableName,
          CreationTime: this.clock.now(),
        });
      }
    }
    return errors.length > 0 ? { Errors: errors } : {};
  }

  private batchDelete(input: BatchDeletePartitionRequest): BatchDeletePartitionResponse {
    const list = input.PartitionsToDelete ?? [];
    checkBatchSize(list.length, 25, 'PartitionsToDelete');
    const partitions = this.requirePartitions(input.DatabaseName, input.TableName);
    const errors: NonNullable<BatchDeletePartitionResponse['Errors']> = [];
    for (const entry of list) {
      const values = entry.Values ?? [];
      if (!partitions.delete(valuesKey(values)))
        errors.push(entryError(values, 'EntityNotFoundException'));
    }
    return errors.length > 0 ? { Errors: errors } : {};
  }

  private batchUpdate(input: BatchUpdatePartitionRequest): BatchUpdatePartitionResponse {
    const list = input.Entries ?? [];
    checkBatchSize(list.length, 100, 'Entries');
    const partitions = this.requirePartitions(input.DatabaseName, input.TableName);
    const errors: NonNullable<BatchUpdatePartitionResponse['Errors']> = [];
    for (const entry of list) {
      const values = entry.PartitionValueList ?? [];
      const stored = partitions.get(valuesKey(values));
      if (!stored) {
        errors.push({
          PartitionValueList: values,
          ErrorDetail: {
            ErrorCode: 'EntityNotFoundException',
            ErrorMessage: 'Partition not found.',
          },
        });
        continue;
      }
      partitions.set(valuesKey(values), {
        ...copy(entry.PartitionInput),
        Values: values,
        DatabaseName: stored.DatabaseName,
        TableName: stored.TableName,
        CreationTime: stored.CreationTime,
      });
    }
    return errors.length > 0 ? { Errors: errors } : {};
  }

  private requireDatabase(name: string | undefined): Database {
    const database = this.databases.get(name ?? '');
    if (!database) {
      throw new EntityNotFoundException({ message: `Database ${name} not found.`, $metadata });
    }
    return database;
  }

  private requireTable(database: string | undefined, name: string | undefined): Table {
    this.requireDatabase(database);
    const table = this.tables.get(tableKey(database, name));
    if (!table) {
      throw new EntityNotFoundException({ message: `Table ${name} not found.`, $metadata });
    }
    return table;
  }

  private requirePartitions(
    database: string | undefined,
    table: string | undefined,
  ): Map<string, Partition> {
    this.requireTable(database, table);
    return this.partitions.get(tableKey(database, table)) ?? new Map();
  }

  /** Cut a list into pages of `pageSize`. The token is the offset of the next page. */
  private page<T>(items: T[], nextToken: string | undefined): { items: T[]; nextToken?: string } {
    const start = nextToken === undefined ? 0 : Number(nextToken);
    const end = start + this.pageSize;
    return end < items.length
      ? { items: items.slice(start, end), nextToken: String(end) }
      : { items: items.slice(start) };
  }
}

function checkBatchSize(count: number, max: number, field: string): void {
  if (count > max) {
    throw new InvalidInputException({
      message: `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
      $metadata,
    });
  }
}

function entryError(values: string[], code: string) {
  return { PartitionValues: values, ErrorDetail: { ErrorCode: code, ErrorMessage: code } };
}

function tableKey(database: string | undefined, name: string | undefined): string {
  return `${database ?? ''}.${(name ?? '').toLowerCase()}`;
}

function valuesKey(values: readonly string[]): string {
  return JSON.stringify(values);
}

/** Copy stored objects in and out, so that the caller's objects and the store never share arrays. */
function copy<T>(value: T): T {
  return structuredClone(value);
}
