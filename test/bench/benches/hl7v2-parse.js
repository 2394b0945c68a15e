'use strict';

const { generateOruMessages } = require('../hl7v2/oru-messages');
const { PARSERS } = require('../hl7v2/parsers');
const {
  checkCarelakeHl7v2Built,
  readCarelakeHl7v2Version,
  describeCarelakeHl7v2Source,
} = require('../hl7v2/carelake-dist');
const {
  COLUMNS,
  summarizeParser,
  findFastestPeers,
  formatRows,
  formatRatio,
} = require('../hl7v2/parse-results');
const { forkChild } = require('../lib/fork-child');
const { packageVersion } = require('../lib/package-version');
const { barsFrom, hasColumn } = require('../lib/chart-panels');
const { columnOf, numberIn } = require('../lib/results-page');

const DEFAULT_RUNS = 5;
// Distinct messages cycled through in every timed loop.
const MESSAGE_COUNT = 1000;
const SEED = 20240101;
const WARMUP_MS = 300;
const MEASURE_MS = 800;
// The throughput target for @carelake/hl7v2: this many times the fastest peer's.
const TARGET_RATIO = 5;

const CHILD_PATH = require.resolve('../hl7v2/parse-child');

function readVersions() {
  const oursVersion = `${readCarelakeHl7v2Version()} (packages/hl7v2/dist)`;
  return new Map(
    PARSERS.map((parser) => [
      parser.name,
      parser.isOurs ? oursVersion : parser.packages.map(packageVersion).join(', '),
    ]),
  );
}

function describeSettings() {
  return [
    `@carelake/hl7v2 built from ${describeCarelakeHl7v2Source()}.`,
    'Calls timed: simple-hl7 `new Parser().parse(text)`, @medplum/core `Hl7Message.parse(text)`, ' +
      'hl7-standard `new HL7(text).transform()`, @carelake/hl7v2 `parseHl7Message(input)` on the ' +
      'string and on its UTF-8 bytes in a `Buffer`.',
    'Extracted values: MSH-10, PID-3.1 (PID-3 has two repetitions), PID-5.1, and OBX-5 and ' +
      'OBX-3.1 of the fifth OBX, each through the parser’s own accessors; @carelake/hl7v2 uses ' +
      '`message.get(path)` with `MSH-10`, `PID-3.1`, `PID-5.1`, `OBX[5]-5`, `OBX[5]-3.1`.',
    `Before timing, every parser parses all ${MESSAGE_COUNT.toLocaleString('en-US')} messages ` +
      'and its extracted values must equal the generated ones; @carelake/hl7v2 must also return ' +
      'no warnings. In the parse + extract loop, every message’s values are compared again.',
    'Each parser and run is a fresh child process: a warm-up of ' +
      `${WARMUP_MS} ms, then ${MEASURE_MS} ms timed, first for parse alone, then for parse + ` +
      'extract. Loops run whole passes over the messages. Messages per second is the number ' +
      'parsed divided by the elapsed time; loading the library and building the inputs are ' +
      'outside it.',
    'Runs are interleaved across parsers, so that a slow spell on the machine does not fall on ' +
      'one parser’s runs only.',
    'Peak RSS: the child’s `resourceUsage().maxRSS` at the end of its run, which includes ' +
      'Node.js itself, the library and the inputs; the median over the runs.',
  ];
}

function describeTarget(summaries, fastest) {
  const ours = summaries.find((summary) => summary.parser.name === 'carelake');
  const notes = [];
  for (const [metric, name] of [
    ['parseMessagesPerSecond', 'parse'],
    ['parseAndExtractMessagesPerSecond', 'parse + extract'],
  ]) {
    const ratio = ours[metric].median / fastest[metric].median;
    const verdict = ratio >= TARGET_RATIO ? 'meets' : 'misses';
    notes.push(
      `${name}: @carelake/hl7v2 on a string runs at ${formatRatio(ours[metric].median, fastest[metric].median)} ` +
        `the fastest peer (${fastest[metric].parser.label}), so it ${verdict} the target of ` +
        `${TARGET_RATIO}x.`,
    );
  }
  return notes;
}

async function measureAllRuns({ runs, onProgress }) {
  const roundsByParser = new Map(PARSERS.map((parser) => [parser.name, []]));
  for (let run = 1; run <= runs; run += 1) {
    for (const parser of PARSERS) {
      onProgress(`run ${run}/${runs}: ${parser.name}`);
      const round = await forkChild({
        childPath: CHILD_PATH,
        request: {
          modulePath: parser.modulePath,
          messageCount: MESSAGE_COUNT,
          seed: SEED,
          warmupMs: WARMUP_MS,
          measureMs: MEASURE_MS,
        },
        label: `parser ${parser.name}, run ${run}`,
      });
      roundsByParser.get(parser.name).push(round);
    }
  }
  return roundsByParser;
}

/**
 * Parses the same synthetic ORU^R01 messages with @carelake/hl7v2 and three
 * peer parsers, and returns messages per second for parsing alone and for
 * parsing then extracting five checked values, with ratios to the fastest
 * peer. Throws when a parser extracts a value other than the generated one.
 */
async function run({ runs = DEFAULT_RUNS, onProgress = () => {} }) {
  checkCarelakeHl7v2Built();
  const versions = readVersions();
  const messages = generateOruMessages({ count: MESSAGE_COUNT, seed: SEED });
  const averageBytes =
    messages.reduce((total, message) => total + Buffer.byteLength(message.text), 0) /
    messages.length;

  const roundsByParser = await measureAllRuns({ runs, onProgress });
  const summaries = PARSERS.map((parser) =>
    summarizeParser(parser, roundsByParser.get(parser.name)),
  );
  const fastest = findFastestPeers(summaries);

  return {
    input:
      `${MESSAGE_COUNT.toLocaleString('en-US')} distinct synthetic ORU^R01 messages ` +
      `(MSH, PID, PV1, OBR, 5 OBX; ${Math.round(averageBytes).toLocaleString('en-US')} bytes ` +
      `on average, CR terminators) from mulberry32 seed ${SEED}. Runs per parser: ${runs}.`,
    settings: describeSettings(),
    columns: COLUMNS,
    rows: formatRows(summaries, fastest, versions),
    notes: [
      'Ratios divide each parser’s median by the fastest peer’s median in the same column. ' +
        'Above 1 is faster.',
      ...describeTarget(summaries, fastest),
    ],
  };
}

/** Returns the chart panels of a results table of this bench, for the hl7v2 family chart. */
function charts(table) {
  const panels = [
    {
      title: 'messages per second',
      unit: 'messages/s',
      higherIsBetter: true,
      note: 'Ratios: to the fastest peer parser in the same run.',
      groups: [
        barsFrom(table, {
          groupLabel: 'parse',
          label: 'Parser',
          value: 'Parse, msgs/s (median)',
          ratio: 'Parse vs fastest peer',
        }),
        barsFrom(table, {
          groupLabel: 'parse + extract',
          label: 'Parser',
          value: 'Parse + extract, msgs/s (median)',
          ratio: 'Parse + extract vs fastest peer',
        }),
      ],
    },
  ];
  if (hasColumn(table, 'Peak RSS, MiB (median)')) {
    panels.push({
      title: 'peak RSS of each parser’s process',
      unit: 'MiB',
      higherIsBetter: false,
      groups: [barsFrom(table, { label: 'Parser', value: 'Peak RSS, MiB (median)' })],
    });
  }
  return panels;
}

/** Returns the target, the result and whether it was met, for the index of results. */
function assess(table) {
  const parse = numberIn(columnOf(table, 'Parse vs fastest peer')[0]);
  const extract = numberIn(columnOf(table, 'Parse + extract vs fastest peer')[0]);
  return {
    target: `${TARGET_RATIO}x the fastest peer (parse, and parse + extract, on a string)`,
    result: `${parse.toFixed(2)}x and ${extract.toFixed(2)}x`,
    met: parse >= TARGET_RATIO && extract >= TARGET_RATIO,
  };
}

module.exports = {
  name: 'hl7v2-parse',
  description:
    'Parses the same synthetic ORU^R01 messages with @carelake/hl7v2, simple-hl7, ' +
    '@medplum/core and hl7-standard, checks the values each extracts, and compares messages ' +
    'per second with the fastest peer.',
  run,
  charts,
  assess,
};
