#!/usr/bin/env node
// The CDK app that `npx cdk synth` and `npx cdk deploy` run from infra/ (see cdk.json).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describeError } from '@carelake/core';
import { loadInfraInputs } from '../app-inputs';
import { buildCarelakeApp } from '../carelake-app';
import { readInfraContext } from '../context-values';
import { bundleRunners } from '../runner-bundle';

async function main(): Promise<void> {
  const app = new App();
  const repositoryRoot = resolve(__dirname, '../../..');
  const context = readInfraContext((key) => app.node.tryGetContext(key));
  const inputs = loadInfraInputs(repositoryRoot);
  // The bundle is staged into cdk.out as an asset, so its own folder is a temporary one.
  const bundle = await bundleRunners({ repositoryRoot, outDir: mkdtempSync(join(tmpdir(), 'carelake-runners-')) });
  buildCarelakeApp(app, { inputs, context, bundle });
  app.synth();
}

main().catch((error: unknown) => {
  process.stderr.write(`carelake infra: ${describeError(error)}\n`);
  process.exitCode = 1;
});
