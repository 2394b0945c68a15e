import { CarelakeError, type CarelakeErrorOptions } from '@carelake/core';

/** Root of the errors the catalog raises. Messages name databases, tables and columns, never partition values. */
export class CatalogError extends CarelakeError {}

/** One problem in a catalog request, at a key path such as `columns[2].name`. */
export interface CatalogIssue {
  keyPath: string;
  message: string;
}

/** A request with one or more problems, all listed in `issues` so that one run reports them all. */
export class CatalogInputError extends CatalogError {
  readonly issues: readonly CatalogIssue[];

  constructor(
    message: string,
    issues: readonly CatalogIssue[],
    options: CarelakeErrorOptions = {},
  ) {
    super(message, options);
    this.issues = issues;
  }

  override describe(): string {
    const lines = this.issues.map((issue) => `  - ${issue.keyPath}: ${issue.message}`);
    return [super.describe(), ...lines].join('\n');
  }
}

/** A database, table, column or partition key name that breaks the Glue naming rule. */
export class InvalidCatalogNameError extends CatalogInputError {}

/** A table definition that Glue would reject or that contradicts itself. */
export class InvalidTableInputError extends CatalogInputError {}

/** Partitions that do not fit the table's partition keys or Glue's limits. */
export class InvalidPartitionInputError extends CatalogInputError {}

export class DatabaseNotFoundError extends CatalogError {
  readonly database: string;

  constructor(database: string) {
    super(`database "${database}" not found in the catalog`, {
      hint: 'Create it first with ensureDatabase.',
    });
    this.database = database;
  }
}

export class TableNotFoundError extends CatalogError {
  readonly database: string;
  readonly table: string;

  constructor(database: string, table: string) {
    super(`table "${database}.${table}" not found in the catalog`, {
      hint: 'Register it first with upsertTable.',
    });
    this.database = database;
    this.table = table;
  }
}

/** The catalog file was written by a newer carelake, whose schema this version cannot read. */
export class UnsupportedCatalogSchemaError extends CatalogError {}

/** A call on a catalog after `close()`. */
export class CatalogClosedError extends CatalogError {}
