'use strict';

const fs = require('node:fs');
const path = require('node:path');

// The lineage columns of a view table that need no hash of the resource. The
// bench leaves the others out, and its results page lists them.
const LINEAGE_COLUMNS = [
  { name: 'resource_key', type: 'string' },
  { name: 'source_file', type: 'string' },
  { name: 'source_position', type: 'bigint' },
];

/**
 * Converts a view value to its column's lake type, as the view table of
 * @carelake/fhir does, or returns undefined when it does not fit.
 */
function toCell(value, type) {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      // Collection columns and complex values are stored as JSON text.
      return JSON.stringify(value);
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'int':
      return Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 ? value : undefined;
    case 'bigint':
      return Number.isSafeInteger(value) ? value : undefined;
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    default:
      return undefined;
  }
}

/**
 * Buffers the rows of every view table and writes them to Parquet with the
 * table layer's `writeParquetFile`, which appends them to DuckDB and then
 * copies them to a ZSTD file. Each table gets a new file whenever the rows
 * buffered across all tables reach `flushRows`, as the pipeline runner
 * commits a batch once its files have given `batchRows` rows.
 */
class ViewTableWriter {
  constructor({ tables, connection, writeParquetFile, outputDir, flushRows }) {
    this.connection = connection;
    this.writeParquetFile = writeParquetFile;
    this.outputDir = outputDir;
    this.flushRows = flushRows;
    this.bufferedRows = 0;
    this.fileCount = 0;
    this.buffers = new Map(
      tables.map((table) => {
        const viewColumns = table.view.columns.map((column) => ({
          name: column.name,
          type: table.dataset.columns[column.name].type,
        }));
        return [
          table.table,
          { viewColumns, columns: [...viewColumns, ...LINEAGE_COLUMNS], rows: [] },
        ];
      }),
    );
  }

  /**
   * Converts one resource's rows of one view to table rows and buffers them.
   * Throws when a value does not fit its column, naming the table, column,
   * file and line but not the value.
   */
  add(table, viewRows, entry, sourceFile) {
    const buffer = this.buffers.get(table);
    const resourceKey = `${entry.resource.resourceType}/${entry.resource.id}`;
    for (const viewRow of viewRows) {
      const row = {};
      for (const column of buffer.viewColumns) {
        const cell = toCell(viewRow[column.name], column.type);
        if (cell === undefined) {
          throw new Error(
            `${table}.${column.name} has type ${column.type}, but the view returned a value of ` +
              `another type for ${sourceFile} line ${entry.position + 1}`,
          );
        }
        row[column.name] = cell;
      }
      row.resource_key = resourceKey;
      row.source_file = sourceFile;
      row.source_position = entry.position;
      buffer.rows.push(row);
    }
    this.bufferedRows += viewRows.length;
  }

  async flushIfFull() {
    if (this.bufferedRows >= this.flushRows) await this.flush();
  }

  /** Writes every table's buffered rows to a new Parquet file under `outputDir/<table>/`. */
  async flush() {
    for (const [table, buffer] of this.buffers) {
      if (buffer.rows.length === 0) continue;
      this.fileCount += 1;
      const tableDir = path.join(this.outputDir, table);
      fs.mkdirSync(tableDir, { recursive: true });
      const filePath = path.join(
        tableDir,
        `part-${String(this.fileCount).padStart(5, '0')}.parquet`,
      );
      await this.writeParquetFile(this.connection, buffer.columns, buffer.rows, filePath);
      buffer.rows = [];
    }
    this.bufferedRows = 0;
  }
}

module.exports = { ViewTableWriter, LINEAGE_COLUMNS };
