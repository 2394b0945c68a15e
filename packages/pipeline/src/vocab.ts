/**
 * The vocabulary jobs: source definitions, release refresh into versioned tables, release
 * status, and code checks at ingest.
 */
export * from './vocab-errors';
export * from './vocab-source';
export * from './vocab-release-files';
export * from './vocab-release-identity';
export * from './vocab-state';
export * from './vocab-table';
export * from './vocab-refresh';
export * from './vocab-status';
export * from './vocab-check';
export * from './vocab-check-option';
