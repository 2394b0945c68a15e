export * from './errors';
export * from './query-engine';
export * from './duckdb-engine';
