import { canonicalJson, sha256Hex, type DatasetDefinition, type Row } from '@carelake/core';
import { CsvHeaderError, decodeCsv, isCsvProblem, type CsvSchema } from '@carelake/csv';
import { addRows, emptyDecodedFile, type DecodeContext, type DecodedFile } from './decoded-file';
import { PipelineError } from './errors';

/** Lineage columns a CSV table may declare; the decoder fills each one that it declares. */
const LINEAGE = {
  sourceFile: 'source_file',
  sourcePosition: 'source_position',
  ingestedAt: 'ingested_at',
  recordHash: 'record_hash',
} as const;

// The catalog types each CSV column type may be stored as.
const STORABLE_AS: Record<CsvSchema['columns'][number]['type'], readonly string[]> = {
  string: ['string'],
  integer: ['bigint', 'int'],
  decimal: ['double'],
  boolean: ['boolean'],
  date: ['date'],
  timestamp: ['timestamp'],
};

/**
 * Checks, before any file is read, that the output table declares every column of the CSV
 * schema with a type that can store its values. A decimal with a precision is an exact text, so it is
 * stored as a string.
 */
export function checkCsvOutput(schema: CsvSchema, dataset: DatasetDefinition): void {
  const problems: string[] = [];
  for (const column of schema.columns) {
    const declared = dataset.columns[column.name];
    const allowed = column.type === 'decimal' && column.precision !== undefined ? ['string'] : STORABLE_AS[column.type];
    const csvType = column.type === 'decimal' && column.precision !== undefined ? `decimal(${column.precision}, ${column.scale ?? 0})` : column.type;
    if (!declared) problems.push(`${column.name} (CSV ${csvType}) is not declared in the dataset file`);
    else if (!allowed.includes(declared.type)) {
      problems.push(`${column.name} is ${declared.type} in the dataset file, but CSV ${csvType} is stored as ${allowed.join(' or ')}`);
    }
  }
  if (problems.length > 0) {
    throw new PipelineError(`the CSV columns do not fit ${dataset.table}: ${problems.join('; ')}`, {
      hint:
        `Declare each column of decode.schema in the dataset file of ${dataset.table} with the type it is stored as. ` +
        'A decimal with a precision is kept as its exact text: declare it string and cast it in SQL.',
    });
  }
}

/**
 * Decodes a CSV file against the pipeline's schema into rows of its one output table. A row that
 * does not parse goes to quarantine with its line, and a header that does not match the schema
 * quarantines the whole file.
 */
export async function decodeCsvFile(
  bytes: Uint8Array,
  schema: CsvSchema,
  dataset: DatasetDefinition,
  context: DecodeContext,
): Promise<DecodedFile> {
  const decoded = emptyDecodedFile();
  const rows: Row[] = [];
  const declares = (column: string): boolean => column in dataset.columns;

  try {
    for await (const item of decodeCsv(bytes, schema, { file: context.landingKey })) {
      decoded.records++;
      if (isCsvProblem(item)) {
        const field = item.column === undefined ? {} : { field: item.column };
        decoded.problems.push({ position: { line: item.line, record: item.recordIndex, ...field }, reason: `${item.code}: ${item.reason}` });
        continue;
      }

      const row: Row = { ...item.values };
      if (declares(LINEAGE.sourceFile)) row[LINEAGE.sourceFile] = context.landingKey;
      if (declares(LINEAGE.sourcePosition)) row[LINEAGE.sourcePosition] = item.line;
      if (declares(LINEAGE.ingestedAt)) row[LINEAGE.ingestedAt] = context.ingestedAt;
      if (declares(LINEAGE.recordHash)) row[LINEAGE.recordHash] = sha256Hex(canonicalJson(recordIdentity(item.values)));
      rows.push(row);
    }
  } catch (error) {
    if (!(error instanceof CsvHeaderError)) throw error;
    decoded.problems.push({ position: {}, reason: error.describe() });
  }

  addRows(decoded, dataset.table, rows);
  return decoded;
}

/** Returns the values as JSON-safe text, so that the same row hashes the same in every file and run. */
function recordIdentity(values: Row): Record<string, string | number | boolean | null> {
  const identity: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value instanceof Date) identity[name] = value.toISOString();
    else if (typeof value === 'bigint') identity[name] = value.toString();
    else identity[name] = value ?? null;
  }
  return identity;
}
