'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { generateBatches, summarizeBatches } = require('../parquet-writers/input');
const { forkWrite } = require('../parquet-writers/fork-write');
const { openReader, findMismatches } = require('../parquet-writers/verify');
const { COLUMNS, summarizeWriter, formatRows } = require('../parquet-writers/results');
const { ROW_GROUP_ROWS } = require('../parquet-writers/writers/settings');
const { WRITERS, BASELINE_WRITER } = require('../parquet-writers/writers');
const { packageVersion } = require('../lib/package-version');
const { barsFrom } = require('../lib/chart-panels');

const DEFAULT_ROWS = 1_000_000;
const DEFAULT_RUNS = 3;
// A mapper hands the table writer bounded batches, never the whole input.
const BATCH_ROWS = 100_000;
const SEED = 20240101;

async function readDuckDbVersion(connection) {
  const reader = await connection.runAndReadAll('SELECT version() AS version');
  return reader.getRowObjects()[0].version;
}

function describeSettings(duckDbVersion) {
  const libraries = WRITERS.flatMap((writer) => writer.packages)
    .map((name) => `${name} ${packageVersion(name)}`)
    .join(', ');
  return [
    `Libraries: ${libraries}; DuckDB engine ${duckDbVersion}.`,
    `Row groups of at most ${ROW_GROUP_ROWS.toLocaleString('en-US')} rows for every writer.`,
    'DuckDB: in-memory instance (threads 2, memory_limit 2GB), Appender row by row into a table, ' +
      'then `COPY ... (FORMAT parquet, COMPRESSION zstd)` at its default level.',
    'parquet-wasm: one Arrow record batch per input batch, `tableToIPC` as a stream, ' +
      '`writeParquet` with ZSTD at its default level, then one `fs.writeFileSync`.',
    '@dsnp/parquetjs: `ParquetWriter.openFile`, `appendRow` per row, GZIP on every column ' +
      '(it has no ZSTD).',
    'Wall time covers opening the writer, appending every batch and closing the file on disk; ' +
      'loading the library and generating the input are outside it.',
    'Each write runs in a fresh child process. Peak RSS delta is the child’s maxRSS after the ' +
      'write minus its RSS just before it (after a forced GC). It includes native and ' +
      'WebAssembly memory.',
    'Every file is read back with DuckDB and must match the input: column types, row count, ' +
      'sum of value, sum of age_years, total id length, distinct codes, min and max observed_at.',
  ];
}

function describeMarks(summaries) {
  const notes = [
    'Ratios divide each writer’s median by DuckDB’s median. Below 1 is faster, smaller or leaner.',
  ];
  if (summaries.some((summary) => summary.peakRssDeltaIsUpperBound)) {
    notes.push(
      '“≤” marks a peak RSS delta that is an upper bound: in at least one run the write ' +
        'stayed below the peak that generating the input had already reached.',
    );
  }
  if (summaries.some((summary) => summary.fileBytesVary)) {
    notes.push('“(varies)” marks a file size that differed between runs. The median is shown.');
  }
  return notes;
}

async function measureAllRuns({ rowCount, runs, expected, onProgress }) {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carelake-bench-parquet-'));
  const reader = await openReader();
  const measurementsByWriter = new Map(WRITERS.map((writer) => [writer.name, []]));

  try {
    const duckDbVersion = await readDuckDbVersion(reader.connection);

    // Runs are interleaved across writers so that a slow spell on the machine
    // does not fall on one writer's runs only.
    for (let run = 1; run <= runs; run += 1) {
      for (const writer of WRITERS) {
        onProgress(`run ${run}/${runs}: ${writer.name}`);
        const outputPath = path.join(tempDir, `${writer.name}-${run}.parquet`);
        const measurement = await forkWrite({
          writer,
          outputPath,
          rowCount,
          batchRows: BATCH_ROWS,
          seed: SEED,
        });

        const mismatches = await findMismatches(reader.connection, outputPath, expected);
        if (mismatches.length > 0) {
          throw new Error(
            `writer ${writer.name}, run ${run}: the Parquet file read back does not match ` +
              `the input:\n  ${mismatches.join('\n  ')}`,
          );
        }
        fs.rmSync(outputPath);
        measurementsByWriter.get(writer.name).push(measurement);
      }
    }
    return { duckDbVersion, measurementsByWriter };
  } finally {
    reader.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

/**
 * Writes the same synthetic rows with each Parquet writer candidate and
 * returns wall time, peak RSS delta and file size, with ratios to DuckDB.
 * Throws when a written file does not read back as the input.
 */
async function run({ rows = DEFAULT_ROWS, runs = DEFAULT_RUNS, onProgress = () => {} }) {
  onProgress(`generating ${rows} rows for the expected aggregates`);
  const expected = summarizeBatches(
    generateBatches({ rowCount: rows, batchRows: BATCH_ROWS, seed: SEED }),
  );

  const { duckDbVersion, measurementsByWriter } = await measureAllRuns({
    rowCount: rows,
    runs,
    expected,
    onProgress,
  });
  const summaries = WRITERS.map((writer) =>
    summarizeWriter(writer, measurementsByWriter.get(writer.name)),
  );

  return {
    input:
      `${rows.toLocaleString('en-US')} rows x 5 columns (id VARCHAR, code VARCHAR, ` +
      `value DOUBLE, observed_at TIMESTAMP, age_years INTEGER) from mulberry32 seed ${SEED}, ` +
      `in batches of ${BATCH_ROWS.toLocaleString('en-US')} rows. Runs per writer: ${runs}.`,
    settings: describeSettings(duckDbVersion),
    columns: COLUMNS,
    rows: formatRows(summaries, BASELINE_WRITER),
    notes: describeMarks(summaries),
  };
}

/** Returns the chart panels of a results table of this bench, for the parquet-query family chart. */
function charts(table) {
  return [
    {
      title: 'time to write the rows',
      unit: 'ms',
      higherIsBetter: false,
      note: 'Ratios: to DuckDB in the same run.',
      groups: [
        barsFrom(table, {
          label: 'Writer',
          value: 'Wall time, ms (median)',
          ratio: 'Time vs DuckDB',
        }),
      ],
    },
    {
      title: 'peak RSS growth of each writer’s process',
      unit: 'MiB',
      higherIsBetter: false,
      groups: [
        barsFrom(table, {
          label: 'Writer',
          value: 'Peak RSS delta, MiB (median)',
          ratio: 'Memory vs DuckDB',
        }),
      ],
    },
  ];
}

/** Returns the index entry of the writers, which have no target because the bench compares them. */
function assess(table) {
  const [writer] = table.rows
    .slice(1)
    .map((row) => `${row[0]} ${row[table.columns.indexOf('Time vs DuckDB')]}`);
  return {
    target: 'none (compares writers)',
    result: `DuckDB fastest; next ${writer} its time`,
    met: undefined,
  };
}

module.exports = {
  name: 'parquet-writers',
  description:
    'Writes the same row batches to a ZSTD Parquet file with DuckDB, apache-arrow + ' +
    'parquet-wasm and @dsnp/parquetjs (GZIP, as it has no ZSTD), and compares them to DuckDB.',
  run,
  charts,
  assess,
};
