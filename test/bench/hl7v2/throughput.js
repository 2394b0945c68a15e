'use strict';

const { performance } = require('node:perf_hooks');
const { EXTRACTED_FIELDS } = require('./oru-messages');

/**
 * Compares extracted values with the generated ones and returns one line per
 * difference. Lines name the field and the lengths, never the values, as for
 * real messages.
 */
function findValueMismatches(values, expected) {
  const mismatches = [];
  for (const { key, path } of EXTRACTED_FIELDS) {
    const found = values[key];
    if (found === expected[key]) continue;
    const foundText = typeof found === 'string' ? `${found.length} characters` : String(found);
    mismatches.push(`${path}: expected ${expected[key].length} characters, found ${foundText}`);
  }
  return mismatches;
}

/**
 * Parses every input once and throws when a parser extracts a value that
 * differs from the generated one, or reports an issue on a well-formed message.
 */
function checkEveryMessage(parser, inputs, expected) {
  for (let i = 0; i < inputs.length; i += 1) {
    const parsed = parser.parse(inputs[i]);
    const problems = [
      ...(parser.findIssues ? parser.findIssues(parsed) : []),
      ...findValueMismatches(parser.extract(parsed), expected[i]),
    ];
    if (problems.length > 0) {
      throw new Error(
        `message ${i} (0-based) differs from the generated message:\n  ${problems.join('\n  ')}`,
      );
    }
  }
}

// Each loop runs whole passes over the inputs until `durationMs` has passed,
// so every message weighs the same, and checks the clock once per pass.

function timeParse(parser, inputs, durationMs) {
  let last;
  let messageCount = 0;
  const startedAt = performance.now();
  let elapsedMs;
  do {
    for (let i = 0; i < inputs.length; i += 1) {
      last = parser.parse(inputs[i]);
    }
    messageCount += inputs.length;
    elapsedMs = performance.now() - startedAt;
  } while (elapsedMs < durationMs);
  if (last === undefined) throw new Error('parse returned undefined instead of the parsed message');
  return { messageCount, elapsedMs };
}

function timeParseAndExtract(parser, inputs, expected, durationMs) {
  let messageCount = 0;
  const startedAt = performance.now();
  let elapsedMs;
  do {
    for (let i = 0; i < inputs.length; i += 1) {
      const values = parser.extract(parser.parse(inputs[i]));
      const expectedValues = expected[i];
      if (
        values.controlId !== expectedValues.controlId ||
        values.patientId !== expectedValues.patientId ||
        values.familyName !== expectedValues.familyName ||
        values.lastObservationValue !== expectedValues.lastObservationValue ||
        values.lastObservationCode !== expectedValues.lastObservationCode
      ) {
        const mismatches = findValueMismatches(values, expectedValues);
        throw new Error(
          `message ${i} (0-based) differs from the generated values in the timed loop:\n  ${mismatches.join('\n  ')}`,
        );
      }
    }
    messageCount += inputs.length;
    elapsedMs = performance.now() - startedAt;
  } while (elapsedMs < durationMs);
  return { messageCount, elapsedMs };
}

/**
 * Returns messages per second for parsing alone and for parsing then
 * extracting the checked values, each timed for `measureMs` after a warm-up
 * of `warmupMs` that lets the JIT compile the loop.
 */
function measureThroughput(parser, inputs, expected, { warmupMs, measureMs }) {
  timeParse(parser, inputs, warmupMs);
  const parse = timeParse(parser, inputs, measureMs);
  timeParseAndExtract(parser, inputs, expected, warmupMs);
  const parseAndExtract = timeParseAndExtract(parser, inputs, expected, measureMs);

  return {
    parseMessagesPerSecond: (parse.messageCount / parse.elapsedMs) * 1000,
    parseAndExtractMessagesPerSecond:
      (parseAndExtract.messageCount / parseAndExtract.elapsedMs) * 1000,
  };
}

module.exports = { checkEveryMessage, measureThroughput };
