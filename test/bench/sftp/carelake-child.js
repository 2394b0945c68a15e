'use strict';

// One measured `fetchAll` in a process of its own, so that its peak RSS belongs
// to one download only. The parent forks this file once per candidate, workload
// and run. Run with --expose-gc. Argument: a JSON object
// { server, listing, sink: { kind: 'folder' | 'object-store', root, prefix? },
//   rssFractions }.

const fs = require('node:fs');
const { performance } = require('node:perf_hooks');
const { distEntry } = require('../lib/carelake-dist');
const { createFolderSink, createObjectStoreSink } = require('./sinks');

function createSink({ kind, root, prefix }) {
  if (kind === 'folder') return createFolderSink(root);
  if (kind === 'object-store') {
    const { LocalObjectStore } = require(distEntry('storage'));
    return createObjectStoreSink(new LocalObjectStore({ root }), prefix);
  }
  throw new Error(`unknown sink kind ${kind}; expected folder or object-store`);
}

/**
 * Records the RSS when the bytes downloaded first reach each fraction of the
 * listed total. No garbage collection is forced, so the marks show the memory
 * the process uses while it downloads, garbage included.
 */
function createRssMarks(fractions) {
  const pending = [...fractions];
  const marks = [];
  return {
    marks,
    update(bytesDone, bytesTotal) {
      while (pending.length > 0 && bytesDone >= pending[0] * bytesTotal) {
        marks.push({ fraction: pending.shift(), bytesDone, rssBytes: process.memoryUsage.rss() });
      }
    },
  };
}

async function main() {
  const { server, listing, sink, rssFractions } = JSON.parse(process.argv[2]);

  // Loading the packages is a one-time cost per process, outside the timed fetch.
  const { connectSftp, fetchAll } = require(distEntry('sftp'));
  const storeSink = createSink(sink);
  const privateKey = fs.readFileSync(server.privateKeyPath, 'utf8');
  const rssMarks = createRssMarks(rssFractions);
  let listedMs;

  global.gc();
  const rssBeforeBytes = process.memoryUsage.rss();
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const source = await connectSftp({
    host: server.host,
    port: server.port,
    username: server.username,
    privateKey,
    hostKey: server.hostKeyFingerprint,
  });
  let summary;
  try {
    summary = await fetchAll(source, {
      listing,
      // The files are complete before the run starts, so the two listings
      // are taken back to back instead of 5 s apart.
      stability: { intervalMs: 0 },
      sink: storeSink,
      commit: () => undefined,
      onProgress: (progress) => {
        if (progress.kind === 'listed') listedMs = performance.now() - startedAt;
        if (progress.kind === 'bytes') rssMarks.update(progress.bytesDone, progress.bytesTotal);
      },
    });
  } finally {
    await source.close();
  }
  const wallMs = performance.now() - startedAt;
  // cpuUsage() counts every thread of the process (libuv's pool, the GC's helpers), in microseconds.
  const cpu = process.cpuUsage(cpuBefore);

  const result = {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    listedMs,
    downloaded: summary.downloaded.length,
    failed: summary.failed.length,
    failureReasons: summary.failed.slice(0, 5).map((failure) => failure.reason),
    bytes: summary.bytes,
    rssBeforeBytes,
    // resourceUsage().maxRSS is in kilobytes.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    rssMarks: rssMarks.marks,
  };
  process.send(result, () => process.disconnect());
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
