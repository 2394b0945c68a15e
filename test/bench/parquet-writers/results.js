'use strict';

const MIB = 1024 * 1024;

function median(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Returns how far one write raised the child's RSS above its level just
 * before the write. When the write never exceeded the peak that generating
 * the input had already reached, maxRSS cannot show the write's own peak, so
 * the delta is only an upper bound and `isUpperBound` is set.
 */
function peakRssDelta(measurement) {
  if (measurement.peakRssAfterBytes > measurement.peakRssBeforeBytes) {
    return {
      bytes: measurement.peakRssAfterBytes - measurement.rssBeforeBytes,
      isUpperBound: false,
    };
  }
  return {
    bytes: measurement.peakRssBeforeBytes - measurement.rssBeforeBytes,
    isUpperBound: true,
  };
}

/** Reduces the runs of one writer to medians and ranges. */
function summarizeWriter(writer, measurements) {
  const wallMs = measurements.map((measurement) => measurement.wallMs);
  const deltas = measurements.map(peakRssDelta);
  const fileBytes = measurements.map((measurement) => measurement.fileBytes);

  return {
    writer,
    codec: measurements[0].codec,
    wallMsMedian: median(wallMs),
    wallMsMin: Math.min(...wallMs),
    wallMsMax: Math.max(...wallMs),
    peakRssDeltaBytesMedian: median(deltas.map((delta) => delta.bytes)),
    peakRssDeltaIsUpperBound: deltas.some((delta) => delta.isUpperBound),
    fileBytesMedian: median(fileBytes),
    fileBytesVary: new Set(fileBytes).size > 1,
  };
}

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function formatRatio(value, baseline) {
  return `${(value / baseline).toFixed(2)}x`;
}

const COLUMNS = [
  'Writer',
  'Codec',
  'Wall time, ms (median)',
  'Wall time range, ms',
  'Peak RSS delta, MiB (median)',
  'File size, bytes',
  'Time vs DuckDB',
  'Memory vs DuckDB',
  'Size vs DuckDB',
];

/** Formats the per-writer summaries as table cells, with ratios to the baseline. */
function formatRows(summaries, baselineName) {
  const baseline = summaries.find((summary) => summary.writer.name === baselineName);
  return summaries.map((summary) => {
    const boundMark = summary.peakRssDeltaIsUpperBound ? '≤ ' : '';
    const varyMark = summary.fileBytesVary ? ' (varies)' : '';
    return [
      summary.writer.label,
      summary.codec,
      integerFormat.format(summary.wallMsMedian),
      `${integerFormat.format(summary.wallMsMin)}–${integerFormat.format(summary.wallMsMax)}`,
      `${boundMark}${(summary.peakRssDeltaBytesMedian / MIB).toFixed(1)}`,
      `${integerFormat.format(summary.fileBytesMedian)}${varyMark}`,
      formatRatio(summary.wallMsMedian, baseline.wallMsMedian),
      formatRatio(summary.peakRssDeltaBytesMedian, baseline.peakRssDeltaBytesMedian),
      formatRatio(summary.fileBytesMedian, baseline.fileBytesMedian),
    ];
  });
}

module.exports = { COLUMNS, summarizeWriter, formatRows };
