import type { DatasetDefinition, Row } from '@carelake/core';
import { RowSchemaError } from './errors';

/**
 * Check a row against its dataset before it is written: no undeclared column,
 * no null in a non-nullable one. Type checks happen in the Parquet writer.
 * Returns the problem instead of throwing, so a caller can quarantine one row
 * and keep the batch.
 */
export function validateRow(dataset: DatasetDefinition, row: Row, rowIndex: number): RowSchemaError | undefined {
  for (const name of Object.keys(row)) {
    if (!(name in dataset.columns)) {
      return new RowSchemaError(`row ${rowIndex} has column ${name}, which ${dataset.table} does not declare`, {
        position: { record: rowIndex, field: name },
        hint: `Declare it in the dataset file of ${dataset.table}, or drop it from the mapping.`,
      });
    }
  }
  for (const [name, column] of Object.entries(dataset.columns)) {
    const value = row[name];
    if (!column.nullable && (value === null || value === undefined)) {
      return new RowSchemaError(`row ${rowIndex} has no value for ${name}, which ${dataset.table} declares not null`, {
        position: { record: rowIndex, field: name },
      });
    }
  }
  return undefined;
}
