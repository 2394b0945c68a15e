'use strict';

const fs = require('node:fs');

const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Streams one generated NDJSON file through `readNdjson` of @carelake/fhir and
 * yields its entries in arrays of at most `batchResources`. Throws on the first
 * line the reader reports as a problem, because generated lines must all read
 * cleanly. The error names the file, line and problem code, never the line's text.
 */
async function* readEntryBatches(file, { fhir, batchResources }) {
  const fileName = `${file.resourceType}.ndjson`;
  const chunks = fs.createReadStream(file.path, { highWaterMark: READ_CHUNK_BYTES });
  let batch = [];
  for await (const item of fhir.readNdjson(chunks, { file: fileName })) {
    if (fhir.isFhirProblem(item)) {
      throw new Error(`${fileName} line ${item.line}: readNdjson reported ${item.code}`);
    }
    batch.push(item);
    if (batch.length === batchResources) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

module.exports = { readEntryBatches };
