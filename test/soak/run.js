#!/usr/bin/env node
'use strict';

// Soak runner: `npm run soak` runs every job in jobs/, `npm run soak -- NAME...` the named ones.
// Jobs are the long runs that do not fit the test suite's ten minutes (gigabyte inputs, long
// fuzzing, many kill points). Each job exports { name, description, run(log) } and its run
// resolves with a list of failures, empty when the job passed. Jobs read the built packages.

const fs = require('node:fs');
const path = require('node:path');

const JOBS_DIR = path.join(__dirname, 'jobs');

function loadJobs() {
  return fs
    .readdirSync(JOBS_DIR)
    .filter((file) => file.endsWith('.js'))
    .sort()
    .map((file) => {
      const job = require(path.join(JOBS_DIR, file));
      if (job.name !== path.basename(file, '.js') || typeof job.run !== 'function') {
        throw new Error(`jobs/${file} must export { name: '${path.basename(file, '.js')}', description, run(log) }`);
      }
      return job;
    });
}

async function main(names) {
  const jobs = loadJobs();
  const unknown = names.filter((name) => !jobs.some((job) => job.name === name));
  if (unknown.length > 0) {
    console.error(`unknown soak job ${unknown.join(', ')}; available: ${jobs.map((job) => job.name).join(', ')}`);
    return 2;
  }

  let failed = 0;
  for (const job of names.length === 0 ? jobs : jobs.filter((candidate) => names.includes(candidate.name))) {
    const started = Date.now();
    console.log(`== ${job.name}: ${job.description}`);
    const failures = await job.run((line) => console.log(`   ${line}`));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failures.length === 0) {
      console.log(`== ${job.name}: passed in ${seconds} s`);
      continue;
    }
    failed++;
    for (const failure of failures) console.log(`   FAILED: ${failure}`);
    console.log(`== ${job.name}: ${failures.length} failure(s) in ${seconds} s`);
  }
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
