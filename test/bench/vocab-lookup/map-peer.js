'use strict';

// The peer of the code index: what an application would write without one, a JavaScript Map
// from the normalized code to its validity period in epoch milliseconds, with the code
// normalized by String methods and the date read by Date.parse. It handles only this bench's
// code shapes (ICD-10-CM with or without its dot, LOINC as is), so it does less work than
// normalizeCode.

function normalize(code) {
  return code.trim().toUpperCase().replace('.', '');
}

function buildMapIndex(records) {
  const periods = new Map();
  for (const record of records) {
    periods.set(normalize(record.code), {
      from: Date.parse(record.validFrom),
      to: record.validTo === undefined ? Infinity : Date.parse(record.validTo),
    });
  }
  return periods;
}

function checkWithMap(periods, code, date) {
  const period = periods.get(normalize(code));
  if (period === undefined) return 'unknown';
  const at = Date.parse(date);
  if (Number.isNaN(at)) throw new Error('invalid check date');
  if (at >= period.from && at < period.to) return 'known';
  return at >= period.to ? 'retired' : 'unknown';
}

module.exports = { buildMapIndex, checkWithMap };
