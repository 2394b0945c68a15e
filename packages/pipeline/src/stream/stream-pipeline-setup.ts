import {
  RUNNER,
  silentLogger,
  type DatasetDefinition,
  type Logger,
  type Principal,
} from '@carelake/core';
import { createConformanceChecker, type ConformanceChecker } from '@carelake/fhir';
import { ControlIdRegistry, type Hl7MappingSet } from '@carelake/hl7v2';
import { PipelineError } from '../errors';
import { loadHl7Mappings } from '../hl7-mappings';
import type { Lake } from '../lake';
import {
  fhirConformanceOf,
  type KinesisSourceDefinition,
  type LoadedPipeline,
} from '../pipeline-file';
import { preparePipelineTables, type PipelineTables } from '../runner';
import { checkRawStreamDataset } from './raw-records';

export interface StreamPipelineOptions {
  lake: Lake;
  pipeline: LoadedPipeline;
  datasets: Map<string, DatasetDefinition>;
  principal?: Principal;
  logger?: Logger;
}

/**
 * State that every micro-batch of one stream pipeline shares: the compiled mappings, views and
 * transforms, the datasets of its tables, and the control ids seen so far.
 */
export interface StreamPipelineSetup {
  lake: Lake;
  pipeline: LoadedPipeline;
  source: KinesisSourceDefinition;
  datasets: Map<string, DatasetDefinition>;
  principal: Principal;
  logger: Logger;
  tables: PipelineTables;
  hl7Mappings: Hl7MappingSet | undefined;
  controlIds: ControlIdRegistry;
  conformance: 'reject' | 'warn' | 'off';
  conformanceChecker: ConformanceChecker | undefined;
  /** The one output table of a `decode.format: raw` pipeline. */
  rawDataset: DatasetDefinition | undefined;
}

/**
 * Check a stream pipeline and compile what it needs, before any record is read, so that a broken
 * mapping or a missing dataset stops it at once.
 * @throws PipelineError for a pipeline whose source is not kinesis; ConfigError for broken
 *   mapping, view or transform files, or a raw table without the stream record columns.
 */
export async function prepareStreamPipeline(
  options: StreamPipelineOptions,
): Promise<StreamPipelineSetup> {
  const { lake, pipeline, datasets } = options;
  const source = kinesisSourceOf(pipeline);
  const format = pipeline.decode.format;
  const tables = await preparePipelineTables(pipeline, datasets, lake);
  const rawDataset = format === 'raw' ? tables.outputs[0] : undefined;
  if (rawDataset) checkRawStreamDataset(rawDataset);

  const conformance = fhirConformanceOf(pipeline);
  const readsFhir = format === 'fhir' || format === 'auto';
  return {
    lake,
    pipeline,
    source,
    datasets,
    principal: options.principal ?? RUNNER,
    logger: (options.logger ?? silentLogger).child({
      pipeline: pipeline.name,
      stream: source.stream,
    }),
    tables,
    hl7Mappings:
      format === 'hl7v2' || format === 'auto' ? loadHl7Mappings(pipeline, datasets) : undefined,
    // NOTE: control ids are compared within one process; a reuse across restarts is stored without a warning.
    controlIds: new ControlIdRegistry(),
    conformance,
    conformanceChecker: readsFhir && conformance !== 'off' ? createConformanceChecker() : undefined,
    rawDataset,
  };
}

/**
 * Return the kinesis source of a pipeline.
 * @throws PipelineError naming `source.type` when the pipeline reads something else.
 */
export function kinesisSourceOf(pipeline: LoadedPipeline): KinesisSourceDefinition {
  const source = pipeline.source;
  if (source.type !== 'kinesis') {
    throw new PipelineError(`pipeline ${pipeline.name} has a ${source.type} source, not kinesis`, {
      position: { file: pipeline.file, keyPath: 'source.type' },
      hint: 'Set source.type to kinesis and name the stream in source.stream to read or publish a stream.',
    });
  }
  return source;
}

/** Name of the consumer whose checkpoints a pipeline's stream runs keep: `source.consumer`, else the pipeline name. */
export function consumerNameOf(pipeline: LoadedPipeline): string {
  const source = kinesisSourceOf(pipeline);
  return source.consumer ?? pipeline.name;
}

/** The parts of a stream pipeline that publishing needs, without its compiled mappings and views. */
export type StreamPublishingSetup = Pick<
  StreamPipelineSetup,
  'lake' | 'pipeline' | 'principal' | 'source' | 'logger'
>;

/**
 * Check that a pipeline reads a stream, for a publisher.
 * @throws PipelineError for a pipeline whose source is not kinesis.
 */
export function streamPublishingSetup(
  options: Omit<StreamPipelineOptions, 'datasets'>,
): StreamPublishingSetup {
  const source = kinesisSourceOf(options.pipeline);
  return {
    lake: options.lake,
    pipeline: options.pipeline,
    principal: options.principal ?? RUNNER,
    source,
    logger: (options.logger ?? silentLogger).child({
      pipeline: options.pipeline.name,
      stream: source.stream,
    }),
  };
}
