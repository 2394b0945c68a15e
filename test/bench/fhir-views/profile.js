#!/usr/bin/env node
'use strict';

// Profiles carelake's side of the fhir-views bench with `node --cpu-prof` and
// prints the functions that take the most time. Usage:
//   node test/bench/fhir-views/profile.js [RESOURCES]
// RESOURCES defaults to 200,000. The generated NDJSON, the Parquet files and
// the profile go to a temporary folder, which is removed afterwards.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { checkPackageBuilt } = require('../lib/carelake-dist');
const { summarizeCpuProfile } = require('../lib/profile-summary');
const { readDefaultViewSources, describeViewSource } = require('./default-views');
const { forkCarelakeRun } = require('./fork-runs');
const { generateNdjson } = require('./generate-ndjson');
const { loadSyntheaTemplates } = require('./synthea-templates');

const DEFAULT_RESOURCES = 200_000;
const TOP_FUNCTIONS = 25;
const SEED = 20240101;
const PACKAGES = ['core', 'fhir', 'tables'];

/** Returns the resource types that at least one default view reads. */
function readViewResourceTypes() {
  return [
    ...new Set(readDefaultViewSources().map((source) => describeViewSource(source).resource)),
  ];
}

/**
 * Runs the carelake child over `files` under --cpu-prof and returns the
 * profile of the timed work, after setup, summed by function (see
 * summarizeCpuProfile), with the run's result.
 */
async function profileCarelakeRun({ files, workDir }) {
  const profileDir = path.join(workDir, 'cpu-profile');
  const result = await forkCarelakeRun({
    files,
    parquetDir: path.join(workDir, 'profile-parquet'),
    label: 'profiled carelake run',
    execArgv: ['--cpu-prof', '--cpu-prof-dir', profileDir],
  });
  const [profileFile] = fs.readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
  const profile = JSON.parse(fs.readFileSync(path.join(profileDir, profileFile), 'utf8'));
  return {
    result,
    summary: summarizeCpuProfile(profile, { fromMicros: result.clockStartedAtMicros }),
  };
}

function printTop(title, entries) {
  process.stdout.write(`\n${title}\n`);
  for (const { name, percent } of entries.slice(0, TOP_FUNCTIONS)) {
    process.stdout.write(`${percent.toFixed(1).padStart(6)}%  ${name}\n`);
  }
}

async function main() {
  const [countText = String(DEFAULT_RESOURCES)] = process.argv.slice(2);
  const resourceCount = Number(countText.replaceAll('_', ''));
  if (!Number.isInteger(resourceCount) || resourceCount < 1) {
    process.stderr.write('usage: profile.js [RESOURCES], a positive integer\n');
    process.exitCode = 2;
    return;
  }
  for (const name of PACKAGES) checkPackageBuilt(name);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carelake-fhir-views-profile-'));
  try {
    const ndjsonDir = path.join(workDir, 'ndjson');
    fs.mkdirSync(ndjsonDir);
    const templates = loadSyntheaTemplates(readViewResourceTypes());
    const { files } = generateNdjson({ dir: ndjsonDir, resourceCount, seed: SEED, templates });

    const { result, summary } = await profileCarelakeRun({ files, workDir });
    const seconds = (result.totalMs / 1000).toFixed(1);
    process.stdout.write(`${resourceCount} resources in ${seconds} s under the profiler\n`);
    printTop('Self time, % of samples', summary.self);
    printTop('Total time including callees, % of samples', summary.total);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  });
}

module.exports = { profileCarelakeRun, readViewResourceTypes };
