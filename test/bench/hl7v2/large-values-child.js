'use strict';

// Times @carelake/hl7v2 on messages with a large OBX-5, in a process of its
// own started with --expose-gc, so that garbage from one parse is collected
// before the next is timed. Arguments: a JSON object { sizes, runs, seed },
// where each size is { label, base64Length }.

const { performance } = require('node:perf_hooks');
const { CARELAKE_HL7V2_ENTRY } = require('./carelake-dist');
const { generateBase64Document, buildDocumentMessage } = require('./document-messages');

const { parseHl7Message } = require(CARELAKE_HL7V2_ENTRY);

const WARMUP_PARSES = 3;
const INPUT_KINDS = [
  { name: 'string', prepare: (text) => text },
  { name: 'UTF-8 bytes', prepare: (text) => Buffer.from(text, 'utf8') },
];

function buildCases(sizes, seed) {
  const messages = sizes.map((size) => ({
    size,
    base64: generateBase64Document({ base64Length: size.base64Length, seed }),
  }));
  return INPUT_KINDS.flatMap((kind) =>
    messages.map(({ size, base64 }) => {
      const text = buildDocumentMessage(base64);
      return {
        sizeLabel: size.label,
        inputKind: kind.name,
        base64,
        input: kind.prepare(text),
        messageBytes: Buffer.byteLength(text),
        timesMs: [],
        scanTimesMs: [],
      };
    }),
  );
}

// The closest baseline without a parser: indexOf on the string or the bytes to the fifth field
// of the OBX segment, then its fifth component, decoded from UTF-8 when the input is bytes. It
// knows the message's layout, unescapes nothing and checks nothing.
function scanForValue(input) {
  const isBytes = Buffer.isBuffer(input);
  const find = (needle, from) => input.indexOf(isBytes ? needle.charCodeAt(0) : needle, from);
  let at = input.indexOf(isBytes ? Buffer.from('\rOBX|') : '\rOBX|') + 1;
  for (let field = 0; field < 5; field += 1) at = find('|', at) + 1;
  for (let component = 1; component < 5; component += 1) at = find('^', at) + 1;
  const ends = ['^', '|', '\r'].map((delimiter) => find(delimiter, at)).filter((i) => i !== -1);
  const end = Math.min(input.length, ...ends);
  return isBytes ? input.toString('utf8', at, end) : input.slice(at, end);
}

function timeScanOnce(testCase) {
  global.gc();
  const startedAt = performance.now();
  const value = scanForValue(testCase.input);
  const elapsedMs = performance.now() - startedAt;
  checkParsed(testCase, { value, warnings: [] });
  return elapsedMs;
}

function parseAndRead(input) {
  const { message, warnings } = parseHl7Message(input);
  return { value: message.get('OBX-5.5'), warnings };
}

// The comparison runs after the clock stops: comparing 4 MiB strings is not
// part of parsing.
function checkParsed(testCase, { value, warnings }) {
  const where = `${testCase.sizeLabel}, ${testCase.inputKind}`;
  if (warnings.length > 0) {
    throw new Error(`${where}: ${warnings.length} warning(s), first: ${warnings[0].code}`);
  }
  if (value !== testCase.base64) {
    const found = typeof value === 'string' ? `${value.length} characters` : String(value);
    throw new Error(
      `${where}: OBX-5.5 differs from the generated Base64 text: expected ` +
        `${testCase.base64.length} characters, found ${found}`,
    );
  }
}

function timeOnce(testCase) {
  global.gc();
  const startedAt = performance.now();
  const parsed = parseAndRead(testCase.input);
  const elapsedMs = performance.now() - startedAt;
  checkParsed(testCase, parsed);
  return elapsedMs;
}

function main() {
  const { sizes, runs, seed } = JSON.parse(process.argv[2]);
  const cases = buildCases(sizes, seed);

  for (const testCase of cases) {
    for (let i = 0; i < WARMUP_PARSES; i += 1) {
      timeOnce(testCase);
      timeScanOnce(testCase);
    }
  }
  // Runs are interleaved across cases, so that a slow spell on the machine
  // does not fall on one size only.
  for (let run = 0; run < runs; run += 1) {
    for (const testCase of cases) {
      testCase.timesMs.push(timeOnce(testCase));
      testCase.scanTimesMs.push(timeScanOnce(testCase));
    }
  }

  const results = cases.map(
    ({ sizeLabel, inputKind, messageBytes, base64, timesMs, scanTimesMs }) => ({
      sizeLabel,
      inputKind,
      messageBytes,
      valueLength: base64.length,
      timesMs,
      scanTimesMs,
    }),
  );
  // maxRSS is in KiB; it covers both candidates and every input, which this one process holds.
  process.send({ cases: results, peakRssMiB: process.resourceUsage().maxRSS / 1024 }, () =>
    process.disconnect(),
  );
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
}
