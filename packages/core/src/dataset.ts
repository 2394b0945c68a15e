import { z } from 'zod';
import type { ParseYamlOptions } from './yaml-document';

/** Column types, in the names Glue and Athena use for Parquet tables. */
export const COLUMN_TYPES = ['string', 'int', 'bigint', 'double', 'boolean', 'date', 'timestamp'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const CLASSIFICATIONS = ['phi', 'limited', 'deidentified', 'public'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/**
 * The 18 identifier kinds of the HIPAA Safe Harbor method (45 CFR 164.514(b)(2)),
 * plus `quasi` for a quasi-identifier that is not one of them by itself.
 */
export const IDENTIFIER_KINDS = [
  'name',
  'geographic',
  'date',
  'phone',
  'fax',
  'email',
  'ssn',
  'medical_record_number',
  'health_plan_number',
  'account_number',
  'certificate_license_number',
  'vehicle_identifier',
  'device_identifier',
  'url',
  'ip_address',
  'biometric',
  'photo',
  'other_unique',
  'quasi',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

const catalogName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,254}$/, 'must be lower case letters, digits and "_" (the Glue naming rule)');

const columnSchema = z
  .object({
    type: z.enum(COLUMN_TYPES),
    description: z.string().optional(),
    classification: z.enum(CLASSIFICATIONS).optional(),
    identifier: z.enum(IDENTIFIER_KINDS).optional(),
    nullable: z.boolean().default(true),
    vocabulary: z.string().optional(),
  })
  .strict();

export const datasetSchema = z
  .object({
    table: z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must be database.table in lower case'),
    description: z.string().min(1),
    /** Team accountable for the data. Required when the table or a column is `phi`. */
    owner: z.string().min(1).optional(),
    /** Person or group who answers questions about meaning and use. Required with PHI. */
    steward: z.string().min(1).optional(),
    domain: z.string().optional(),
    classification: z.enum(CLASSIFICATIONS),
    /** Name of a retention policy. Required with PHI. */
    retention: z.string().min(1).optional(),
    updateFrequency: z.string().optional(),
    /** Where the rows come from: the pipeline that writes the table and the inputs it reads. */
    source: z
      .object({ pipeline: z.string().min(1), inputs: z.array(z.string().min(1)).default([]) })
      .strict()
      .optional(),
    /** `history` tables keep every version and get a `<table>_current` companion. */
    kind: z.enum(['history', 'append']).default('append'),
    /** Columns that identify one entity in the `_current` companion. */
    key: z.array(catalogName).default([]),
    /** Column whose equal values mean the same record arrived again; such rows are stored once. */
    dedupeBy: catalogName.optional(),
    /** Columns that order versions of one key, oldest first; arrival order breaks ties. */
    versionOrder: z.array(catalogName).default([]),
    /** Boolean column that marks a version as a delete, so `_current` drops the key. */
    deletedFlag: catalogName.optional(),
    /**
     * `one`: `_current` keeps one row per key. `many`: it keeps every row of the key's newest
     * version, for tables such as SQL-on-FHIR views that write several rows per resource version.
     */
    rowsPerVersion: z.enum(['one', 'many']).default('one'),
    /**
     * Follow merges recorded in another history table: in `_current`, `column` is replaced by the
     * survivor that the other table's newest version of that key names in `mergedInto`.
     */
    followMerges: z
      .object({
        column: catalogName,
        table: z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must be database.table in lower case'),
        key: catalogName,
        mergedInto: catalogName,
      })
      .strict()
      .optional(),
    partitionBy: z.array(catalogName).default([]),
    tags: z.record(z.string(), z.string()).default({}),
    columns: z.record(catalogName, columnSchema),
  })
  .strict()
  .superRefine((dataset, context) => {
    const names = new Set(Object.keys(dataset.columns));
    const referenced: Array<[string, string[]]> = [
      ['key', dataset.key],
      ['versionOrder', dataset.versionOrder],
      ['partitionBy', dataset.partitionBy],
      ['dedupeBy', dataset.dedupeBy ? [dataset.dedupeBy] : []],
      ['deletedFlag', dataset.deletedFlag ? [dataset.deletedFlag] : []],
      ['followMerges', dataset.followMerges ? [dataset.followMerges.column] : []],
    ];
    for (const [field, columns] of referenced) {
      columns.forEach((column, index) => {
        if (!names.has(column)) {
          context.addIssue({
            code: 'custom',
            path: singleColumnPath(field) ?? [field, index],
            message: `column "${column}" is not declared under columns`,
          });
        }
      });
    }
    if (dataset.kind === 'history' && dataset.key.length === 0) {
      context.addIssue({ code: 'custom', path: ['key'], message: 'a history table needs at least one key column' });
    }
    requireStewardsOfPhi(dataset, context);
  });

/** Requires an owner, a steward and a retention policy of a table with PHI, so that no one registers PHI nobody answers for. */
function requireStewardsOfPhi(dataset: unknown, context: z.RefinementCtx): void {
  for (const issue of phiStewardshipIssues(dataset)) {
    context.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
  }
}

/**
 * Lists the stewardship fields a dataset with PHI lacks. It reads the document as parsed from YAML,
 * before or without schema validation, so that a file with other mistakes gets these reported too.
 */
export function phiStewardshipIssues(dataset: unknown): Array<{ field: 'owner' | 'steward' | 'retention'; message: string }> {
  if (typeof dataset !== 'object' || dataset === null) return [];
  const document = dataset as Record<string, unknown>;
  const columns = typeof document['columns'] === 'object' && document['columns'] !== null ? document['columns'] : {};
  const phiColumn = Object.entries(columns).find(
    ([, column]) => typeof column === 'object' && column !== null && (column as Record<string, unknown>)['classification'] === 'phi',
  )?.[0];
  if (document['classification'] !== 'phi' && phiColumn === undefined) return [];

  const reason = document['classification'] === 'phi' ? 'the table is classified phi' : `column ${phiColumn} is classified phi`;
  const fields = ['owner', 'steward', 'retention'] as const;
  return fields
    .filter((field) => document[field] === undefined)
    .map((field) => ({ field, message: `is required because ${reason}` }));
}

/** Return the key path at which a field that names one column reports a missing column. */
function singleColumnPath(field: string): string[] | undefined {
  if (field === 'dedupeBy' || field === 'deletedFlag') return [field];
  if (field === 'followMerges') return [field, 'column'];
  return undefined;
}

export type DatasetDefinition = z.output<typeof datasetSchema>;

/** `parseYamlDocument` options for dataset files: the PHI stewardship rule also runs on a file with other mistakes. */
export const DATASET_PARSE_OPTIONS: ParseYamlOptions = {
  alwaysCheck: (value) => phiStewardshipIssues(value).map((issue) => ({ path: [issue.field], message: issue.message })),
};
export type ColumnDefinition = z.output<typeof columnSchema>;

/** The lineage columns every `clinical` row carries. */
export const LINEAGE_COLUMNS = [
  'source_format',
  'source_system',
  'source_id',
  'source_file',
  'source_position',
  'ingested_at',
  'facility',
] as const;
