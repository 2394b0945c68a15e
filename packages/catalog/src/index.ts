export * from './catalog';
export * from './errors';
export * from './names';
export * from './glue-limits';
export { normalizeTableInput, isSameDefinition, type TableDefinition } from './table-input';
export { normalizePartitionInputs } from './partition-input';
export { tableInputFromDataset } from './dataset-table';
export { SqliteCatalog, type SqliteCatalogOptions } from './sqlite/sqlite-catalog';
export { MIGRATIONS, LATEST_SCHEMA_VERSION, type Migration } from './sqlite/migrations';
