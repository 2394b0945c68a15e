#!/usr/bin/env node
'use strict';

// Benchmark runner: `npm run bench` runs every module in benches/, and
// `npm run bench -- NAME --rows N --runs N` runs the named ones. Each bench
// exports { name, description, run(options), charts(table), assess(table) }.
// Its run resolves with { input, settings, columns, rows, notes }, which this
// runner prints and writes to docs/benchmarks/<name>.md. Then it redraws the
// family charts and the index from every page (lib/charts-and-index.js).

const fs = require('node:fs');
const path = require('node:path');
const { USAGE, UsageError, parseArgs } = require('./lib/args');
const { describeMachine, describeLoadAverage } = require('./lib/machine');
const { textTable, renderResultsPage } = require('./lib/report');
const { writeChartsAndIndex } = require('./lib/charts-and-index');

const REPO_ROOT = path.resolve(__dirname, '../..');
const BENCHES_DIR = path.join(__dirname, 'benches');
const RESULTS_DIR = path.join(REPO_ROOT, 'docs', 'benchmarks');

function loadBenches() {
  const files = fs
    .readdirSync(BENCHES_DIR)
    .filter((file) => file.endsWith('.js'))
    .sort();
  return files.map((file) => {
    const bench = require(path.join(BENCHES_DIR, file));
    const expectedName = path.basename(file, '.js');
    const functions = [bench.run, bench.charts, bench.assess];
    if (bench.name !== expectedName || functions.some((value) => typeof value !== 'function')) {
      throw new Error(
        `benches/${file} must export { name: '${expectedName}', description, run(options), ` +
          'charts(table), assess(table) }',
      );
    }
    return bench;
  });
}

function selectBenches(benches, names) {
  if (names.length === 0) {
    return benches;
  }
  const known = new Map(benches.map((bench) => [bench.name, bench]));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown bench ${unknown.join(', ')}; available: ${[...known.keys()].join(', ')}`,
    );
  }
  return names.map((name) => known.get(name));
}

function shellQuote(arg) {
  return /^[\w./=:-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

// The command that reproduces this run, in the form it was started in.
function describeCommand(argv) {
  const args = argv.map(shellQuote).join(' ');
  if (process.env.npm_lifecycle_event === 'bench') {
    return args === '' ? 'npm run bench' : `npm run bench -- ${args}`;
  }
  return `node test/bench/run.js ${args}`.trimEnd();
}

async function runBench(bench, options, command) {
  const onProgress = (message) => process.stderr.write(`[${bench.name}] ${message}\n`);
  const date = new Date().toISOString();
  const loadAverageAtStart = describeLoadAverage();
  const result = await bench.run({ ...options, onProgress });
  const loadAverage = { atStart: loadAverageAtStart, atEnd: describeLoadAverage() };

  process.stdout.write(`\n${bench.name}: ${result.input}\n\n`);
  process.stdout.write(`${textTable(result.columns, result.rows)}\n\n`);

  const page = renderResultsPage({
    bench,
    result,
    machine: describeMachine(),
    loadAverage,
    command,
    date,
  });
  const pagePath = path.join(RESULTS_DIR, `${bench.name}.md`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(pagePath, page);
  process.stdout.write(`wrote ${path.relative(REPO_ROOT, pagePath)}\n`);
}

async function main() {
  const argv = process.argv.slice(2);
  let benches;
  let selected;
  let options;
  try {
    const parsed = parseArgs(argv);
    if (parsed.help) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    options = parsed.options;
    benches = loadBenches();
    selected = parsed.chartsOnly ? [] : selectBenches(benches, parsed.names);
  } catch (error) {
    if (!(error instanceof UsageError)) {
      throw error;
    }
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }

  const command = describeCommand(argv);
  const failures = [];
  for (const bench of selected) {
    try {
      await runBench(bench, options, command);
    } catch (error) {
      // The page of a failed bench is left as it was, so it never shows
      // numbers from a run whose output did not verify. The next bench runs.
      process.stderr.write(`bench ${bench.name} failed: ${error.message}\n`);
      failures.push({ name: bench.name, reason: error.message.split('\n')[0] });
    }
  }

  try {
    writeChartsAndIndex({ benches, resultsDir: RESULTS_DIR });
    process.stdout.write('wrote docs/benchmarks/README.md and docs/benchmarks/charts\n');
  } catch (error) {
    failures.push({ name: 'charts and index', reason: error.message });
  }

  if (selected.length > 0) {
    const failedBenches = failures.filter((failure) => failure.name !== 'charts and index');
    const passed = selected.length - failedBenches.length;
    process.stdout.write(`\n${passed} of ${selected.length} benches ran and wrote their pages.\n`);
  }
  if (failures.length > 0) {
    process.stdout.write('Failed:\n');
    for (const failure of failures) process.stdout.write(`  ${failure.name}: ${failure.reason}\n`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
