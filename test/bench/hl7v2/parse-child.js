'use strict';

// One measured round for one parser in a process of its own: the parent
// forks this file once per parser and run, so that no parser's JIT state,
// heap or loaded library affects another's. Arguments: a JSON object
// { modulePath, messageCount, seed, warmupMs, measureMs }.

const { generateOruMessages } = require('./oru-messages');
const { checkEveryMessage, measureThroughput } = require('./throughput');

function main() {
  const { modulePath, messageCount, seed, warmupMs, measureMs } = JSON.parse(process.argv[2]);

  // Loading the library and building the inputs stay outside the timed loops.
  const parser = require(modulePath);
  const messages = generateOruMessages({ count: messageCount, seed });
  const prepare = parser.prepare ?? ((text) => text);
  const inputs = messages.map((message) => prepare(message.text));
  const expected = messages.map((message) => message.expected);

  checkEveryMessage(parser, inputs, expected);
  const result = measureThroughput(parser, inputs, expected, { warmupMs, measureMs });
  // maxRSS is in KiB; it includes Node.js itself, the library and the 1,000 inputs.
  result.peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.send(result, () => process.disconnect());
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
}
