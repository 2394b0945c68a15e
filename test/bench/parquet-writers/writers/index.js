'use strict';

// The Parquet writer candidates. Each module exports `codec` and
// `write(batches, outputPath): Promise<void>`. The parent process reads only
// this table, so that each library is loaded alone in its own child process.
const WRITERS = [
  {
    name: 'duckdb',
    label: 'DuckDB (@duckdb/node-api)',
    packages: ['@duckdb/node-api'],
    modulePath: require.resolve('./duckdb'),
  },
  {
    name: 'parquet-wasm',
    label: 'apache-arrow + parquet-wasm',
    packages: ['apache-arrow', 'parquet-wasm'],
    modulePath: require.resolve('./parquet-wasm'),
  },
  {
    name: 'parquetjs',
    label: '@dsnp/parquetjs',
    packages: ['@dsnp/parquetjs'],
    modulePath: require.resolve('./parquetjs'),
  },
];

const BASELINE_WRITER = 'duckdb';

module.exports = { WRITERS, BASELINE_WRITER };
