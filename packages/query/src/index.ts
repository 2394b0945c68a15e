export * from './errors';
export * from './query-engine';
export * from './duckdb-engine';
export * from './athena';
export * from './result-parquet';
export { findUnsupportedConstructs } from './trino/unsupported-constructs';
export { TRINO_MACROS } from './trino/trino-session';
