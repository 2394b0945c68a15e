import type { ColumnType } from '@carelake/core';

/**
 * A column type as a Parquet file stores it: a catalog column type, or a
 * narrower integer or float that Athena reads as a catalog type. Per the Athena
 * User Guide ("Change a column data type"), tinyint and smallint read as int or
 * bigint, int reads as bigint, and float reads as double.
 */
export type FileColumnType = ColumnType | 'tinyint' | 'smallint' | 'float';

/** A file column type that the catalog can register, or the reason it cannot. */
export type FileTypeReading = { type: FileColumnType } | { unsupported: string };

// Types as DuckDB 1.5 names them in `DESCRIBE` over `read_parquet`. Parquet's
// millisecond and nanosecond timestamps and timestamps adjusted to UTC are all
// timestamps to Athena.
const SUPPORTED: Record<string, FileColumnType> = {
  VARCHAR: 'string',
  BOOLEAN: 'boolean',
  TINYINT: 'tinyint',
  SMALLINT: 'smallint',
  INTEGER: 'int',
  BIGINT: 'bigint',
  FLOAT: 'float',
  DOUBLE: 'double',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  TIMESTAMP_S: 'timestamp',
  TIMESTAMP_MS: 'timestamp',
  TIMESTAMP_NS: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamp',
};

const UNSUPPORTED: Record<string, string> = {
  UTINYINT: 'an unsigned integer, which Athena has no type for',
  USMALLINT: 'an unsigned integer, which Athena has no type for',
  UINTEGER: 'an unsigned integer, which Athena has no type for',
  UBIGINT: 'an unsigned integer, which Athena has no type for',
  HUGEINT: 'a 128-bit integer, which Athena has no type for',
  UHUGEINT: 'a 128-bit integer, which Athena has no type for',
  UUID: 'a UUID, which has no catalog column type',
  BLOB: 'binary, which has no catalog column type',
  INTERVAL: 'an interval, which has no catalog column type',
  TIME: 'a time of day, which has no catalog column type',
  TIME_NS: 'a time of day, which has no catalog column type',
  'TIME WITH TIME ZONE': 'a time of day, which has no catalog column type',
};

/** Map a DuckDB type name from `DESCRIBE` to the file column type it registers as. */
export function readDuckDbType(duckDbType: string): FileTypeReading {
  const supported = SUPPORTED[duckDbType];
  if (supported !== undefined) return { type: supported };

  const known = UNSUPPORTED[duckDbType];
  if (known !== undefined) return { unsupported: known };
  if (duckDbType.startsWith('DECIMAL')) {
    return {
      unsupported:
        'a decimal, which has no catalog column type, and reading it as double would round it',
    };
  }
  if (/^(STRUCT|MAP|UNION)\(/.test(duckDbType) || /\[\d*\]$/.test(duckDbType)) {
    return { unsupported: 'a nested type, which the catalog cannot register' };
  }
  return { unsupported: 'a type the catalog does not know' };
}

// Each chain runs from narrow to wide: a type reads as any type after it.
const WIDENING_CHAINS: readonly (readonly FileColumnType[])[] = [
  ['tinyint', 'smallint', 'int', 'bigint'],
  ['float', 'double'],
];

/**
 * Compare two types for widening. Returns a negative number when `left` is
 * narrower than `right`, 0 when they are equal, a positive number when it is
 * wider, and undefined when neither reads as the other.
 */
export function compareWidth(left: FileColumnType, right: FileColumnType): number | undefined {
  if (left === right) return 0;
  for (const chain of WIDENING_CHAINS) {
    const leftRank = chain.indexOf(left);
    const rightRank = chain.indexOf(right);
    if (leftRank >= 0 && rightRank >= 0) return leftRank - rightRank;
  }
  return undefined;
}

/** Return the catalog column type that registers a file column type. */
export function catalogTypeOf(type: FileColumnType): ColumnType {
  switch (type) {
    case 'tinyint':
    case 'smallint':
      return 'int';
    case 'float':
      return 'double';
    default:
      return type;
  }
}
