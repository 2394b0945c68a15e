import type { CsvColumn, CsvSchemaInput } from './schema';
import { parseCsvSchema } from './schema';

/** A column of the raw table one CSV feed is written to. */
export interface CsvTableColumn {
  name: string;
  /** Type name as DuckDB spells it: VARCHAR, BIGINT, DOUBLE, DECIMAL(p,s), BOOLEAN, DATE or TIMESTAMP. */
  sqlType: string;
  /** False for a required column, whose records without a value are quarantined. */
  nullable: boolean;
}

/** Returns the columns of the raw table for a feed, in schema order. */
export function csvTableColumns(schemaInput: CsvSchemaInput): CsvTableColumn[] {
  const schema = parseCsvSchema(schemaInput);
  return schema.columns.map((column) => ({
    name: column.name,
    sqlType: sqlTypeOf(column),
    nullable: !column.required,
  }));
}

function sqlTypeOf(column: CsvColumn): string {
  switch (column.type) {
    case 'string':
      return 'VARCHAR';
    case 'integer':
      return 'BIGINT';
    case 'decimal':
      return column.precision === undefined ? 'DOUBLE' : `DECIMAL(${column.precision},${column.scale ?? 0})`;
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
  }
}
