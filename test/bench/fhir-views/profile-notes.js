'use strict';

// Functions whose total time (with their callees) is one stage of the
// carelake run, as `name file` in the profile.
const STAGE_FUNCTIONS = [
  ['readNdjson', 'ndjson-reader.js', 'parse (readNdjson)'],
  ['checkBatch', 'ours-child.js', 'conformance check'],
  ['evaluateBatch', 'ours-child.js', 'views'],
  ['add', 'view-table-writer.js', 'conversion to table rows'],
  ['writeParquetFile', 'parquet-writer.js', 'DuckDB appender and COPY'],
  ['(garbage collector)', '', 'garbage collection'],
  ['(idle)', '', 'idle (the main thread waits, such as for DuckDB’s COPY)'],
];
const TOP_SELF_FUNCTIONS = 10;

function findTotal(summary, name, file) {
  const entry = summary.total.find(
    ({ name: entryName }) =>
      (entryName === name || entryName.startsWith(`${name} `)) && entryName.includes(file),
  );
  return entry === undefined ? 0 : entry.percent;
}

/**
 * Describes a CPU profile of a carelake run: the share of samples under each
 * stage's function, and the functions with the most self time.
 */
function describeProfile(summary, resourceCount) {
  const stages = STAGE_FUNCTIONS.map(
    ([name, file, label]) => `${label} ${findTotal(summary, name, file).toFixed(1)}%`,
  ).join(', ');
  const top = summary.self
    .slice(0, TOP_SELF_FUNCTIONS)
    .map(({ name, percent }) => `\`${name}\` ${percent.toFixed(1)}%`)
    .join(', ');
  return [
    `Where carelake's time goes, in a \`node --cpu-prof\` run over ` +
      `${resourceCount.toLocaleString('en-US')} resources generated the same way. Each share ` +
      `counts the samples after setup in that function and its callees: ${stages}.`,
    `Functions with the most self time in that profile: ${top}. ` +
      'JSON.parse is a V8 built-in without a frame of its own, so its time shows as self ' +
      'time of the function that calls it.',
  ];
}

module.exports = { describeProfile };
