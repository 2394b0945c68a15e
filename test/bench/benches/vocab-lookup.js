'use strict';

const { spawnSync } = require('node:child_process');
const {
  checkPackageBuilt,
  describePackageSource,
  readPackageVersion,
} = require('../lib/carelake-dist');
const { forkChild } = require('../lib/fork-child');
const { COLUMNS, formatRows } = require('../vocab-lookup/results');
const {
  MIX,
  RETIRED_SHARE,
  VALID_FROM,
  RETIRED_FROM,
  CHECK_YEAR,
} = require('../vocab-lookup/synthetic-codes');
const { barsFrom, hasColumn } = require('../lib/chart-panels');
const { columnOf, numberIn } = require('../lib/results-page');

const DEFAULT_CHECKS = 1_000_000;
const DEFAULT_RUNS = 7;
const SEED = 20250301;
/** The rate the code index is designed for, on one core. */
const TARGET_CHECKS_PER_SECOND = 1_000_000;

/**
 * Index sizes, as estimates of the releases: an ICD-10-CM order file lists
 * about 74,000 billable codes plus their headers, and a recent Loinc.csv about
 * 105,000 terms.
 */
const INDEXES = [
  { label: 'ICD-10-CM-sized', system: 'icd10cm', codeCount: 98_000 },
  { label: 'LOINC-sized', system: 'loinc', codeCount: 105_000 },
];

const CHILD_PATH = require.resolve('../vocab-lookup/child');

/** Returns CPU 0 when taskset (util-linux) is there to pin the child to it. */
function pinnedCpu() {
  const probe = spawnSync('taskset', ['--version'], { stdio: 'ignore' });
  return probe.status === 0 ? 0 : undefined;
}

function describeSettings(cpu) {
  const percent = (share) => `${Math.round(share * 100)}%`;
  return [
    `Library: @carelake/vocab ${readPackageVersion('vocab')} from packages/vocab/dist, built from ${describePackageSource('vocab')}.`,
    'Timed: a loop of `check` calls over arrays of code and date strings, through the whole index ' +
      '(`CodeIndex.check(system, code, date)`) and through the system index (`forSystem(system).check(code, date)`). ' +
      'Each call parses its date string and normalizes its code.',
    'Before each run, outside the clock, the code and date strings are copied in check order, so that the loop reads ' +
      'strings laid out one after another and not yet hashed, as the fields of freshly decoded rows are; then a forced GC.',
    `Index: synthetic CodeRecords valid from ${VALID_FROM}; ${percent(RETIRED_SHARE)} of them retired from ${RETIRED_FROM}. ` +
      'ICD-10-CM-like codes are a letter, a digit and 1 to 5 letters or digits, stored with the dot; LOINC-like codes ' +
      'are serial numbers with their mod 10 check digit.',
    `Checks: ${percent(MIX.known)} known, ${percent(MIX.unknown)} unknown (codes not in the index), ${percent(MIX.retired)} ` +
      `retired, shuffled, each on a date in ${CHECK_YEAR}. Half of the ICD-10-CM checks write the code with the dot, half without.`,
    'Before timing, the result of every check is compared with the expected one, and every timed run must count the ' +
      'expected number of each result.',
    cpu === undefined
      ? 'One child process started with --expose-gc (taskset not found, so it is not pinned to a CPU).'
      : `One child process started with --expose-gc and pinned to CPU ${cpu} with taskset, so it uses one core.`,
    'Peer: a JavaScript `Map` from the normalized code to its validity period, the code ' +
      'normalized with `trim().toUpperCase().replace(".", "")` and the date read with ' +
      '`Date.parse`, as an application without a code index would check. It must return the ' +
      'expected result for every check too, and is timed in the same loop, interleaved.',
    'Build time is measured once per index. Index memory is heapUsed plus arrayBuffers with a second copy of the index, minus the same after it is released, each after a forced GC.',
  ];
}

/**
 * Builds an ICD-10-CM-sized and a LOINC-sized synthetic code index and times
 * checks against them, in a 90% known, 5% unknown, 5% retired mix. Throws
 * when a check returns another result than expected.
 */
async function run({ rows: checks = DEFAULT_CHECKS, runs = DEFAULT_RUNS, onProgress = () => {} }) {
  checkPackageBuilt('vocab');
  const cpu = pinnedCpu();
  onProgress(
    `building ${INDEXES.length} indexes, then ${runs} runs of ${checks.toLocaleString('en-US')} checks per entry point`,
  );
  const { measured, peakRssMiB } = await forkChild({
    childPath: CHILD_PATH,
    request: { indexes: INDEXES, checks, runs, seed: SEED },
    label: 'vocab lookup',
    execArgv: ['--expose-gc'],
    cpu,
  });

  return {
    input:
      `${INDEXES.map((index) => `${index.label} (${index.codeCount.toLocaleString('en-US')} synthetic codes)`).join(' and ')} ` +
      `indexes from mulberry32 seed ${SEED}; ${checks.toLocaleString('en-US')} checks per run, ${runs} runs per entry point.`,
    settings: describeSettings(cpu),
    columns: COLUMNS,
    rows: formatRows(measured, TARGET_CHECKS_PER_SECOND),
    notes: [
      `"vs target" divides the median rate by the design target of ${TARGET_CHECKS_PER_SECOND.toLocaleString('en-US')} checks per second on one core.`,
      '"vs Map peer" divides the median rate by the Map peer’s on the same index; above 1 is faster.',
      `Peak RSS of the child: ${Math.round(peakRssMiB)} MiB (\`resourceUsage().maxRSS\`), for ` +
        'both indexes, the peer’s Maps and the check strings together; "Index memory" is what ' +
        'each index alone keeps alive.',
      'Range gives the slowest and the fastest run. Other processes on a shared machine slow some runs even on a pinned ' +
        'CPU; the load average above shows how busy the machine was.',
    ],
  };
}

/** Returns the chart panels of a results table of this bench, for the vocab family chart. */
function charts(table) {
  const ratio = hasColumn(table, 'vs Map peer') ? 'vs Map peer' : 'vs target';
  const indexes = [...new Set(columnOf(table, 'Index'))];
  return [
    {
      title: 'checks per second, one core',
      unit: 'checks/s',
      higherIsBetter: true,
      note: `Ratios: ${ratio === 'vs Map peer' ? 'to the Map peer on the same index' : 'to the target of 1,000,000 checks/s'}.`,
      groups: indexes.map((index) =>
        barsFrom(table, {
          groupLabel: index,
          keep: (row) => row[0] === index,
          label: 'Entry point',
          value: 'Checks per second (median)',
          ratio,
        }),
      ),
    },
    {
      title: 'memory an index keeps alive',
      unit: 'MiB',
      higherIsBetter: false,
      groups: indexes.map((index) =>
        barsFrom(table, {
          groupLabel: index,
          keep: (row) => row[0] === index,
          label: 'Entry point',
          value: 'Index memory, MiB',
        }),
      ),
    },
  ];
}

/** Returns the target, the result and whether it was met, for the index of results. */
function assess(table) {
  const rates = table.rows
    .filter((row) => !row[4].startsWith('peer'))
    .map((row) => numberIn(row[table.columns.indexOf('Checks per second (median)')]));
  const slowest = Math.min(...rates);
  return {
    target: `${TARGET_CHECKS_PER_SECOND.toLocaleString('en-US')} checks/s on one core`,
    result: `slowest entry point ${Math.round(slowest).toLocaleString('en-US')} checks/s`,
    met: slowest >= TARGET_CHECKS_PER_SECOND,
  };
}

module.exports = {
  name: 'vocab-lookup',
  description:
    'Times code checks (known, unknown or retired on a date) against ICD-10-CM-sized and LOINC-sized synthetic ' +
    'indexes built with @carelake/vocab buildCodeIndex, on one core, and compares them with a JavaScript Map.',
  run,
  charts,
  assess,
};
