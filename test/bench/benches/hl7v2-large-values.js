'use strict';

const {
  checkCarelakeHl7v2Built,
  readCarelakeHl7v2Version,
  describeCarelakeHl7v2Source,
} = require('../hl7v2/carelake-dist');
const { COLUMNS, summarizeCases, formatRows } = require('../hl7v2/large-values-results');
const { forkChild } = require('../lib/fork-child');

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
    'One child process started with --expose-gc runs every case: 3 warm-up parses per case, then ' +
      'the runs, interleaved across cases, each after a forced GC.',
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
  const cases = await forkChild({
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
    ],
  };
}

module.exports = {
  name: 'hl7v2-large-values',
  description:
    'Parses HL7 v2 messages whose OBX-5 carries a 1, 2 and 4 MiB Base64 document with ' +
    '@carelake/hl7v2, and shows how the time grows with the value size.',
  run,
};
