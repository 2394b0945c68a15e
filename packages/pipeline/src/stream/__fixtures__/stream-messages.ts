import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, ManualClock } from '@carelake/core';
import { loadDatasets } from '../../datasets';
import { openLocalLake, type Lake } from '../../lake';
import { pipelineSchema, type LoadedPipeline } from '../../pipeline-file';

const REPO_ROOT = resolve(__dirname, '../../../../..');

/** The dataset files the repository ships. */
export const repositoryDatasets = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));

/**
 * Build a synthetic ADT^A08 for patient `patient` with its own control id and a ZRC segment that
 * numbers it. No real person's data: the name and MRN are made up.
 */
export function numberedAdt(number: number, patient = number): string {
  return [
    `MSH|^~\\&|SEND|FAC|RECV|RFAC|20260304050607||ADT^A08^ADT_A01|CTL-${number}|P|2.5.1`,
    'EVN|A08|20260304050607',
    `PID|1||MRN${patient}^^^HOSP^MR||TESTPATIENT^ALEX||19800101|F`,
    `ZRC|${number}`,
  ].join('\r');
}

/** Segments per `numberedAdt` message, each a raw.hl7v2_segments row. */
export const SEGMENTS_PER_ADT = 4;

/** Build a stream pipeline with the given source and decode settings, resolved beside the repository's pipelines. */
export function streamPipeline(overrides: Record<string, unknown> = {}): LoadedPipeline {
  const definition = pipelineSchema.parse({
    name: 'adt-stream',
    source: { type: 'kinesis', stream: 'hl7-adt', bufferSeconds: 0 },
    decode: { format: 'hl7v2' },
    outputs: ['raw.hl7v2_segments', 'clinical.patients'],
    ...overrides,
  });
  return {
    ...definition,
    file: join(REPO_ROOT, 'pipelines', 'adt-stream.pipeline.yaml'),
    baseDir: join(REPO_ROOT, 'pipelines'),
  };
}

/** Open a local lake in a new temporary folder, with DuckDB kept small and a fixed clock. */
export async function openTempLake(
  label: string,
): Promise<{ root: string; lake: Lake; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), `carelake-${label}-`));
  const config = loadConfig({
    cwd: root,
    env: {
      CARELAKE_LAKE_ROOT: root,
      CARELAKE_QUERY_THREADS: '1',
      CARELAKE_QUERY_MEMORY_LIMIT: '256MB',
    },
  });
  const lake = await openLocalLake(config, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
  return {
    root,
    lake,
    async remove() {
      await lake.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
