import {
  ConfigError,
  type ColumnDefinition,
  type ConfigIssue,
  type DatasetDefinition,
} from '@carelake/core';
import { viewColumnTableType, type CompiledView } from './views';

/** Catalog database of the tables that SQL-on-FHIR views write. */
export const VIEW_DATABASE = 'fhir';

/**
 * Columns every view table has after the view's own columns: where each row came from and
 * which version of its resource it belongs to.
 */
export const VIEW_LINEAGE_COLUMNS: Readonly<Record<string, ColumnDefinition>> = {
  resource_key: {
    type: 'string',
    nullable: false,
    classification: 'limited',
    description: 'Type/id of the resource the row was read from',
  },
  version_id: {
    type: 'string',
    nullable: true,
    classification: 'public',
    description: 'meta.versionId of the resource, if present',
  },
  last_updated: {
    type: 'timestamp',
    nullable: true,
    classification: 'limited',
    identifier: 'date',
    description:
      'meta.lastUpdated in UTC. A delete row has the time of the delete (response.lastModified, else Bundle.timestamp, else when it was ingested)',
  },
  is_deleted: {
    type: 'boolean',
    nullable: false,
    classification: 'public',
    description:
      'True on the one row of a DELETE, and on the marker row of a version that yields no view rows; other columns are null there',
  },
  record_hash: {
    type: 'string',
    nullable: false,
    classification: 'public',
    description:
      "SHA-256 of the resource version's record hash and the row's 0-based ordinal (or `empty` on a delete or marker row); equal hashes are stored once",
  },
  source_file: {
    type: 'string',
    nullable: false,
    classification: 'public',
    description: 'Landing key of the file the resource came from',
  },
  source_position: {
    type: 'bigint',
    nullable: false,
    classification: 'public',
    description: '0-based index of the resource (bundle entry or NDJSON line) in its file',
  },
  ingested_at: {
    type: 'timestamp',
    nullable: false,
    classification: 'public',
    description: 'When the runner decoded the file, UTC',
  },
};

/** The history settings of every view table; a dataset file that sets them must use these values. */
const VIEW_HISTORY = {
  kind: 'history',
  key: ['resource_key'],
  dedupeBy: 'record_hash',
  versionOrder: ['last_updated', 'ingested_at', 'source_position'],
  deletedFlag: 'is_deleted',
  rowsPerVersion: 'many',
} as const satisfies Partial<DatasetDefinition>;

/** Glue's rule for table and column names. */
const CATALOG_NAME = /^[a-z_][a-z0-9_]{0,254}$/;

/** `fhir.<name>`: the table a view writes. */
export function viewTableName(view: Pick<CompiledView, 'name'>): string {
  return `${VIEW_DATABASE}.${view.name}`;
}

/**
 * Derives the dataset of a view's table: the view's columns, typed with
 * `viewColumnTableType`, then the lineage columns, kept as a history table whose
 * `_current` companion contains every row of each resource's newest version.
 *
 * The table's dataset file, when there is one, supplies the steward metadata
 * (description, owner, steward, classification, retention, tags, partitioning and
 * each column's description, classification, identifier kind and vocabulary). It
 * must list exactly the view's columns and the lineage columns with their types, and
 * the history settings above.
 *
 * @throws ConfigError listing every problem: a view or column name that is not a
 * lower-case catalog name, a view column named like a lineage column, and each
 * difference between the view and its dataset file, by key path.
 */
export function deriveViewDataset(view: CompiledView, stewardDataset?: DatasetDefinition): DatasetDefinition {
  const table = viewTableName(view);
  const issues: ConfigIssue[] = [];
  if (!CATALOG_NAME.test(view.name)) {
    issues.push({
      keyPath: 'name',
      message: `view name "${view.name}" must be lower case letters, digits and "_", because it names table ${table}`,
    });
  }

  const derived: Record<string, ColumnDefinition> = {};
  for (const column of view.columns) {
    if (!CATALOG_NAME.test(column.name)) {
      issues.push({
        keyPath: `columns.${column.name}`,
        message: 'a column name must be lower case letters, digits and "_" (the Glue naming rule)',
      });
    }
    if (column.name in VIEW_LINEAGE_COLUMNS) {
      issues.push({
        keyPath: `columns.${column.name}`,
        message: `the view defines ${column.name}, which is a lineage column of every view table. Rename the view column.`,
      });
    }
    derived[column.name] = {
      type: viewColumnTableType(column),
      nullable: true,
      ...(column.description === undefined ? {} : { description: column.description }),
    };
  }
  Object.assign(derived, VIEW_LINEAGE_COLUMNS);

  if (stewardDataset) issues.push(...compareWithDataset(derived, stewardDataset));
  if (issues.length > 0) {
    throw new ConfigError(
      stewardDataset
        ? `view "${view.name}" and the dataset file of ${table} do not match`
        : `view "${view.name}" cannot be written to ${table}`,
      issues,
    );
  }
  return stewardDataset ? withStewardMetadata(derived, stewardDataset) : defaultDataset(view, table, derived);
}

function defaultDataset(view: CompiledView, table: string, columns: Record<string, ColumnDefinition>): DatasetDefinition {
  return {
    table,
    description: `Rows of the SQL-on-FHIR view "${view.name}" over ${view.resource} resources, every version of each resource; ${table}_current keeps the newest version.`,
    owner: 'data-engineering',
    steward: 'clinical-steward',
    domain: 'clinical',
    // Without a dataset file no column is known to be safe, so the whole table is classified as PHI.
    classification: 'phi',
    retention: 'phi-standard',
    updateFrequency: 'continuous',
    ...VIEW_HISTORY,
    key: [...VIEW_HISTORY.key],
    versionOrder: [...VIEW_HISTORY.versionOrder],
    partitionBy: [],
    tags: {},
    columns,
  };
}

/** Keeps the dataset file's metadata and the derived column order, types and nullability. */
function withStewardMetadata(
  derived: Record<string, ColumnDefinition>,
  steward: DatasetDefinition,
): DatasetDefinition {
  const columns: Record<string, ColumnDefinition> = {};
  for (const [name, column] of Object.entries(derived)) {
    const described = steward.columns[name];
    columns[name] = described
      ? { ...described, type: column.type, nullable: column.nullable, description: described.description ?? column.description }
      : column;
  }
  return { ...steward, columns };
}

function compareWithDataset(derived: Record<string, ColumnDefinition>, dataset: DatasetDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, column] of Object.entries(derived)) {
    const declared = dataset.columns[name];
    if (!declared) {
      issues.push({ keyPath: `columns.${name}`, message: `is missing: the table has column ${name} of type ${column.type}` });
      continue;
    }
    if (declared.type !== column.type) {
      const origin = name in VIEW_LINEAGE_COLUMNS ? 'lineage column' : "view column's FHIR type";
      issues.push({
        keyPath: `columns.${name}.type`,
        message: `is ${declared.type}, but the ${origin} gives ${column.type}`,
      });
    }
    // Delete and marker rows leave every view column null.
    if (!(name in VIEW_LINEAGE_COLUMNS) && !declared.nullable) {
      issues.push({ keyPath: `columns.${name}.nullable`, message: 'must be true: delete rows and marker rows leave view columns null' });
    }
  }
  for (const name of Object.keys(dataset.columns)) {
    if (!(name in derived)) {
      issues.push({ keyPath: `columns.${name}`, message: 'is not a column of the view; remove it, or add the column to the view' });
    }
  }

  const expected: Array<[string, unknown, unknown]> = [
    ['kind', dataset.kind, VIEW_HISTORY.kind],
    ['key', dataset.key, VIEW_HISTORY.key],
    ['dedupeBy', dataset.dedupeBy, VIEW_HISTORY.dedupeBy],
    ['versionOrder', dataset.versionOrder, VIEW_HISTORY.versionOrder],
    ['deletedFlag', dataset.deletedFlag, VIEW_HISTORY.deletedFlag],
    ['rowsPerVersion', dataset.rowsPerVersion, VIEW_HISTORY.rowsPerVersion],
    ['followMerges', dataset.followMerges, undefined],
  ];
  for (const [keyPath, actual, wanted] of expected) {
    if (JSON.stringify(actual) === JSON.stringify(wanted)) continue;
    const message =
      wanted === undefined
        ? 'must be left out: view tables do not follow merges'
        : `must be ${JSON.stringify(wanted)}, as for every view table`;
    issues.push({ keyPath, message });
  }
  return issues;
}
