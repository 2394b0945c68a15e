'use strict';

const { median } = require('../lib/statistics');

const MIB = 1024 * 1024;

const COLUMNS = [
  'Input',
  'OBX-5.5 size',
  'Message size, bytes',
  'Parse + get, ms (median)',
  'Range, ms',
  'ms per MiB of message',
  'Time vs 1 MiB',
  'Time per MiB vs 1 MiB',
  'Plain scan, ms (median)',
  'Parse + get vs plain scan',
];

/** Adds the median time and the time per MiB of message to each measured case. */
function summarizeCases(cases) {
  return cases.map((testCase) => {
    const medianMs = median(testCase.timesMs);
    return {
      ...testCase,
      medianMs,
      minMs: Math.min(...testCase.timesMs),
      maxMs: Math.max(...testCase.timesMs),
      msPerMib: medianMs / (testCase.messageBytes / MIB),
      scanMedianMs: median(testCase.scanTimesMs),
    };
  });
}

/**
 * Formats the summaries as table cells. Ratios compare each case with the
 * smallest size of the same input kind: linear growth keeps the time per MiB
 * ratio near 1.00x while the time ratio follows the size.
 */
function formatRows(summaries) {
  return summaries.map((summary) => {
    const baseline = summaries.find((candidate) => candidate.inputKind === summary.inputKind);
    return [
      summary.inputKind,
      summary.sizeLabel,
      summary.messageBytes.toLocaleString('en-US'),
      summary.medianMs.toFixed(1),
      `${summary.minMs.toFixed(1)}–${summary.maxMs.toFixed(1)}`,
      summary.msPerMib.toFixed(2),
      `${(summary.medianMs / baseline.medianMs).toFixed(2)}x`,
      `${(summary.msPerMib / baseline.msPerMib).toFixed(2)}x`,
      summary.scanMedianMs.toFixed(2),
      `${(summary.medianMs / summary.scanMedianMs).toFixed(1)}x`,
    ];
  });
}

module.exports = { COLUMNS, summarizeCases, formatRows };
