'use strict';

// Synthetic observation rows shared by every Parquet writer candidate. The same
// seed yields the same rows in every child process, so the candidates write
// identical tables and the read-back check can compare them with one set of
// expected values.

const { mulberry32, randomInt } = require('../lib/random');

const COLUMNS = [
  { name: 'id', type: 'VARCHAR' },
  { name: 'code', type: 'VARCHAR' },
  { name: 'value', type: 'DOUBLE' },
  { name: 'observed_at', type: 'TIMESTAMP' },
  { name: 'age_years', type: 'INTEGER' },
];

const DISTINCT_CODES = 200;
const MAX_AGE_YEARS = 105;

// 2024-01-01T00:00:00Z; observations fall within the following 365 days.
const OBSERVED_FROM_MICROS = Date.UTC(2024, 0, 1) * 1000;
const OBSERVED_SPAN_SECONDS = 365 * 24 * 3600;

// Codes shaped like LOINC codes: digits, a dash and a check digit. The check
// digit is not computed the LOINC way, because only the shape matters here.
function makeCodes(random) {
  const codes = [];
  for (let i = 0; i < DISTINCT_CODES; i += 1) {
    const number = 1000 + randomInt(random, 99000);
    codes.push(`${number}-${number % 10}`);
  }
  return codes;
}

/**
 * Generates `rowCount` rows as columnar batches of at most `batchRows` rows,
 * numbers in typed arrays and strings in plain arrays. Columns favour no
 * candidate: DuckDB and parquetjs read them row by row, and Arrow takes the
 * typed arrays as they are.
 */
function generateBatches({ rowCount, batchRows, seed }) {
  const random = mulberry32(seed);
  const codes = makeCodes(random);
  const batches = [];

  for (let start = 0; start < rowCount; start += batchRows) {
    const length = Math.min(batchRows, rowCount - start);
    const batch = {
      length,
      id: new Array(length),
      code: new Array(length),
      value: new Float64Array(length),
      observedAtMicros: new BigInt64Array(length),
      ageYears: new Int32Array(length),
    };

    for (let i = 0; i < length; i += 1) {
      batch.id[i] = `MRN${String(randomInt(random, 100_000_000)).padStart(8, '0')}`;
      batch.code[i] = codes[randomInt(random, DISTINCT_CODES)];
      batch.value[i] = randomInt(random, 100_000) / 100;
      const seconds = randomInt(random, OBSERVED_SPAN_SECONDS);
      const micros = randomInt(random, 1_000_000);
      batch.observedAtMicros[i] = BigInt(OBSERVED_FROM_MICROS + seconds * 1_000_000 + micros);
      batch.ageYears[i] = randomInt(random, MAX_AGE_YEARS);
    }
    batches.push(batch);
  }
  return batches;
}

/**
 * Computes the aggregates the read-back check compares against. The value sum
 * uses Neumaier summation so that it does not depend on the order of addition,
 * which DuckDB's parallel scan does not preserve.
 */
function summarizeBatches(batches) {
  let rowCount = 0;
  let valueSum = 0;
  let valueCompensation = 0;
  let ageYearsSum = 0;
  let idLengthSum = 0;
  let observedAtMinMicros = null;
  let observedAtMaxMicros = null;
  const codes = new Set();

  for (const batch of batches) {
    rowCount += batch.length;
    for (let i = 0; i < batch.length; i += 1) {
      const value = batch.value[i];
      const total = valueSum + value;
      valueCompensation +=
        Math.abs(valueSum) >= Math.abs(value) ? valueSum - total + value : value - total + valueSum;
      valueSum = total;

      ageYearsSum += batch.ageYears[i];
      idLengthSum += batch.id[i].length;
      codes.add(batch.code[i]);

      const observedAt = batch.observedAtMicros[i];
      if (observedAtMinMicros === null || observedAt < observedAtMinMicros) {
        observedAtMinMicros = observedAt;
      }
      if (observedAtMaxMicros === null || observedAt > observedAtMaxMicros) {
        observedAtMaxMicros = observedAt;
      }
    }
  }

  return {
    rowCount,
    valueSum: valueSum + valueCompensation,
    ageYearsSum,
    idLengthSum,
    distinctCodes: codes.size,
    observedAtMinMicros,
    observedAtMaxMicros,
  };
}

module.exports = { COLUMNS, mulberry32, generateBatches, summarizeBatches };
