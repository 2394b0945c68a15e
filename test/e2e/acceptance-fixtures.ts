import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig, ManualClock, RUNNER, type Row } from '@carelake/core';
import { splitHl7Stream } from '@carelake/hl7v2';
import { parseLifecyclePolicyFile, readLegalHolds, runLocalLifecycle } from '@carelake/lifecycle';
import { MllpClient } from '@carelake/mllp';
import {
  loadDatasets,
  loadPipelineFile,
  loadVocabSources,
  MllpStreamPublisher,
  openLakeStreamEndpoint,
  openLocalLake,
  prepareStreamPipeline,
  refreshVocabulary,
  runDeidProfile,
  runPipeline,
  StreamPipelineWorker,
  StreamPublisher,
  streamPublishingSetup,
  type Lake,
  type LoadedPipeline,
  type RunnerFaultPoint,
  type RunSummary,
  type StreamFaultPoint,
  type StreamRunSummary,
} from '@carelake/pipeline';
import { closeDuckDb, openDuckDb, snapshotSourceSql, type WriterFaultPoint } from '@carelake/tables';
import { REPO_ROOT, SHARED_TESTDATA } from './helpers';

export const ACCEPTANCE_PIPELINES = join(REPO_ROOT, 'pipelines', 'acceptance');
export const HL7V2_SAMPLES = join(SHARED_TESTDATA, 'hl7v2');
export const SYNTHEA_SAMPLES = join(SHARED_TESTDATA, 'fhir', 'synthea');
export const SAFE_HARBOR_PROFILE = join(REPO_ROOT, 'pipelines', 'policies', 'research.deid.yaml');
/** The environment variable that the SFTP pipeline's `privateKey: env:...` reference names. */
export const SFTP_KEY_VARIABLE = 'CARELAKE_ACCEPTANCE_SFTP_KEY';
/** Every run of the acceptance lake sees this time, so that ingest times and partition ages repeat. */
export const ACCEPTANCE_NOW = '2026-03-04T05:06:07.000Z';

/** Every fault point a run passes: the runner's, the table store's and the stream worker's. */
export type AcceptanceFaultPoint = RunnerFaultPoint | WriterFaultPoint | StreamFaultPoint;

/** The loopback SFTP server and the folder on it that holds the copy of the HL7 v2 samples. */
export interface SftpTarget {
  port: number;
  username: string;
  hostKeyFingerprint: string;
  /** Absolute folder on the server. */
  path: string;
}

export interface AcceptanceInputs {
  sftp: SftpTarget;
  /** Folder of the NDJSON files made from the Synthea bundles by `writeNdjsonFromBundles`. */
  ndjsonFolder: string;
}

export interface AcceptanceRun {
  vocabularies: string[];
  hl7v2Sftp: RunSummary;
  /** Messages sent over MLLP, and the ACK codes they got: application ACKs, else commit ACKs. */
  mllp: { messagesSent: number; ackCodes: Record<string, number> };
  hl7v2Stream: StreamRunSummary;
  fhirBundles: RunSummary;
  fhirNdjson: RunSummary;
  lifecycle: { transitions: number; expired: number };
  deid: { tables: Record<string, number> };
  /** Wall time of each step and of the whole run. */
  durationsMs: Record<string, number>;
}

/** The three synthetic vocabulary releases the repository ships, with the versions LOINC's files lack. */
const VOCABULARY_RELEASES = [
  { system: 'cvx', release: {} },
  { system: 'loinc', release: { version: '2.80', effective: '2025-02-24' } },
  { system: 'snomedct', release: {} },
] as const;

const datasets = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));

/** Open the acceptance lake in `root`, its clock fixed, calling `onTableFaultPoint` at table commits. */
export async function openAcceptanceLake(
  root: string,
  onTableFaultPoint?: (point: WriterFaultPoint, table: string) => void | Promise<void>,
): Promise<Lake> {
  const config = loadConfig({ cwd: REPO_ROOT, env: { CARELAKE_LAKE_ROOT: root } });
  return openLocalLake(
    { ...config, query: { threads: 1, memoryLimit: '512MB' } },
    { clock: new ManualClock(ACCEPTANCE_NOW), ...(onTableFaultPoint ? { onTableFaultPoint } : {}) },
  );
}

/** Load one acceptance pipeline file. */
export function acceptancePipeline(name: string): LoadedPipeline {
  return loadPipelineFile(join(ACCEPTANCE_PIPELINES, `${name}.pipeline.yaml`));
}

/** Point the SFTP pipeline at the loopback server, whose port, user and host key are its own. */
function sftpPipeline(target: SftpTarget): LoadedPipeline {
  const pipeline = acceptancePipeline('hl7v2-sftp');
  if (pipeline.source.type !== 'sftp') throw new Error('hl7v2-sftp.pipeline.yaml must have an sftp source');
  const { knownHosts: _file, ...source } = pipeline.source;
  return {
    ...pipeline,
    source: { ...source, port: target.port, username: target.username, path: target.path, hostKey: target.hostKeyFingerprint },
  };
}

/** Point a directory pipeline at an absolute folder. */
function directoryPipeline(name: string, folder: string): LoadedPipeline {
  const pipeline = acceptancePipeline(name);
  if (pipeline.source.type !== 'directory') throw new Error(`${name}.pipeline.yaml must have a directory source`);
  return { ...pipeline, source: { ...pipeline.source, path: folder } };
}

interface BundleEntry {
  fullUrl?: string;
  resource?: { resourceType: string; id?: string };
}

/**
 * Write the resources of the Synthea bundles as a FHIR bulk data export would: one
 * `<type>.ndjson` per resource type, one resource a line, in bundle and entry order. Each
 * `urn:uuid:` reference to an entry of its bundle becomes that entry's `Type/id`, which is also
 * what the bundle reader stores.
 * @returns The number of resources written.
 */
export async function writeNdjsonFromBundles(folder: string): Promise<number> {
  const byType = new Map<string, string[]>();
  for (const name of (await readdir(SYNTHEA_SAMPLES)).filter((file) => file.endsWith('.json')).sort()) {
    const bundle = JSON.parse(await readFile(join(SYNTHEA_SAMPLES, name), 'utf8')) as { entry?: BundleEntry[] };
    const targets = new Map<string, string>();
    for (const entry of bundle.entry ?? []) {
      if (entry.fullUrl && entry.resource?.id) targets.set(entry.fullUrl, `${entry.resource.resourceType}/${entry.resource.id}`);
    }
    for (const entry of bundle.entry ?? []) {
      if (!entry.resource) continue;
      const lines = byType.get(entry.resource.resourceType) ?? [];
      lines.push(JSON.stringify(entry.resource, (key, value: unknown) => (key === 'reference' && typeof value === 'string' ? (targets.get(value) ?? value) : value)));
      byType.set(entry.resource.resourceType, lines);
    }
  }
  await mkdir(folder, { recursive: true });
  let resources = 0;
  for (const [type, lines] of byType) {
    await writeFile(join(folder, `${type}.ndjson`), `${lines.join('\n')}\n`);
    resources += lines.length;
  }
  return resources;
}

/**
 * A made-up admission at NORTH_CLINIC, the facility the analysts' row filter selects, which none
 * of the shared samples names. It reaches the lake over MLLP only; no real person's data.
 */
export const NORTH_CLINIC_ADMISSION = Buffer.from(
  [
    'MSH|^~\\&|ACCEPT|NORTH_CLINIC|CARELAKE|LAKE|20260301090000||ADT^A01^ADT_A01|ACCEPT-NORTH-0001|P|2.5.1',
    'EVN|A01|20260301090000',
    'PID|1||NC1001^^^NORTH_CLINIC^MR||TESTPATIENT^NORTH||19700101|F|||1 TEST ST^^SPRINGFIELD^IL^62701',
    'PV1|1|I|WARD1^101^1^NORTH_CLINIC||||||||||||||||NV1001|||||||||||||||||||||||||20260301090000',
  ].join('\r'),
  'utf8',
);

/** Cut every HL7 v2 sample file into its messages, in file and message order; envelope segments are left out. */
export async function hl7v2SampleMessages(): Promise<{ file: string; index: number; bytes: Uint8Array }[]> {
  const messages: { file: string; index: number; bytes: Uint8Array }[] = [];
  for (const file of (await readdir(HL7V2_SAMPLES)).filter((name) => name.endsWith('.hl7')).sort()) {
    for await (const piece of splitHl7Stream([await readFile(join(HL7V2_SAMPLES, file))])) {
      if (piece.kind === 'message') messages.push({ file, index: piece.index, bytes: piece.bytes });
    }
  }
  return messages;
}

/**
 * Run the whole acceptance set into `lake`. It loads the vocabulary releases, ingests the HL7 v2
 * samples over SFTP and the Synthea bundles and their NDJSON copy, sends the HL7 v2 messages
 * again over MLLP to the stream and reads the stream. Then it runs the lifecycle policies and the
 * Safe Harbor profile. Every step is idempotent, so a second run, or a run after a crash, changes nothing
 * that a complete run already wrote. `grants apply` is left to the caller, as a CLI command.
 */
export async function runAcceptance(
  lake: Lake,
  inputs: AcceptanceInputs,
  onFaultPoint?: (point: AcceptanceFaultPoint) => void | Promise<void>,
): Promise<AcceptanceRun> {
  const started = performance.now();
  const durationsMs: Record<string, number> = {};
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const stepStarted = performance.now();
    try {
      return await work();
    } finally {
      durationsMs[step] = Math.round(performance.now() - stepStarted);
    }
  };
  const vocabularies: string[] = [];
  const sources = loadVocabSources(join(REPO_ROOT, 'vocabularies'));
  await timed('vocabularies', async () => {
    for (const { system, release } of VOCABULARY_RELEASES) {
      const source = sources.get(system);
      const dataset = datasets.get(`vocab.${system}`);
      if (!source || !dataset) throw new Error(`the ${system} vocabulary source or dataset file is missing`);
      await refreshVocabulary({ lake, source, dataset, release: join(REPO_ROOT, 'vocabularies', 'samples', system), ...release });
      vocabularies.push(system);
    }
  });

  const runnerFaults = onFaultPoint ? { onFaultPoint: (point: RunnerFaultPoint) => onFaultPoint(point) } : {};
  const hl7v2Sftp = await timed('hl7v2Sftp', () =>
    runPipeline({ lake, pipeline: sftpPipeline(inputs.sftp), datasets, sftpOverrides: { sleep: async () => undefined }, ...runnerFaults }),
  );
  const fhirBundles = await timed('fhirBundles', () =>
    runPipeline({ lake, pipeline: directoryPipeline('fhir-bundles', SYNTHEA_SAMPLES), datasets, ...runnerFaults }),
  );
  const fhirNdjson = await timed('fhirNdjson', () =>
    runPipeline({ lake, pipeline: directoryPipeline('fhir-ndjson', inputs.ndjsonFolder), datasets, ...runnerFaults }),
  );

  // The stream is read last: its micro-batch rebuilds the `_current` companions of the HL7 v2
  // tables after the FHIR runs added patients, so that a second run finds nothing to rebuild.
  const { mllp, hl7v2Stream } = await timed('hl7v2Stream', () => sendMllpAndReadStream(lake, onFaultPoint));

  const policies = parseLifecyclePolicyFile(
    await readFile(join(REPO_ROOT, 'pipelines', 'policies', 'retention.lifecycle.yaml'), 'utf8'),
    'retention.lifecycle.yaml',
  );
  const holds = await readLegalHolds(lake.store);
  // No colder tiers are configured, so the run only expires partitions past their retention.
  const lifecycle = await timed('lifecycle', () =>
    runLocalLifecycle({
      tables: lake.tables,
      catalog: lake.catalog,
      datasets: [...datasets.values()],
      policies,
      holds,
      tiers: [],
      audit: lake.audit,
      clock: lake.clock,
      principal: RUNNER.name,
    }),
  );

  const admin = { name: 'admin', role: 'admin' as const, groups: [] };
  const deid = await timed('deid', () => runDeidProfile(lake, SAFE_HARBOR_PROFILE, { principal: admin }));

  return {
    vocabularies,
    hl7v2Sftp,
    mllp,
    hl7v2Stream,
    fhirBundles,
    fhirNdjson,
    lifecycle: { transitions: lifecycle.transitions.length, expired: lifecycle.expired.length },
    deid: { tables: Object.fromEntries(deid.tables.map((table) => [table.output, table.rowsOut])) },
    durationsMs: { ...durationsMs, total: Math.round(performance.now() - started) },
  };
}

/**
 * Send every sample message over MLLP to a listener that publishes to the stream pipeline's
 * stream, as `carelake mllp listen --publish` does, then read the stream until caught up.
 */
async function sendMllpAndReadStream(
  lake: Lake,
  onFaultPoint: ((point: AcceptanceFaultPoint) => void | Promise<void>) | undefined,
): Promise<{ mllp: AcceptanceRun['mllp']; hl7v2Stream: StreamRunSummary }> {
  const streamPipeline = acceptancePipeline('hl7v2-stream');
  const endpoint = await openLakeStreamEndpoint(lake.root);
  try {
    const setup = streamPublishingSetup({ lake, pipeline: streamPipeline });
    await endpoint.ensureStream(setup.source.stream, setup.source.shards);
    const keys = lake.keys ? { keyProvider: lake.keys } : {};
    const publisher = new StreamPublisher({ setup, client: endpoint.client, ...keys, producer: { lingerMs: 5 } });
    const listener = await MllpStreamPublisher.start({ pipeline: acceptancePipeline('hl7v2-mllp'), publisher, clock: lake.clock, port: 0 });
    const mllp: AcceptanceRun['mllp'] = { messagesSent: 0, ackCodes: {} };
    try {
      // The listener sends commit ACKs only, so a message that requests an application ACK too waits
      // out the response timeout after its commit ACK. A short timeout keeps the run fast.
      const client = await MllpClient.connect({ port: listener.address.port, responseTimeoutMs: 300 });
      try {
        for (const message of [...(await hl7v2SampleMessages()), { bytes: NORTH_CLINIC_ADMISSION }]) {
          const response = await client.sendMessage(message.bytes);
          mllp.messagesSent++;
          const code = response.applicationAck?.code ?? response.commitAck?.code ?? 'none';
          mllp.ackCodes[code] = (mllp.ackCodes[code] ?? 0) + 1;
        }
      } finally {
        await client.close();
      }
    } finally {
      await listener.close();
      await publisher.close();
    }

    const worker = new StreamPipelineWorker({
      setup: await prepareStreamPipeline({ lake, pipeline: streamPipeline, datasets }),
      client: endpoint.client,
      ...keys,
      consumer: { idleDelayMs: 5 },
      ...(onFaultPoint ? { onFaultPoint: (point: StreamFaultPoint) => onFaultPoint(point) } : {}),
    });
    const hl7v2Stream = await worker.run({ untilCaughtUp: true });
    return { mllp, hl7v2Stream };
  } finally {
    await endpoint.close();
  }
}

/** Rows of one table, and a SHA-256 of its sorted `record_hash` values (of nothing when it has none). */
export interface TableDigest {
  rows: number;
  sha256: string;
}

/**
 * Digest every committed table of the lake, for comparing two lakes built from the same inputs.
 * Tables with a `record_hash` column are compared by its values, because lineage columns such as
 * `source_file` and `ingested_at` name stream sequence numbers and arrival times that differ
 * between runs. Other tables (vocabularies, de-identified copies with their random study ids)
 * are compared by row count only.
 */
export async function digestTables(lake: Lake): Promise<Record<string, TableDigest>> {
  const digests: Record<string, TableDigest> = {};
  const tables = (await lake.catalog.listTables()).map((table) => `${table.database}.${table.name}`).sort();
  const duck = await openDuckDb({ threads: 1, memoryLimit: '512MB' });
  try {
    for (const table of tables) {
      const snapshot = await lake.tables.snapshot(table);
      if (!snapshot) continue;
      const hashed = snapshot.columns.some((column) => column.name === 'record_hash');
      const sql = hashed ? 'SELECT CAST(record_hash AS VARCHAR) AS v FROM t ORDER BY v' : "SELECT '' AS v FROM t";
      const rows = await lake.tables.withMaterialized(snapshot, async (pathOf) => {
        const reader = await duck.connection.runAndReadAll(`WITH t AS (${snapshotSourceSql(snapshot, pathOf)}) ${sql}`);
        return reader.getRowObjectsJS() as Row[];
      });
      const values = rows.map((row) => String(row['v']));
      digests[table] = { rows: rows.length, sha256: createHash('sha256').update(values.join('\n')).digest('hex') };
    }
  } finally {
    closeDuckDb(duck);
  }
  return digests;
}

/**
 * Bundle acceptance-child.ts and this file into one CommonJS script in `folder`, so that a plain
 * `node` child process can run them. The @carelake packages stay external: the child reads them
 * from the repository's node_modules, which `childEnvironment` puts on NODE_PATH.
 */
export async function bundleAcceptanceChild(folder: string): Promise<string> {
  const outfile = join(folder, 'acceptance-child.js');
  await build({
    entryPoints: [join(__dirname, 'acceptance-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile,
    // The bundled files find the repository from their own folder, as they do unbundled.
    define: { __dirname: JSON.stringify(__dirname) },
    logLevel: 'silent',
  });
  return outfile;
}

/** Environment of an acceptance child process: DuckDB capped, and the repository's packages on NODE_PATH. */
export function childEnvironment(settings: object, sftpKey: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_PATH: join(REPO_ROOT, 'node_modules'),
    CARELAKE_QUERY_THREADS: '1',
    CARELAKE_QUERY_MEMORY_LIMIT: '512MB',
    CARELAKE_ACCEPTANCE_CHILD: JSON.stringify(settings),
    [SFTP_KEY_VARIABLE]: sftpKey,
  };
}
