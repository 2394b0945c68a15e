'use strict';

// Long fuzzing of the HL7 v2 parser: the seeded properties of the test suite with many more
// runs, over three seeds, so a failure prints a seed that replays it.

const path = require('node:path');

const { runHl7Fuzz } = require(path.resolve(__dirname, '../../../packages/hl7v2/dist/soak/fuzz.soak.js'));

const SEEDS = [20261204, 7, 424242];
const RUNS_PER_SEED = 10_000;

module.exports = {
  name: 'hl7v2-fuzz',
  description: `HL7 v2 round-trip and damaged-input properties, ${RUNS_PER_SEED} runs for each of ${SEEDS.length} seeds`,
  async run(log) {
    const failures = [];
    for (const seed of SEEDS) {
      try {
        const report = await runHl7Fuzz({ seed, runs: RUNS_PER_SEED });
        log(`seed ${seed}: ${report.properties.length} properties x ${report.runs} runs passed in ${report.durationMs} ms`);
      } catch (error) {
        failures.push(`seed ${seed}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
    return failures;
  },
};
