'use strict';

const {
  checkCarelakeHl7v2Built,
  readCarelakeHl7v2Version,
  describeCarelakeHl7v2Source,
} = require('../hl7v2/carelake-dist');
const { COLUMNS, summarizeCases, formatRows } = require('../hl7v2/large-values-results');
const { forkChild } = require('../lib/fork-child');
const { barsFrom, hasColumn } = require('../lib/chart-panels');
const { columnOf, numberIn } = require('../lib/results-page');

const DEFAULT_RUNS = 25;
const SEED = 20240305;
const MIB = 1024 * 1024;
// Base64 lengths of exactly 1, 2 and 4 MiB: documents of 0.75, 1.5 and 3 MiB.
const SIZES = [1, 2, 4].map((mib) => ({ label: `${mib} MiB`, base64Length: mib * MIB }));

const CHILD_PATH = require.resolve('../hl7v2/large-values-child');

function describeSettings() {
  return [
    `Library: @carelake/hl7v2 ${readCarelakeHl7v2Version()} from packages/hl7v2/dist, built ` +
      `from ${describeCarelakeHl7v2Source()}.`,
    "Timed: `parseHl7Message(input)`, then `message.get('OBX-5.5')`, which splits the OBX and " +
      'unescapes the value. The input is the message string, or its UTF-8 bytes in a `Buffer`, ' +
      'which the parser also decodes.',
    'Every parse must return no warnings and an OBX-5.5 equal to the generated Base64 text; the ' +
      'comparison runs after the clock stops.',
    'Baseline: no other parser exists to compare with here (hl7v2-parse compares the parsers on ' +
      'ordinary messages), so the closest one is a plain scan: `indexOf` on the string or the ' +
      '`Buffer` to the fifth field of the OBX segment, then its fifth component, decoded from ' +
      'UTF-8 for bytes. It knows the layout, unescapes and checks nothing, and must return the ' +
      'same value.',
    'One child process started with --expose-gc runs every case: 3 warm-up parses and scans per ' +
      'case, then the runs, interleaved across cases and candidates, each after a forced GC.',
  ];
}

/**
 * Parses messages whose OBX-5 carries a 1, 2 and 4 MiB Base64 document with
 * @carelake/hl7v2, and returns the median time and the time per MiB of each,
 * with ratios to the 1 MiB case. Throws when a parse reads the value back
 * wrong.
 */
async function run({ runs = DEFAULT_RUNS, onProgress = () => {} }) {
  checkCarelakeHl7v2Built();
  onProgress(`timing ${SIZES.length} sizes x 2 input kinds, ${runs} runs each`);
  const { cases, peakRssMiB } = await forkChild({
    childPath: CHILD_PATH,
    request: { sizes: SIZES, runs, seed: SEED },
    label: 'large-value parse',
    execArgv: ['--expose-gc'],
  });
  const summaries = summarizeCases(cases);

  return {
    input:
      `one synthetic ORU^R01 (MSH, PID, OBR, one OBX of type ED) per size, its OBX-5.5 a Base64 ` +
      `text of ${SIZES.map((size) => size.label).join(', ')} encoding PDF-like bytes from ` +
      `mulberry32 seed ${SEED}. Runs per size and input: ${runs}.`,
    settings: describeSettings(),
    columns: COLUMNS,
    rows: formatRows(summaries),
    notes: [
      'Ratios divide by the 1 MiB case of the same input. Linear growth shows as a time ratio ' +
        'that follows the size (2x, 4x) and a time per MiB ratio near 1.00x.',
      '"vs plain scan" divides the parse + get median by the scan’s median on the same input: ' +
        'what the parser’s checks, segment split and unescaping cost over finding the bytes. On a ' +
        'string the scan copies nothing, because V8 makes a slice of a long string refer to the ' +
        'original. From bytes it also decodes the value, hence its longer time.',
      `Peak RSS of the child: ${Math.round(peakRssMiB)} MiB (\`resourceUsage().maxRSS\`). It ` +
        'holds both candidates and all six inputs at once, so it is one figure for the run, not ' +
        'one per candidate.',
    ],
  };
}

/** Returns the chart panels of a results table of this bench, for the hl7v2 family chart. */
function charts(table) {
  const scanned = hasColumn(table, 'Plain scan, ms (median)');
  const groups = table.rows.map((row, index) => {
    const keep = (_row, candidate) => candidate === index;
    const group = barsFrom(table, {
      keep,
      label: 'Input',
      value: 'Parse + get, ms (median)',
      ratio: 'Time per MiB vs 1 MiB',
    });
    group.label = `${row[0]}, OBX-5.5 of ${row[1]}`;
    group.bars[0].label = '@carelake/hl7v2 parse + get';
    group.bars[0].ratio = `${group.bars[0].ratio} per MiB vs 1 MiB`;
    if (scanned) {
      const scan = barsFrom(table, { keep, label: 'Input', value: 'Plain scan, ms (median)' });
      group.bars.push({ ...scan.bars[0], label: 'plain scan (baseline)' });
      group.bars[0].ratio += `, ${columnOf(table, 'Parse + get vs plain scan')[index]} the scan`;
    }
    return group;
  });
  return [
    { title: 'time per message with a large value', unit: 'ms', higherIsBetter: false, groups },
  ];
}

/** Returns the index entry for large values, which have no target: how the time per MiB grows. */
function assess(table) {
  const sizes = columnOf(table, 'OBX-5.5 size');
  const largest = sizes.at(-1);
  const growth = columnOf(table, 'Time per MiB vs 1 MiB')
    .filter((_cell, index) => sizes[index] === largest)
    .map(numberIn);
  return {
    target: 'none set (time per MiB should not grow with the value)',
    result: `time per MiB at ${largest}: ${growth.map((ratio) => `${ratio.toFixed(2)}x`).join(' and ')} that at 1 MiB (string, bytes)`,
    met: undefined,
  };
}

module.exports = {
  name: 'hl7v2-large-values',
  description:
    'Parses HL7 v2 messages whose OBX-5 carries a 1, 2 and 4 MiB Base64 document with ' +
    '@carelake/hl7v2, shows how the time grows with the value size, and compares it with a ' +
    'plain scan for the value.',
  run,
  charts,
  assess,
};
