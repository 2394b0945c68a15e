import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { loadInfraInputs } from './app-inputs';
import { buildCarelakeApp } from './carelake-app';
import { readInfraContext } from './context-values';
import { bundleRunners, type RunnerBundle } from './runner-bundle';

/** CloudFormation templates by stack name. */
export type StackTemplates = Record<string, Record<string, unknown>>;

export interface SynthesizeOptions {
  repositoryRoot: string;
  /** Context values; the dry run passes the reviewed ones of infra/snapshot/context.json. */
  context: Record<string, unknown>;
  /** A bundle to reuse; one is built into a temporary folder otherwise. */
  bundle?: RunnerBundle;
}

/**
 * Synthesize the app into a temporary folder and return its templates, with the code asset's
 * hash replaced by `<asset>` so that a snapshot changes with the infrastructure, not with every
 * change of the runner's code. The temporary folders are removed.
 */
export async function synthesizeTemplates(options: SynthesizeOptions): Promise<StackTemplates> {
  const work = mkdtempSync(join(tmpdir(), 'carelake-synth-'));
  try {
    const bundle = options.bundle ?? (await bundleRunners({ repositoryRoot: options.repositoryRoot, outDir: join(work, 'bundle') }));
    const app = new App({ outdir: join(work, 'cdk.out'), context: { ...options.context, 'aws:cdk:disable-asset-metadata': true } });
    const context = readInfraContext((key) => options.context[key]);
    buildCarelakeApp(app, { inputs: loadInfraInputs(options.repositoryRoot), context, bundle, nagChecks: false });
    const assembly = app.synth();
    const templates: StackTemplates = {};
    for (const stack of assembly.stacks) {
      templates[stack.stackName] = JSON.parse(JSON.stringify(stack.template).replace(/[0-9a-f]{64}(\.zip)?/g, '<asset>$1')) as Record<string, unknown>;
    }
    return templates;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Read the reviewed templates of a snapshot folder (`<stack>.template.json`). */
export function readSnapshot(dir: string, stackNames: string[]): StackTemplates {
  const templates: StackTemplates = {};
  for (const name of stackNames) {
    const file = join(dir, `${name}.template.json`);
    if (existsSync(file)) templates[name] = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  }
  return templates;
}

/** Write the templates to a snapshot folder, one file per stack, keys in a stable order. */
export function writeSnapshot(dir: string, templates: StackTemplates): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, template] of Object.entries(templates)) {
    writeFileSync(join(dir, `${name}.template.json`), `${JSON.stringify(template, null, 2)}\n`);
  }
}

/** Read the reviewed context values of a snapshot folder. */
export function readSnapshotContext(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'context.json'), 'utf8')) as Record<string, unknown>;
}
