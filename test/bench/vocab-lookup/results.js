'use strict';

const { median } = require('../lib/statistics');

const COLUMNS = [
  'Index',
  'Codes',
  'Build, ms',
  'Index memory, MiB',
  'Entry point',
  'Checks per second (median)',
  'Range, checks per second',
  'ns per check',
  'vs target',
  'vs Map peer',
];

const MIB = 1024 * 1024;

function perSecond(checkCount, ms) {
  return (checkCount / ms) * 1000;
}

function formatCount(value) {
  return Math.round(value).toLocaleString('en-US');
}

/** Formats one row per index and entry point; the target is checks per second. */
function formatRows(measured, targetPerSecond) {
  return measured.flatMap((index) => {
    const peer = index.results.find((result) => result.isPeer);
    const peerRate = perSecond(index.checkCount, median(peer.timesMs));
    return index.results.map((result) => {
      const medianMs = median(result.timesMs);
      const rate = perSecond(index.checkCount, medianMs);
      const slowest = perSecond(index.checkCount, Math.max(...result.timesMs));
      const fastest = perSecond(index.checkCount, Math.min(...result.timesMs));
      return [
        index.label,
        formatCount(index.codeCount),
        (result.buildMs ?? index.buildMs).toFixed(0),
        ((result.indexBytes ?? index.indexBytes) / MIB).toFixed(1),
        result.entryPoint,
        formatCount(rate),
        `${formatCount(slowest)}–${formatCount(fastest)}`,
        ((medianMs * 1e6) / index.checkCount).toFixed(0),
        `${(rate / targetPerSecond).toFixed(1)}x`,
        `${(rate / peerRate).toFixed(2)}x`,
      ];
    });
  });
}

module.exports = { COLUMNS, formatRows };
