import type { DuckDBConnection } from '@duckdb/node-api';
import { DATETIME_MACROS } from './datetime-macros';
import { createMacroSql, type TrinoMacro } from './trino-macro';
import { AGGREGATE_MACROS, COLLECTION_MACROS, JSON_MACROS, STRING_MACROS } from './value-macros';

/** Every macro that gives a Trino function its Trino meaning on DuckDB. */
export const TRINO_MACROS: readonly TrinoMacro[] = [
  ...DATETIME_MACROS,
  ...JSON_MACROS,
  ...AGGREGATE_MACROS,
  ...COLLECTION_MACROS,
  ...STRING_MACROS,
];

/**
 * Session settings that make DuckDB evaluate like Athena's Trino: integer
 * division truncates (5 / 2 is 2), the session time zone is UTC, and the
 * single-arrow lambda `x -> x + 1` stays accepted (DuckDB 1.5 warns that its
 * default will drop it). They must run before the configuration is locked.
 */
const TRINO_SETTINGS = [
  'SET integer_division = true',
  "SET TimeZone = 'UTC'",
  "SET lambda_syntax = 'ENABLE_SINGLE_ARROW'",
];

/** Apply the Trino settings and create the Trino macros on a connection. */
export async function applyTrinoDialect(connection: DuckDBConnection): Promise<void> {
  for (const setting of TRINO_SETTINGS) await connection.run(setting);
  // One call for all macros: each call costs a round trip, and this runs on every `carelake query`.
  await connection.run(TRINO_MACROS.map(createMacroSql).join(';\n'));
}
