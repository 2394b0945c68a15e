'use strict';

// One timed run of the peer in a process of its own: read the same NDJSON
// files with the same reader, then evaluate the same views' paths with the
// fhirpath package. Run with --expose-gc. Arguments: a JSON object
// { files, totalResources, batchResources, memoryFractions }.

const { performance } = require('node:perf_hooks');
const { distEntry } = require('../lib/carelake-dist');
const { readDefaultViewSources } = require('./default-views');
const { readEntryBatches } = require('./entry-batches');
const { GcTime } = require('./gc-time');
const { MemoryMarks } = require('./memory-marks');
const { compilePeerViews } = require('./peer-views');
const { isSampled, createSample } = require('./row-samples');

function evaluateBatch(viewsByType, batch, counts) {
  for (const entry of batch) {
    for (const view of viewsByType.get(entry.resource.resourceType) ?? []) {
      const rows = view.evaluate(entry.resource);
      counts.rowsByView[view.name] += rows.length;
      if (isSampled(entry)) counts.samples.push(createSample(view.name, entry, rows));
    }
  }
}

async function main() {
  const request = JSON.parse(process.argv[2]);

  const setupStartedAt = performance.now();
  const fhir = require(distEntry('fhir'));
  const viewsByType = compilePeerViews(readDefaultViewSources());
  const setupMs = performance.now() - setupStartedAt;

  const views = [...viewsByType.values()].flat();
  const stageMs = { parse: 0, views: 0 };
  const counts = {
    resourcesByType: {},
    rowsByView: Object.fromEntries(views.map((view) => [view.name, 0])),
    samples: [],
  };
  const memory = new MemoryMarks(request.totalResources, request.memoryFractions);
  let resourcesRead = 0;
  let markMs = 0;

  // The 0% mark, after setup, is taken before the clock starts.
  memory.update(0);
  const gcTime = new GcTime();
  gcTime.start();
  const startedAt = performance.now();
  for (const file of request.files) {
    const batches = readEntryBatches(file, { fhir, batchResources: request.batchResources });
    for (;;) {
      let stageStartedAt = performance.now();
      const { value: batch, done } = await batches.next();
      let now = performance.now();
      stageMs.parse += now - stageStartedAt;
      if (done) break;

      stageStartedAt = now;
      evaluateBatch(viewsByType, batch, counts);
      stageMs.views += performance.now() - stageStartedAt;

      resourcesRead += batch.length;
      counts.resourcesByType[file.resourceType] =
        (counts.resourcesByType[file.resourceType] ?? 0) + batch.length;
      markMs += memory.update(resourcesRead);
    }
  }
  const totalMs = performance.now() - startedAt - markMs;
  const gcMs = gcTime.stop();

  const result = {
    setupMs,
    totalMs,
    gcMs,
    stageMs,
    resourcesRead,
    ...counts,
    memoryMarks: memory.marks,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.send(result, () => process.disconnect());
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
