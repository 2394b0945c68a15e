'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { distEntry } = require('../lib/carelake-dist');

/**
 * Reads back the Parquet files a carelake run wrote, one folder per table
 * (`fhir.<view name>`), and returns one line per view whose files do not contain
 * exactly the rows counted in `rowsByView`, each with a resource_key.
 */
async function findParquetMismatches(parquetDir, rowsByView) {
  const tables = require(distEntry('tables'));
  const duckDb = await tables.openDuckDb({ threads: 1 });
  const mismatches = [];
  try {
    for (const [viewName, expectedRows] of Object.entries(rowsByView)) {
      const tableDir = path.join(parquetDir, `fhir.${viewName}`);
      if (!fs.existsSync(tableDir)) {
        if (expectedRows > 0) mismatches.push(`fhir.${viewName}: no Parquet file was written`);
        continue;
      }
      const pattern = tables.quoteLiteral(path.join(tableDir, '*.parquet'));
      const reader = await duckDb.connection.runAndReadAll(
        `SELECT count(*) AS row_count, count(resource_key) AS keyed_rows FROM read_parquet(${pattern})`,
      );
      const [counts] = reader.getRowObjects();
      const rowCount = Number(counts.row_count);
      const keyedRows = Number(counts.keyed_rows);
      if (rowCount !== expectedRows || keyedRows !== expectedRows) {
        mismatches.push(
          `fhir.${viewName}: expected ${expectedRows} rows with a resource_key, ` +
            `read ${rowCount} rows of which ${keyedRows} have one`,
        );
      }
    }
  } finally {
    tables.closeDuckDb(duckDb);
  }
  return mismatches;
}

module.exports = { findParquetMismatches };
