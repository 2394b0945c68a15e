'use strict';

// Runs one stream-throughput scenario in its own process, so that its peak RSS is its own:
// kinesalite on 127.0.0.1, StreamPublisher, StreamPipelineWorker and a local lake in a temporary
// folder. Sends the measurements to the parent over IPC.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { distEntry } = require('../lib/carelake-dist');
const { generateMessages } = require('./records');

const { loadConfig } = require(distEntry('core'));
const pipelineDist = require(distEntry('pipeline'));
const { totalRows } = require(distEntry('tables'));
// The SDK copy that the stream package loads, so that `instanceof` matches its commands.
const { PutRecordsCommand } = require(
  require.resolve('@aws-sdk/client-kinesis', { paths: [path.dirname(distEntry('stream'))] }),
);

const RSS_SAMPLE_INTERVAL_MS = 100;
/** Records published and not settled before the feeder waits: enough to keep full batches coming. */
const MAX_UNSETTLED = 20_000;

/** Wraps a client and records the entries and bytes (data and partition keys) of each PutRecords call. */
function countingClient(client, calls) {
  return {
    send(command, ...rest) {
      if (command instanceof PutRecordsCommand) {
        const entries = command.input.Records ?? [];
        const bytes = entries.reduce(
          (sum, entry) => sum + entry.Data.length + Buffer.byteLength(entry.PartitionKey, 'utf8'),
          0,
        );
        calls.push({ entries: entries.length, bytes });
      }
      return client.send(command, ...rest);
    },
  };
}

async function waitUntil(condition) {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function runScenario({ records, patients, seed, aggregation, shards, partitionKeys }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'carelake-bench-stream-'));
  let peakRssBytes = process.memoryUsage.rss();
  const sampler = setInterval(
    () => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss())),
    RSS_SAMPLE_INTERVAL_MS,
  );
  const config = loadConfig({
    cwd: root,
    env: {
      CARELAKE_LAKE_ROOT: root,
      CARELAKE_QUERY_THREADS: '1',
      CARELAKE_QUERY_MEMORY_LIMIT: '512MB',
    },
  });
  const lake = await pipelineDist.openLocalLake(config);
  const endpoint = await pipelineDist.openLakeStreamEndpoint(root);
  try {
    const definition = pipelineDist.pipelineSchema.parse({
      name: 'bench-stream',
      source: {
        type: 'kinesis',
        stream: 'bench-hl7',
        shards,
        aggregation,
        bufferMiB: 5,
        bufferSeconds: 2,
        ...(partitionKeys ? { partitionKeys } : {}),
      },
      decode: { format: 'hl7v2' },
      outputs: ['raw.hl7v2_segments', 'clinical.patients'],
    });
    const pipelinesDir = path.resolve(__dirname, '../../../pipelines');
    const pipeline = {
      ...definition,
      file: path.join(pipelinesDir, 'bench-stream.pipeline.yaml'),
      baseDir: pipelinesDir,
    };
    const datasets = pipelineDist.loadDatasets(path.join(pipelinesDir, 'datasets'));
    await endpoint.ensureStream('bench-hl7', shards);

    const calls = [];
    const publisher = new pipelineDist.StreamPublisher({
      setup: pipelineDist.streamPublishingSetup({ lake, pipeline }),
      client: countingClient(endpoint.client, calls),
      producer: { maxBufferedRecords: MAX_UNSETTLED },
    });
    // Resident set when the committed records first reach each tenth of the input, to show whether memory grows with it.
    const rssAtTenthsBytes = [];
    const worker = new pipelineDist.StreamPipelineWorker({
      setup: await pipelineDist.prepareStreamPipeline({ lake, pipeline, datasets }),
      client: endpoint.client,
      consumer: { idleDelayMs: 50 },
      onMicroBatch: (counts) => {
        while (
          rssAtTenthsBytes.length < 10 &&
          counts.recordsIn >= ((rssAtTenthsBytes.length + 1) * records) / 10
        ) {
          rssAtTenthsBytes.push(process.memoryUsage.rss());
        }
      },
    });

    const started = performance.now();
    const running = worker.run();
    let segments = 0;
    let dataBytes = 0;
    const unsettled = new Set();
    for (const message of generateMessages({ count: records, patients, seed })) {
      segments += message.segments;
      dataBytes += message.data.length;
      const put = publisher.publish(message.data, { name: 'generated' });
      unsettled.add(put);
      put.finally(() => unsettled.delete(put));
      if (unsettled.size >= MAX_UNSETTLED) await Promise.race(unsettled);
    }
    const producerStats = await publisher.close();
    const publishMs = performance.now() - started;
    await waitUntil(
      async () => totalRows(await lake.tables.snapshot('clinical.patients')) >= records,
    );
    await worker.stop();
    const summary = await running;
    const elapsedMs = performance.now() - started;

    const patientRows = totalRows(await lake.tables.snapshot('clinical.patients'));
    const segmentRows = totalRows(await lake.tables.snapshot('raw.hl7v2_segments'));
    if (
      patientRows !== records ||
      segmentRows !== segments ||
      producerStats.recordsAccepted !== records
    ) {
      throw new Error(
        `rows do not match the input: clinical.patients ${patientRows} of ${records}, raw.hl7v2_segments ${segmentRows} of ${segments}, accepted ${producerStats.recordsAccepted}`,
      );
    }
    return {
      records,
      dataBytes,
      publishMs,
      elapsedMs,
      peakRssBytes,
      rssAtTenthsBytes,
      calls,
      microBatches: summary.microBatches,
    };
  } finally {
    clearInterval(sampler);
    await endpoint.close();
    await lake.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

runScenario(JSON.parse(process.argv[2])).then(
  (result) => process.send(result, () => process.exit(0)),
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
