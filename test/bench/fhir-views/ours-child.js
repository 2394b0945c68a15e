'use strict';

// One timed run of carelake's FHIR path in a process of its own. It reads the
// NDJSON files with @carelake/fhir, checks each resource's conformance and
// evaluates every default view of its type. Then @carelake/tables writes the
// view rows to Parquet with DuckDB on one thread. Run with --expose-gc.
// Arguments: a JSON object
// { files, parquetDir, totalResources, batchResources, flushRows, memoryFractions }.

const { performance } = require('node:perf_hooks');
const { distEntry } = require('../lib/carelake-dist');
const { readDefaultViewSources } = require('./default-views');
const { readEntryBatches } = require('./entry-batches');
const { GcTime } = require('./gc-time');
const { MemoryMarks } = require('./memory-marks');
const { isSampled, createSample } = require('./row-samples');
const { ViewTableWriter } = require('./view-table-writer');

/**
 * Loads the packages, compiles the views, loads the R4 definitions and opens
 * DuckDB: the work done once per run, before the clock starts.
 */
async function setUp(request) {
  const startedAt = performance.now();
  const fhir = require(distEntry('fhir'));
  const tables = require(distEntry('tables'));
  const viewSet = fhir.compileFhirViews(readDefaultViewSources());
  const checker = fhir.createConformanceChecker();
  const duckDb = await tables.openDuckDb({ threads: 1 });
  const writer = new ViewTableWriter({
    tables: viewSet.tables,
    connection: duckDb.connection,
    writeParquetFile: tables.writeParquetFile,
    outputDir: request.parquetDir,
    flushRows: request.flushRows,
  });
  const close = () => tables.closeDuckDb(duckDb);
  return { fhir, viewSet, checker, writer, close, setupMs: performance.now() - startedAt };
}

/**
 * Checks every resource of a batch and returns the number of warnings. Throws
 * on the first resource with an error, naming its line and the issue's code
 * and element path but no value.
 */
function checkBatch(checker, batch, sourceFile) {
  let warningCount = 0;
  for (const entry of batch) {
    const issues = checker.check(entry.resource);
    if (issues.length === 0) continue;
    const error = issues.find((issue) => issue.severity === 'error');
    if (error !== undefined) {
      throw new Error(
        `${sourceFile} line ${entry.position + 1} fails the conformance check: ` +
          `${error.code} at ${error.path}; the generated resources must all conform`,
      );
    }
    warningCount += issues.length;
  }
  return warningCount;
}

function evaluateBatch(viewSet, batch, counts) {
  const evaluated = [];
  for (const entry of batch) {
    for (const table of viewSet.tablesOf(entry.resource.resourceType)) {
      const rows = table.view.evaluate(entry.resource);
      evaluated.push({ table: table.table, rows, entry });
      counts.rowsByView[table.view.name] += rows.length;
      if (isSampled(entry)) counts.samples.push(createSample(table.view.name, entry, rows));
    }
  }
  return evaluated;
}

/**
 * Runs every batch of every file through the four stages, adding each
 * stage's wall time to `stageMs`, and takes the memory marks between batches.
 */
async function runStages({ fhir, viewSet, checker, writer }, request, measurements) {
  const { stageMs, counts, memory } = measurements;
  let resourcesRead = 0;
  for (const file of request.files) {
    const sourceFile = `${file.resourceType}.ndjson`;
    const batches = readEntryBatches(file, { fhir, batchResources: request.batchResources });
    for (;;) {
      let stageStartedAt = performance.now();
      const { value: batch, done } = await batches.next();
      let now = performance.now();
      stageMs.parse += now - stageStartedAt;
      if (done) break;

      stageStartedAt = now;
      counts.conformanceWarnings += checkBatch(checker, batch, sourceFile);
      now = performance.now();
      stageMs.check += now - stageStartedAt;

      stageStartedAt = now;
      const evaluated = evaluateBatch(viewSet, batch, counts);
      now = performance.now();
      stageMs.views += now - stageStartedAt;

      stageStartedAt = now;
      for (const { table, rows, entry } of evaluated) writer.add(table, rows, entry, sourceFile);
      await writer.flushIfFull();
      stageMs.write += performance.now() - stageStartedAt;

      resourcesRead += batch.length;
      counts.resourcesByType[file.resourceType] =
        (counts.resourcesByType[file.resourceType] ?? 0) + batch.length;
      measurements.markMs += memory.update(resourcesRead, { bufferedRows: writer.bufferedRows });
    }
  }
  const finalFlushStartedAt = performance.now();
  await writer.flush();
  stageMs.write += performance.now() - finalFlushStartedAt;
  return resourcesRead;
}

async function main() {
  const request = JSON.parse(process.argv[2]);
  const context = await setUp(request);
  const measurements = {
    stageMs: { parse: 0, check: 0, views: 0, write: 0 },
    counts: {
      resourcesByType: {},
      rowsByView: Object.fromEntries(context.viewSet.tables.map((table) => [table.view.name, 0])),
      conformanceWarnings: 0,
      samples: [],
    },
    memory: new MemoryMarks(request.totalResources, request.memoryFractions),
    markMs: 0,
  };

  // The 0% mark, after setup, is taken before the clock starts.
  measurements.memory.update(0, { bufferedRows: 0 });
  const gcTime = new GcTime();
  gcTime.start();
  const startedAt = performance.now();
  // On the clock of CPU profiles, so that a profile can leave out the setup.
  const clockStartedAtMicros = Number(process.hrtime.bigint() / 1000n);
  let resourcesRead;
  try {
    resourcesRead = await runStages(context, request, measurements);
  } finally {
    context.close();
  }
  const totalMs = performance.now() - startedAt - measurements.markMs;
  const gcMs = gcTime.stop();

  const result = {
    setupMs: context.setupMs,
    clockStartedAtMicros,
    totalMs,
    gcMs,
    stageMs: measurements.stageMs,
    resourcesRead,
    ...measurements.counts,
    parquetFileCount: context.writer.fileCount,
    memoryMarks: measurements.memory.marks,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.send(result, () => process.disconnect());
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
