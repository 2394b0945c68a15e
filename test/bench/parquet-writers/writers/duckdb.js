'use strict';

const { DuckDBInstance, DuckDBTimestampValue } = require('@duckdb/node-api');
const { COLUMNS } = require('../input');
const { ROW_GROUP_ROWS } = require('./settings');

const TABLE = 'batch_rows';

function sqlStringLiteral(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Appends the batches row by row into a table of an in-memory DuckDB, then
 * has DuckDB COPY that table to a ZSTD-compressed Parquet file.
 */
async function write(batches, outputPath) {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB' });
  try {
    const connection = await instance.connect();
    try {
      const columnsSql = COLUMNS.map((column) => `${column.name} ${column.type}`).join(', ');
      await connection.run(`CREATE TABLE ${TABLE} (${columnsSql})`);

      const appender = await connection.createAppender(TABLE);
      try {
        for (const batch of batches) {
          for (let i = 0; i < batch.length; i += 1) {
            appender.appendVarchar(batch.id[i]);
            appender.appendVarchar(batch.code[i]);
            appender.appendDouble(batch.value[i]);
            appender.appendTimestamp(new DuckDBTimestampValue(batch.observedAtMicros[i]));
            appender.appendInteger(batch.ageYears[i]);
            appender.endRow();
          }
          appender.flushSync();
        }
      } finally {
        appender.closeSync();
      }

      await connection.run(
        `COPY ${TABLE} TO ${sqlStringLiteral(outputPath)} ` +
          `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`,
      );
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

module.exports = { codec: 'ZSTD', write };
