import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, parseTableName, type LoadedConfig } from '@carelake/core';
import { loadDatasets, loadPipelineFile, type LoadedPipeline } from '@carelake/pipeline';

/** The repository files the app deploys from. */
export interface InfraInputs {
  /** Folder of carelake.yaml and pipelines/. */
  repositoryRoot: string;
  config: LoadedConfig;
  /** Pipeline files of pipelines/, by file name order. */
  pipelines: LoadedPipeline[];
  /** Catalog databases that the pipelines write or the dataset files describe, sorted. */
  databases: string[];
}

const PIPELINE_SUFFIX = '.pipeline.yaml';

/**
 * Load carelake.yaml, every `pipelines/*.pipeline.yaml` and the dataset files of a repository.
 * @throws ConfigError for an invalid file, or two pipelines with one name.
 */
export function loadInfraInputs(repositoryRoot: string): InfraInputs {
  const root = resolve(repositoryRoot);
  // The environment does not override the deployment: what is deployed is what the files say.
  const config = loadConfig({ cwd: root, env: {} });
  const pipelinesDir = join(root, 'pipelines');
  if (!existsSync(pipelinesDir)) {
    throw new ConfigError(`${pipelinesDir} not found`, [], { hint: 'Run the CDK app from a carelake repository, which keeps its pipelines in pipelines/.' });
  }

  const pipelines = readdirSync(pipelinesDir)
    .filter((name) => name.endsWith(PIPELINE_SUFFIX))
    .sort()
    .map((name) => loadPipelineFile(join(pipelinesDir, name)));
  const seen = new Map<string, string>();
  for (const pipeline of pipelines) {
    const earlier = seen.get(pipeline.name);
    if (earlier !== undefined) {
      throw new ConfigError(`pipelines ${earlier} and ${pipeline.file} are both named ${pipeline.name}`, [], {
        hint: 'Give each pipeline file its own name: it names the runner function and its role.',
      });
    }
    seen.set(pipeline.name, pipeline.file);
  }

  const datasetsDir = join(pipelinesDir, 'datasets');
  const tables = [
    ...pipelines.flatMap((pipeline) => pipeline.outputs),
    ...(existsSync(datasetsDir) ? [...loadDatasets(datasetsDir).keys()] : []),
  ];
  const databases = [...new Set(tables.map((table) => parseTableName(table).database))].sort();
  return { repositoryRoot: root, config, pipelines, databases };
}
