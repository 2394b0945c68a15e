'use strict';

const fs = require('node:fs');
const arrow = require('apache-arrow');
// The node entry loads the WebAssembly module synchronously at require time,
// so no init call is needed (parquet-wasm 0.8).
const parquetWasm = require('parquet-wasm/node');
const { ROW_GROUP_ROWS } = require('./settings');

function toRecordBatch(batch) {
  return new arrow.RecordBatch({
    id: arrow.vectorFromArray(batch.id, new arrow.Utf8()).data[0],
    code: arrow.vectorFromArray(batch.code, new arrow.Utf8()).data[0],
    value: arrow.makeData({ type: new arrow.Float64(), data: batch.value }),
    observed_at: arrow.makeData({
      type: new arrow.TimestampMicrosecond(),
      data: batch.observedAtMicros,
    }),
    age_years: arrow.makeData({ type: new arrow.Int32(), data: batch.ageYears }),
  });
}

/**
 * Builds one Arrow record batch per input batch, hands the table to
 * parquet-wasm as an IPC stream and writes the returned Parquet bytes.
 * The whole file is built in WebAssembly memory before it reaches the disk.
 */
async function write(batches, outputPath) {
  const table = new arrow.Table(batches.map(toRecordBatch));
  const wasmTable = parquetWasm.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'));
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.ZSTD)
    .setMaxRowGroupSize(ROW_GROUP_ROWS)
    .build();
  const parquetBytes = parquetWasm.writeParquet(wasmTable, properties);
  fs.writeFileSync(outputPath, parquetBytes);
}

module.exports = { codec: 'ZSTD', write };
