'use strict';

const parquet = require('@dsnp/parquetjs');
const { ROW_GROUP_ROWS } = require('./settings');

// @dsnp/parquetjs 1.8 offers UNCOMPRESSED, SNAPPY, GZIP and BROTLI, no ZSTD.
// GZIP is its best trade-off here. In a one-off trial on this input, its pure
// JavaScript SNAPPY was no faster and wrote larger files, and BROTLI took about
// eight times as long.
const CODEC = 'GZIP';

const schema = new parquet.ParquetSchema({
  id: { type: 'UTF8', compression: CODEC },
  code: { type: 'UTF8', compression: CODEC },
  value: { type: 'DOUBLE', compression: CODEC },
  observed_at: { type: 'TIMESTAMP_MICROS', compression: CODEC },
  age_years: { type: 'INT32', compression: CODEC },
});

/** Appends the batches row by row to a parquetjs file writer. */
async function write(batches, outputPath) {
  const writer = await parquet.ParquetWriter.openFile(schema, outputPath, {
    rowGroupSize: ROW_GROUP_ROWS,
  });
  try {
    for (const batch of batches) {
      for (let i = 0; i < batch.length; i += 1) {
        await writer.appendRow({
          id: batch.id[i],
          code: batch.code[i],
          value: batch.value[i],
          observed_at: batch.observedAtMicros[i],
          age_years: batch.ageYears[i],
        });
      }
    }
  } finally {
    await writer.close();
  }
}

module.exports = { codec: CODEC, write };
