'use strict';

const USAGE = `Usage: npm run bench [-- [BENCH...] [--rows N] [--runs N] [--resources N] [--messages N] [--mib N] [--files N] [--charts]]
       node test/bench/run.js [BENCH...] [--rows N] [--runs N] [--resources N] [--messages N] [--mib N] [--files N] [--charts]

Runs every benchmark in test/bench/benches, or only the ones named.

  --rows N        input rows per run (each benchmark has its own default)
  --runs N        measured runs per candidate; the median is reported
  --resources N   generated FHIR resources per run (fhir-views, scale; default 1,000,000)
  --messages N    generated HL7 v2 messages (scale; default 1,000,000)
  --mib N         size of the large file in MiB (sftp; default 1024)
  --files N       number of small files (sftp; default 10,000)
  --charts        only redraw the charts and the index from the pages in docs/benchmarks
  --help          print this help

After the benches run, failed or not, the runner redraws docs/benchmarks/charts/*.svg and
docs/benchmarks/README.md from the results pages.`;

const INTEGER_FLAGS = new Set(['rows', 'runs', 'resources', 'messages', 'mib', 'files']);

class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

function parsePositiveInteger(flag, text) {
  if (text === undefined || !/^[1-9][0-9_]*$/.test(text)) {
    throw new UsageError(`--${flag} expects a positive integer, found ${JSON.stringify(text)}`);
  }
  return Number(text.replaceAll('_', ''));
}

/**
 * Parses the runner's command line into bench names and options. Accepts
 * `--flag N` and `--flag=N`, and `_` as a digit separator (`1_000_000`).
 */
function parseArgs(argv) {
  const names = [];
  const options = {};
  let help = false;
  let chartsOnly = false;

  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--charts') {
      chartsOnly = true;
      continue;
    }
    if (!arg.startsWith('-')) {
      names.push(arg);
      continue;
    }

    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match === null || !INTEGER_FLAGS.has(match[1])) {
      throw new UsageError(
        `unknown option ${arg}; valid options: --rows, --runs, --resources, --messages, --mib, --files, --charts, --help`,
      );
    }
    const flag = match[1];
    const text = match[2] !== undefined ? match[2] : argv[++i];
    options[flag] = parsePositiveInteger(flag, text);
  }
  return { names, options, help, chartsOnly };
}

module.exports = { USAGE, UsageError, parseArgs };
