'use strict';

const { median } = require('../lib/statistics');

const MIB = 1024 * 1024;

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

// The stages each candidate reports, in table order, with their labels.
const OURS_STAGES = [
  ['parse', 'parse: readNdjson'],
  ['check', 'conformance check'],
  ['views', 'all default views'],
  ['write', 'Parquet write'],
  ['total', 'end to end'],
];
const PEER_STAGES = [
  ['parse', 'parse: readNdjson'],
  ['views', 'all default views'],
  ['total', 'end to end: parse + views'],
];
// The carelake stage each ratio compares with the same peer stage.
const COMPARED_STAGES = new Set(['parse', 'views', 'total']);

const COLUMNS = [
  'Candidate',
  'Stage',
  'Resources/s (median)',
  'Range, resources/s',
  'Time, s (median)',
  'vs fhirpath',
];

function stageMs(run, stage) {
  return stage === 'total' ? run.totalMs : run.stageMs[stage];
}

/** Reduces one candidate's runs to a median rate, a range and a median time per stage. */
function summarizeStages(runs, stages, resourceCount) {
  const summary = {};
  for (const [stage] of stages) {
    const times = runs.map((run) => stageMs(run, stage));
    const rates = times.map((ms) => (resourceCount / ms) * 1000);
    summary[stage] = {
      rate: median(rates),
      minRate: Math.min(...rates),
      maxRate: Math.max(...rates),
      seconds: median(times) / 1000,
    };
  }
  return summary;
}

function formatRatio(value, baseline) {
  return `${(value / baseline).toFixed(2)}x`;
}

function formatStageRow(candidate, label, stage, summary, peerSummary) {
  const ratio =
    peerSummary !== undefined && COMPARED_STAGES.has(stage)
      ? formatRatio(summary[stage].rate, peerSummary[stage].rate)
      : '–';
  return [
    candidate,
    label,
    integerFormat.format(summary[stage].rate),
    `${integerFormat.format(summary[stage].minRate)}–${integerFormat.format(summary[stage].maxRate)}`,
    summary[stage].seconds.toFixed(1),
    ratio,
  ];
}

/** Formats both candidates' stages as table cells, with each compared stage's ratio to the peer. */
function formatRows({ ours, peer, peerLabel }) {
  return [
    ...OURS_STAGES.map(([stage, label]) =>
      formatStageRow('@carelake/fhir + @carelake/tables', label, stage, ours, peer),
    ),
    ...PEER_STAGES.map(([stage, label]) => formatStageRow(peerLabel, label, stage, peer, peer)),
  ];
}

function formatMib(bytes) {
  return `${integerFormat.format(bytes / MIB)} MiB`;
}

/** Returns the marks of the run whose end-to-end time is the median, for the memory notes. */
function medianRun(runs) {
  const sorted = [...runs].sort((left, right) => left.totalMs - right.totalMs);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function describeGcShare(label, run) {
  const share = ((run.gcMs / run.totalMs) * 100).toFixed(0);
  return `${label} ${(run.gcMs / 1000).toFixed(1)} s of ${(run.totalMs / 1000).toFixed(1)} s (${share}%)`;
}

/**
 * Describes the garbage collection pauses of each candidate's median run.
 * They fall into whichever stage allocates when V8 collects.
 */
function describeGcTime(oursRuns, peerRuns) {
  return (
    `Garbage collection pauses in the timed work: ${describeGcShare('carelake', medianRun(oursRuns))}, ` +
    `${describeGcShare('fhirpath peer', medianRun(peerRuns))}. They are V8's \`gc\` performance ` +
    'entries without the forced collections. A pause is counted in whichever stage was ' +
    'allocating when it came, so the same reader can show a different rate in each candidate.'
  );
}

module.exports = {
  describeGcTime,
  COLUMNS,
  OURS_STAGES,
  PEER_STAGES,
  summarizeStages,
  formatRows,
  formatRatio,
  formatMib,
  medianRun,
  integerFormat,
};
