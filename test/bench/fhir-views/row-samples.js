'use strict';

// Every resource whose 0-based line index is a multiple of this is sampled,
// by both candidates, in every file.
const SAMPLE_EVERY = 997;

function isSampled(entry) {
  return entry.position % SAMPLE_EVERY === 0;
}

/** Keeps one sampled resource's rows of one view, named by the view, file and 1-based line. */
function createSample(viewName, entry, rows) {
  const resource = `${entry.resource.resourceType}.ndjson line ${entry.position + 1}`;
  return { key: `view ${viewName} on ${resource}`, resource, rows };
}

function describeType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value;
}

function findRowMismatches(key, oursRows, peerRows) {
  if (oursRows.length !== peerRows.length) {
    return [
      `${key}: ${oursRows.length} rows from @carelake/fhir, ${peerRows.length} from fhirpath`,
    ];
  }
  const mismatches = [];
  oursRows.forEach((oursRow, index) => {
    const peerRow = peerRows[index];
    const names = new Set([...Object.keys(oursRow), ...Object.keys(peerRow)]);
    for (const name of names) {
      if (JSON.stringify(oursRow[name]) === JSON.stringify(peerRow[name])) continue;
      // Types only, never values: the rows are shaped like patient data.
      mismatches.push(
        `${key}, row ${index}, column ${name}: @carelake/fhir returned ` +
          `${describeType(oursRow[name])}, fhirpath ${describeType(peerRow[name])}, and they differ`,
      );
    }
  });
  return mismatches;
}

/**
 * Compares the sampled rows of the two candidates: the same sampled
 * resources and views, the same number of rows, and every column's value
 * equal as JSON. Returns one line per difference.
 */
function compareSamples(oursSamples, peerSamples) {
  const peerByKey = new Map(peerSamples.map((sample) => [sample.key, sample.rows]));
  const mismatches = [];
  for (const { key, rows } of oursSamples) {
    const peerRows = peerByKey.get(key);
    if (peerRows === undefined) {
      mismatches.push(`${key}: sampled by @carelake/fhir only`);
      continue;
    }
    peerByKey.delete(key);
    mismatches.push(...findRowMismatches(key, rows, peerRows));
  }
  for (const key of peerByKey.keys()) mismatches.push(`${key}: sampled by fhirpath only`);
  return mismatches;
}

/** Counts the rows and cells that `compareSamples` compares. */
function countSampledCells(samples) {
  let rows = 0;
  let cells = 0;
  for (const sample of samples) {
    rows += sample.rows.length;
    for (const row of sample.rows) cells += Object.keys(row).length;
  }
  return { resources: new Set(samples.map((sample) => sample.resource)).size, rows, cells };
}

module.exports = { SAMPLE_EVERY, isSampled, createSample, compareSamples, countSampledCells };
