'use strict';

const { forkChild } = require('../lib/fork-child');

// Resources read, checked and evaluated together before the stage clocks are
// read. Small enough that a batch's parsed resources die in V8's young
// generation, as they do when the runner maps each resource as it is read.
// With 1,000 they outlived scavenges, and a trial run over 300,000 resources
// took about a third longer.
const BATCH_RESOURCES = 100;
// View rows buffered across tables before each table's rows go to a Parquet
// file: the default `batchRows` of a pipeline file.
const FLUSH_ROWS = 100_000;
// Shares of the input at which memory is recorded; 0 is after setup, before the first read.
const MEMORY_FRACTIONS = [0, 0.1, 0.25, 0.5, 0.75, 1];
// Both candidates run on this one logical CPU (see forkChild).
const PINNED_CPU = 0;

const OURS_CHILD = require.resolve('./ours-child');
const PEER_CHILD = require.resolve('./peer-child');

function baseRequest(files) {
  return {
    files,
    totalResources: files.reduce((total, file) => total + file.resourceCount, 0),
    batchResources: BATCH_RESOURCES,
    memoryFractions: MEMORY_FRACTIONS,
  };
}

/**
 * Runs carelake's read, check, views and Parquet write over `files` in a
 * child process pinned to one CPU, writing Parquet under `parquetDir`.
 * `execArgv` adds Node.js options, such as --cpu-prof.
 */
function forkCarelakeRun({ files, parquetDir, label, execArgv = [] }) {
  return forkChild({
    childPath: OURS_CHILD,
    request: { ...baseRequest(files), parquetDir, flushRows: FLUSH_ROWS },
    label,
    execArgv: ['--expose-gc', ...execArgv],
    cpu: PINNED_CPU,
  });
}

/** Runs the same read and the fhirpath package's evaluation of the same views over `files`. */
function forkPeerRun({ files, label }) {
  return forkChild({
    childPath: PEER_CHILD,
    request: baseRequest(files),
    label,
    execArgv: ['--expose-gc'],
    cpu: PINNED_CPU,
  });
}

module.exports = {
  BATCH_RESOURCES,
  FLUSH_ROWS,
  MEMORY_FRACTIONS,
  PINNED_CPU,
  forkCarelakeRun,
  forkPeerRun,
};
