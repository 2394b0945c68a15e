'use strict';

// The test suite's stream run at 100,000 records. HL7 v2 messages, encrypted with an in-memory
// key, go through a FaultInjector that fails 10% of PutRecords entries and 20% of calls and
// throttles 20% of GetRecords calls. A worker reads them into raw.hl7v2_segments and
// clinical.patients, is stopped between two table commits of its third micro-batch, and is
// restarted. Every record must be in each table exactly once, and the replay
// must be recognised by its sequence range rather than by the dedupe column.

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PACKAGES_DIR = path.resolve(__dirname, '../../../packages');
const { loadConfig, parseTableName } = require(path.join(PACKAGES_DIR, 'core/dist'));
const pipelineDist = require(path.join(PACKAGES_DIR, 'pipeline/dist'));
const { FaultInjector } = require(path.join(PACKAGES_DIR, 'stream/dist'));
const { commitPrefix, totalRows } = require(path.join(PACKAGES_DIR, 'tables/dist'));

const RECORDS = 100_000;
const PATIENTS = 5000;
const SEGMENTS_PER_MESSAGE = 4;
const CRASH_MICRO_BATCH = 3;
const noWait = async () => undefined;

function numberedAdt(number) {
  return Buffer.from(
    [
      `MSH|^~\\&|SEND|FAC|RECV|RFAC|20260304050607||ADT^A08^ADT_A01|CTL-${number}|P|2.5.1`,
      'EVN|A08|20260304050607',
      `PID|1||MRN${number % PATIENTS}^^^HOSP^MR||SOAKPATIENT^ALEX||19800101|F`,
      `ZRC|${number}`,
    ].join('\r'),
    'utf8',
  );
}

/** Create a KeyProvider whose wrapping key lives in memory, like the test suite's. */
function memoryKeyProvider() {
  const wrappingKey = crypto.randomBytes(32);
  return {
    keyId: 'soak-memory-key',
    async wrapKey(dataKey) {
      const nonce = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', wrappingKey, nonce);
      return Buffer.concat([nonce, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    },
    async unwrapKey(wrapped) {
      const bytes = Buffer.from(wrapped);
      const decipher = crypto.createDecipheriv('aes-256-gcm', wrappingKey, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([
        decipher.update(bytes.subarray(12, bytes.length - 16)),
        decipher.final(),
      ]);
    },
  };
}

async function duplicatesSkipped(lake, table) {
  const { database, table: name } = parseTableName(table);
  let skipped = 0;
  for await (const object of lake.store.list({ prefix: commitPrefix(database, name) })) {
    skipped += JSON.parse(Buffer.from(await lake.store.get(object.key)).toString('utf8')).summary
      .rowsSkippedAsDuplicate;
  }
  return skipped;
}

async function run(log) {
  const failures = [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'carelake-soak-stream-'));
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
    const pipelinesDir = path.resolve(__dirname, '../../../pipelines');
    const definition = pipelineDist.pipelineSchema.parse({
      name: 'soak-stream',
      source: { type: 'kinesis', stream: 'soak-hl7', shards: 4, bufferSeconds: 0 },
      decode: { format: 'hl7v2' },
      outputs: ['raw.hl7v2_segments', 'clinical.patients'],
      batchRows: 50_000,
    });
    const pipeline = {
      ...definition,
      file: path.join(pipelinesDir, 'soak-stream.pipeline.yaml'),
      baseDir: pipelinesDir,
    };
    const datasets = pipelineDist.loadDatasets(path.join(pipelinesDir, 'datasets'));
    await endpoint.ensureStream('soak-hl7', 4);
    const keyProvider = memoryKeyProvider();
    const faults = new FaultInjector(endpoint.client, {
      seed: 7,
      putRecordsEntryFailureRate: 0.1,
      putRecordsCallFailureRate: 0.2,
      getRecordsThrottleRate: 0.2,
    });

    const publishStarted = Date.now();
    const publisher = new pipelineDist.StreamPublisher({
      setup: pipelineDist.streamPublishingSetup({ lake, pipeline }),
      client: faults.client,
      keyProvider,
      producer: { sleep: noWait },
    });
    const unsettled = new Set();
    for (let number = 0; number < RECORDS; number += 1) {
      const put = publisher.publish(numberedAdt(number), { name: 'generated', record: number });
      unsettled.add(put);
      put.finally(() => unsettled.delete(put));
      if (unsettled.size >= 10_000) await Promise.race(unsettled);
    }
    const published = await publisher.close();
    log(
      `published ${published.recordsAccepted} records in ${Date.now() - publishStarted} ms, ${published.entriesRetried} entries retried`,
    );

    let crashed = false;
    const consumer = { sleep: noWait, idleDelayMs: 10 };
    const first = new pipelineDist.StreamPipelineWorker({
      setup: await pipelineDist.prepareStreamPipeline({ lake, pipeline, datasets }),
      client: faults.client,
      keyProvider,
      consumer,
      onFaultPoint: (point, detail) => {
        if (
          crashed ||
          point !== 'after-table-commit' ||
          detail.microBatch !== CRASH_MICRO_BATCH ||
          detail.table !== 'clinical.patients'
        )
          return;
        crashed = true;
        throw new Error('stopped between table commits');
      },
    });
    await first.run({ untilCaughtUp: true }).then(
      () => failures.push('the first worker finished without reaching its fault point'),
      (error) => log(`first worker stopped: ${error.message}`),
    );

    const readStarted = Date.now();
    const second = new pipelineDist.StreamPipelineWorker({
      setup: await pipelineDist.prepareStreamPipeline({ lake, pipeline, datasets }),
      client: faults.client,
      keyProvider,
      consumer,
    });
    const summary = await second.run({ untilCaughtUp: true });
    log(
      `second worker: ${summary.recordsIn} records in ${summary.microBatches} micro-batches in ${Date.now() - readStarted} ms, ${summary.rowsAlreadyCommitted} replayed rows left out`,
    );
    log(`faults: ${JSON.stringify(faults.stats)}`);

    const segments = totalRows(await lake.tables.snapshot('raw.hl7v2_segments'));
    const patients = totalRows(await lake.tables.snapshot('clinical.patients'));
    if (published.recordsAccepted !== RECORDS)
      failures.push(`stream accepted ${published.recordsAccepted} of ${RECORDS} records`);
    if (segments !== RECORDS * SEGMENTS_PER_MESSAGE)
      failures.push(
        `raw.hl7v2_segments has ${segments} rows, expected ${RECORDS * SEGMENTS_PER_MESSAGE}`,
      );
    if (patients !== RECORDS)
      failures.push(`clinical.patients has ${patients} rows, expected ${RECORDS}`);
    if (summary.rowsAlreadyCommitted === 0)
      failures.push('the restarted worker left out no replayed rows');
    for (const table of ['raw.hl7v2_segments', 'clinical.patients']) {
      const skipped = await duplicatesSkipped(lake, table);
      if (skipped !== 0)
        failures.push(
          `${table}: ${skipped} rows were dropped by the dedupe column, so a replay reached it`,
        );
    }
    if (faults.stats.putRecordsEntriesFailed === 0 || faults.stats.getRecordsThrottled === 0)
      failures.push('the fault injector injected no faults');
  } finally {
    await endpoint.close();
    await lake.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  return failures;
}

module.exports = {
  name: 'stream-100k',
  description: `${RECORDS.toLocaleString('en-US')} HL7 v2 records through a faulty stream into tables, with a worker stopped between commits and restarted`,
  run,
};
