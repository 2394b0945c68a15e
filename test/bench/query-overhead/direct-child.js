'use strict';

// The baseline of the query-overhead bench: what an analyst would run with
// DuckDB alone on the lake's Parquet files. It gets the file list of each
// table, reads the partition columns from the Hive-style folder names, runs
// one query and prints the result as CSV, as `carelake query --format csv` does,
// then its query time as JSON on stderr.
// Usage: node direct-child.js '{"tables": [...], "sql": "...", "threads": 2, "memoryLimit": "2GB"}'

const { performance } = require('node:perf_hooks');
const { DuckDBInstance } = require('@duckdb/node-api');
const { csvLine } = require('./csv-line');

async function main() {
  const request = JSON.parse(process.argv[2]);
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(request.threads),
    memory_limit: request.memoryLimit,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();

  for (const table of request.tables) {
    const [database, name] = table.name.split('.');
    const files = table.files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ');
    const hiveTypes = table.partitionBy.map((column) => `'${column}': VARCHAR`).join(', ');
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${database}`);
    await connection.run(
      `CREATE VIEW ${database}.${name} AS SELECT * FROM read_parquet([${files}], hive_partitioning = true, hive_types = {${hiveTypes}})`,
    );
  }

  const started = performance.now();
  const reader = await connection.runAndReadAll(request.sql);
  const names = reader.columnNames();
  const lines = [csvLine(names)];
  for (const row of reader.getRowsJS()) lines.push(csvLine(row));
  process.stdout.write(`${lines.join('\n')}\n`);
  // The time from sending the query to printing its result, comparable to the audit event's durationMs.
  process.stderr.write(`${JSON.stringify({ queryMs: performance.now() - started })}\n`);
  connection.closeSync();
  instance.closeSync();
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
