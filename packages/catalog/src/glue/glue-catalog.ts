import type { GlueClient } from '@aws-sdk/client-glue';
import type {
  Catalog,
  CatalogDatabase,
  CatalogPartition,
  CatalogTable,
  PartitionInput,
  TableInput,
  UpsertTableResult,
} from '../catalog';
import {
  CatalogClosedError,
  CatalogError,
  CatalogInputError,
  InvalidPartitionInputError,
  InvalidTableInputError,
  TableNotFoundError,
} from '../errors';
import { MAX_TABLE_DESCRIPTION_BYTES, utf8Bytes } from '../glue-limits';
import { assertCatalogName } from '../names';
import { isSameDefinition, normalizeTableInput, type TableDefinition } from '../table-input';
import { GlueCalls } from './glue-calls';
import {
  checkDistinctValues,
  checkPartitionValueLists,
  createPartitions,
  deletePartitionValues,
  normalizeGluePartitions,
  uniqueByValues,
  updatePartitions,
  type PartitionWriteContext,
} from './glue-partition-writes';
import { glueDefinition, glueTableInput } from './glue-requests';
import {
  comparePartitionValues,
  databaseFromGlue,
  definitionFromGlue,
  partitionFromGlue,
  tableFromGlue,
  versionFromGlue,
} from './glue-responses';
import { GlueRetryPolicy, type GlueRetryOptions } from './glue-retry';
import { S3Locations } from './s3-locations';

export interface GlueCatalogOptions {
  /**
   * A client configured with the region and credentials to use. The catalog
   * does not own it: `close()` leaves it open for the caller to destroy.
   */
  client: GlueClient;
  /** The lake's bucket, so that lake key prefixes become `s3://` URIs. */
  bucket: string;
  /** The lake's key prefix inside the bucket, such as `lake/`, '' (the default) for the whole bucket. */
  prefix?: string;
  retry?: GlueRetryOptions;
}

/** Counts of what `switchPartitionLocations` wrote. */
export interface SwitchLocationsResult {
  /** Partitions that did not exist and were created. */
  created: number;
  /** Partitions, or the location of an unpartitioned table, moved to the new location. */
  updated: number;
}

/**
 * How many times an upsert reads, compares and writes again after another
 * writer created, changed or deleted the table between its read and its write.
 */
const MAX_WRITE_ROUNDS = 3;

/**
 * The catalog on AWS: the Glue Data Catalog of the client's account and region,
 * for Athena to query. It differs from the local catalog in these ways:
 *
 * - `ensureDatabase` creates nothing, because the deployment owns the Glue
 *   databases. A missing one rejects with `DatabaseNotFoundError` whose hint
 *   names the deployment step, and a differing description is left as deployed.
 * - Locations are stored as `s3://` URIs and read back as lake key prefixes
 *   when they lie inside the lake's bucket and prefix.
 * - A Parquet table without a `classification` parameter gets `parquet`.
 * - `version` is Glue's `VersionId` plus one, and upserts send `VersionId`, so
 *   that a concurrent change makes Glue reject the write instead of losing it.
 *   The upsert then reads the table again and compares.
 * - `switchPartitionLocations` moves partitions to new locations, the step of
 *   the commit protocol that publishes a commit's manifests to Athena.
 */
export class GlueCatalog implements Catalog {
  readonly locations: S3Locations;
  private readonly calls: GlueCalls;
  private readonly partitionWrites: PartitionWriteContext;
  private closed = false;

  constructor(options: GlueCatalogOptions) {
    this.locations = new S3Locations(options.bucket, options.prefix);
    this.calls = new GlueCalls(options.client, new GlueRetryPolicy(options.retry));
    this.partitionWrites = { calls: this.calls, locations: this.locations };
  }

  /**
   * Check that the database exists in Glue. Unlike the local catalog, this
   * creates no database and changes no description: the deployment (`cdk deploy`
   * of the infra app) owns both, and the catalog owns only tables and partitions.
   */
  async ensureDatabase(name: string, description?: string): Promise<void> {
    assertCatalogName('database', name);
    if (description !== undefined && utf8Bytes(description) > MAX_TABLE_DESCRIPTION_BYTES) {
      const message = `description of database ${name} is ${utf8Bytes(description)} bytes, Glue allows at most ${MAX_TABLE_DESCRIPTION_BYTES}`;
      throw new CatalogInputError(message, [{ keyPath: 'description', message }]);
    }
    this.checkOpen();
    await this.calls.getDatabase(name);
  }

  async listDatabases(): Promise<CatalogDatabase[]> {
    this.checkOpen();
    const databases = (await this.calls.getDatabases()).map(databaseFromGlue);
    return databases.sort((left, right) => compareText(left.name, right.name));
  }

  async getTable(database: string, name: string): Promise<CatalogTable | undefined> {
    assertCatalogName('database', database);
    assertCatalogName('table', name);
    this.checkOpen();
    const table = await this.calls.getTable(database, name);
    return table && tableFromGlue(table, this.locations);
  }

  async listTables(database?: string): Promise<CatalogTable[]> {
    if (database !== undefined) assertCatalogName('database', database);
    this.checkOpen();
    const databases =
      database === undefined ? (await this.listDatabases()).map((entry) => entry.name) : [database];
    const tables: CatalogTable[] = [];
    for (const name of databases) {
      const listed = (await this.calls.getTables(name)).map((table) =>
        tableFromGlue(table, this.locations),
      );
      tables.push(...listed.sort((left, right) => compareText(left.name, right.name)));
    }
    return tables;
  }

  async upsertTable(input: TableInput): Promise<UpsertTableResult> {
    const normalized = normalizeTableInput(input);
    const issue = this.locations.locationIssue(normalized.location, 'location');
    if (issue) {
      throw new InvalidTableInputError(
        `invalid table ${normalized.database}.${normalized.name}: ${issue.message}`,
        [issue],
      );
    }
    const definition = glueDefinition(normalized, this.locations);
    const { database, name } = definition;
    this.checkOpen();

    for (let round = 1; round <= MAX_WRITE_ROUNDS; round++) {
      const stored = await this.calls.getTable(database, name);
      if (!stored) {
        if (await this.calls.createTable(database, glueTableInput(definition, this.locations))) {
          return { created: true, changed: true, version: 1 };
        }
        continue;
      }

      const storedDefinition = definitionFromGlue(stored, this.locations);
      const version = versionFromGlue(stored.VersionId);
      if (isSameDefinition(storedDefinition, definition)) {
        return { created: false, changed: false, version };
      }
      await this.checkPartitionKeysKept(storedDefinition, definition);
      const input = glueTableInput(definition, this.locations);
      if (await this.calls.updateTable(database, input, stored.VersionId)) {
        return { created: false, changed: true, version: version + 1 };
      }
    }
    throw concurrentWritesError(database, name);
  }

  /** Delete the table. Glue deletes its partitions and archived versions asynchronously. */
  async deleteTable(database: string, name: string): Promise<{ deleted: boolean }> {
    assertCatalogName('database', database);
    assertCatalogName('table', name);
    this.checkOpen();
    return { deleted: await this.calls.deleteTable(database, name) };
  }

  async addPartitions(
    database: string,
    table: string,
    partitions: PartitionInput[],
  ): Promise<{ added: number }> {
    const definition = await this.requireTableDefinition(database, table);
    const normalized = normalizeGluePartitions(this.locations, definition, partitions);
    const result = await createPartitions(
      this.partitionWrites,
      definition,
      uniqueByValues(normalized),
    );
    return { added: result.writtenCount };
  }

  async listPartitions(database: string, table: string): Promise<CatalogPartition[]> {
    assertCatalogName('database', database);
    assertCatalogName('table', table);
    this.checkOpen();
    const partitions = await this.calls.getPartitions(database, table);
    return partitions
      .map((partition) => partitionFromGlue(partition, this.locations))
      .sort((left, right) => comparePartitionValues(left.values, right.values));
  }

  async deletePartitions(
    database: string,
    table: string,
    partitionValues: string[][],
  ): Promise<{ deleted: number }> {
    const definition = await this.requireTableDefinition(database, table);
    checkPartitionValueLists(definition, partitionValues);
    return {
      deleted: await deletePartitionValues(this.partitionWrites, definition, partitionValues),
    };
  }

  /**
   * Point partitions at new locations, creating the missing ones: the step of
   * the commit protocol that makes a commit visible to Athena by moving each
   * partition it changed to that commit's manifest folder. Partitions are
   * created with `BatchCreatePartition` (100 per call), and those that already
   * exist are moved with `BatchUpdatePartition` (100 per call), with their
   * parameters replaced by the given ones. Each partition switches at once, but
   * several partitions switch one call at a time.
   *
   * An unpartitioned table takes one entry with no values, and its table
   * location is updated (`UpdateTable`) only when it differs.
   */
  async switchPartitionLocations(
    database: string,
    table: string,
    partitions: PartitionInput[],
  ): Promise<SwitchLocationsResult> {
    const definition = await this.requireTableDefinition(database, table);
    if (definition.partitionKeys.length === 0) {
      return this.switchTableLocation(definition, partitions);
    }

    const normalized = normalizeGluePartitions(this.locations, definition, partitions);
    checkDistinctValues(definition, normalized);
    const creates = await createPartitions(this.partitionWrites, definition, normalized);
    const updated = await updatePartitions(this.partitionWrites, definition, creates.skipped);
    return { created: creates.writtenCount, updated };
  }

  /** Mark the catalog closed. The Glue client stays open, because the caller owns it. */
  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new CatalogClosedError('the Glue catalog is closed');
  }

  private async requireTableDefinition(database: string, table: string): Promise<TableDefinition> {
    assertCatalogName('database', database);
    assertCatalogName('table', table);
    this.checkOpen();
    const stored = await this.calls.getTable(database, table);
    if (!stored) throw new TableNotFoundError(database, table);
    return definitionFromGlue(stored, this.locations);
  }

  private async switchTableLocation(
    definition: TableDefinition,
    partitions: PartitionInput[],
  ): Promise<SwitchLocationsResult> {
    const { database, name } = definition;
    const [only] = partitions;
    if (partitions.length !== 1 || !only || only.values.length !== 0) {
      const message = `table ${database}.${name} has no partition keys, so it takes exactly one entry with no values, found ${partitions.length} entries`;
      throw new InvalidPartitionInputError(message, [{ keyPath: 'partitions', message }]);
    }
    const issue =
      only.location.trim() === ''
        ? { keyPath: 'partitions[0].location', message: 'location is empty' }
        : this.locations.locationIssue(only.location, 'partitions[0].location');
    if (issue) {
      throw new InvalidPartitionInputError(
        `invalid location for ${database}.${name}: ${issue.message}`,
        [issue],
      );
    }
    const location = this.locations.canonical(only.location);

    for (let round = 1; round <= MAX_WRITE_ROUNDS; round++) {
      const stored = await this.calls.getTable(database, name);
      if (!stored) throw new TableNotFoundError(database, name);
      const current = definitionFromGlue(stored, this.locations);
      if (current.location === location) return { created: 0, updated: 0 };
      const input = glueTableInput({ ...current, location }, this.locations);
      if (await this.calls.updateTable(database, input, stored.VersionId)) {
        return { created: 0, updated: 1 };
      }
    }
    throw concurrentWritesError(database, name);
  }

  /**
   * Partition values are stored by position, one per partition key, so renaming,
   * adding or removing a key would silently reassign the values of partitions
   * already registered.
   */
  private async checkPartitionKeysKept(
    stored: TableDefinition,
    next: TableDefinition,
  ): Promise<void> {
    const storedKeys = stored.partitionKeys.map((key) => key.name).join(', ');
    const nextKeys = next.partitionKeys.map((key) => key.name).join(', ');
    if (storedKeys === nextKeys) return;
    const count = (await this.calls.getPartitions(next.database, next.name)).length;
    if (count === 0) return;
    const message = `cannot change the partition keys of ${next.database}.${next.name} from (${storedKeys}) to (${nextKeys}) while it has ${count} partition(s)`;
    throw new InvalidTableInputError(message, [{ keyPath: 'partitionKeys', message }], {
      hint: 'Delete its partitions first, then register them again under the new keys.',
    });
  }
}

function concurrentWritesError(database: string, table: string): CatalogError {
  return new CatalogError(
    `table ${database}.${table} was changed by another writer during each of ${MAX_WRITE_ROUNDS} attempts to write it`,
    {
      hint: 'Another process keeps changing this table. Run the same command again once it is done.',
    },
  );
}

function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
