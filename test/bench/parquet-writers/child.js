'use strict';

// One measured write in a process of its own: the parent forks this file once
// per candidate and run, so that the peak RSS belongs to one writer only.
// Run with --expose-gc. Arguments: a JSON object
// { modulePath, outputPath, rowCount, batchRows, seed }.

const fs = require('node:fs');
const { performance } = require('node:perf_hooks');
const { generateBatches } = require('./input');

async function main() {
  const { modulePath, outputPath, rowCount, batchRows, seed } = JSON.parse(process.argv[2]);

  // Loading the library (native binding, WebAssembly compile) is a one-time
  // cost per process, so it stays outside the timed write.
  const writer = require(modulePath);
  const batches = generateBatches({ rowCount, batchRows, seed });

  global.gc();
  const rssBeforeBytes = process.memoryUsage().rss;
  // resourceUsage().maxRSS is in kilobytes.
  const peakRssBeforeBytes = process.resourceUsage().maxRSS * 1024;

  const startedAt = performance.now();
  await writer.write(batches, outputPath);
  const wallMs = performance.now() - startedAt;

  const peakRssAfterBytes = process.resourceUsage().maxRSS * 1024;
  const result = {
    codec: writer.codec,
    wallMs,
    rssBeforeBytes,
    peakRssBeforeBytes,
    peakRssAfterBytes,
    fileBytes: fs.statSync(outputPath).size,
  };
  process.send(result, () => process.disconnect());
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
