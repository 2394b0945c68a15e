'use strict';

const { DuckDBInstance } = require('@duckdb/node-api');
const { COLUMNS } = require('./input');

// Relative tolerance for the floating-point sum: both sides are compensated
// sums, so they agree to a few units in the last place, while a lost or
// altered row moves the sum by far more.
const VALUE_SUM_RELATIVE_TOLERANCE = 1e-12;

function sqlStringLiteral(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Opens an in-memory DuckDB used to read the written files back. */
async function openReader() {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB' });
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

async function readColumnTypes(connection, source) {
  const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  return reader.getRowObjects().map((row) => `${row.column_name} ${row.column_type}`);
}

async function readSummary(connection, source) {
  const reader = await connection.runAndReadAll(
    `SELECT count(*) AS row_count,
            fsum(value) AS value_sum,
            sum(age_years) AS age_years_sum,
            sum(length(id)) AS id_length_sum,
            count(DISTINCT code) AS distinct_codes,
            epoch_us(min(observed_at)) AS observed_at_min_micros,
            epoch_us(max(observed_at)) AS observed_at_max_micros
       FROM ${source}`,
  );
  const [row] = reader.getRowObjects();
  return {
    rowCount: Number(row.row_count),
    valueSum: row.value_sum,
    ageYearsSum: Number(row.age_years_sum),
    idLengthSum: Number(row.id_length_sum),
    distinctCodes: Number(row.distinct_codes),
    observedAtMinMicros: row.observed_at_min_micros,
    observedAtMaxMicros: row.observed_at_max_micros,
  };
}

/**
 * Reads a Parquet file back with DuckDB and returns one message per
 * difference from the expected schema and aggregates; empty when it matches.
 */
async function findMismatches(connection, filePath, expected) {
  const source = `read_parquet(${sqlStringLiteral(filePath)})`;
  const mismatches = [];

  const expectedTypes = COLUMNS.map((column) => `${column.name} ${column.type}`);
  const actualTypes = await readColumnTypes(connection, source);
  if (actualTypes.join(', ') !== expectedTypes.join(', ')) {
    mismatches.push(
      `columns: expected ${expectedTypes.join(', ')}, found ${actualTypes.join(', ')}`,
    );
  }

  const actual = await readSummary(connection, source);
  for (const key of Object.keys(expected)) {
    const matches =
      key === 'valueSum'
        ? Math.abs(actual.valueSum - expected.valueSum) <=
          VALUE_SUM_RELATIVE_TOLERANCE * Math.abs(expected.valueSum)
        : actual[key] === expected[key];
    if (!matches) {
      mismatches.push(`${key}: expected ${expected[key]}, found ${actual[key]}`);
    }
  }
  return mismatches;
}

module.exports = { openReader, findMismatches };
