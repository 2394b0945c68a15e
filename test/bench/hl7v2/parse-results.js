'use strict';

const { median } = require('../lib/statistics');

const METRICS = ['parseMessagesPerSecond', 'parseAndExtractMessagesPerSecond'];

/** Reduces the rounds of one parser to a median and a range per metric, and its median peak RSS. */
function summarizeParser(parser, rounds) {
  const summary = { parser, peakRssMiB: median(rounds.map((round) => round.peakRssMiB)) };
  for (const metric of METRICS) {
    const values = rounds.map((round) => round[metric]);
    summary[metric] = {
      median: median(values),
      min: Math.min(...values),
      max: Math.max(...values),
    };
  }
  return summary;
}

/** Returns, per metric, the peer (not ours) with the highest median, as { parser, median }. */
function findFastestPeers(summaries) {
  const peers = summaries.filter((summary) => !summary.parser.isOurs);
  const fastest = {};
  for (const metric of METRICS) {
    const best = peers.reduce((leader, summary) =>
      summary[metric].median > leader[metric].median ? summary : leader,
    );
    fastest[metric] = { parser: best.parser, median: best[metric].median };
  }
  return fastest;
}

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function formatRange({ min, max }) {
  return `${integerFormat.format(min)}–${integerFormat.format(max)}`;
}

function formatRatio(value, baseline) {
  return `${(value / baseline).toFixed(2)}x`;
}

const COLUMNS = [
  'Parser',
  'Version',
  'Parse, msgs/s (median)',
  'Parse range, msgs/s',
  'Parse + extract, msgs/s (median)',
  'Parse + extract range, msgs/s',
  'Parse vs fastest peer',
  'Parse + extract vs fastest peer',
  'Peak RSS, MiB (median)',
];

/** Formats the per-parser summaries as table cells, with ratios to the fastest peer. */
function formatRows(summaries, fastest, versions) {
  return summaries.map((summary) => [
    summary.parser.label,
    versions.get(summary.parser.name),
    integerFormat.format(summary.parseMessagesPerSecond.median),
    formatRange(summary.parseMessagesPerSecond),
    integerFormat.format(summary.parseAndExtractMessagesPerSecond.median),
    formatRange(summary.parseAndExtractMessagesPerSecond),
    ...METRICS.map((metric) => formatRatio(summary[metric].median, fastest[metric].median)),
    integerFormat.format(summary.peakRssMiB),
  ]);
}

module.exports = { COLUMNS, summarizeParser, findFastestPeers, formatRows, formatRatio };
