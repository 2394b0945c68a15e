'use strict';

// Builds the synthetic code indexes with @carelake/vocab and times checks
// against them, in a process of its own started with --expose-gc. Argument: a
// JSON object { indexes, checks, runs, seed }, where each index is
// { label, system, codeCount }.

const { performance } = require('node:perf_hooks');
const { distEntry } = require('../lib/carelake-dist');
const { buildMapIndex, checkWithMap } = require('./map-peer');
const { buildCodeSet, buildChecks } = require('./synthetic-codes');

const { buildCodeIndex, loincCheckDigit } = require(distEntry('vocab'));

const WARMUP_PASSES = 2;

/**
 * The two ways to check with @carelake/vocab, by system name on the whole index or on the
 * system's own index, and the Map peer.
 */
const ENTRY_POINTS = [
  { name: 'CodeIndex.check(system, code, date)', timeLoop: timeIndexLoop },
  { name: 'SystemCodeIndex.check(code, date)', timeLoop: timeSystemLoop },
  { name: 'peer: Map + Date.parse', timeLoop: timeMapLoop, isPeer: true },
];

/**
 * Returns new copies of the check strings, allocated in check order, so that
 * each timed run reads strings laid out one after another and not yet hashed,
 * as the fields of freshly decoded rows are. Reusing one set of strings would
 * time cached hashes; reading the shuffled originals would time cache misses
 * that decoded rows do not have.
 */
function freshCopies({ codes, dates }) {
  const copy = (text) => Buffer.from(text, 'latin1').toString('latin1');
  const copies = { codes: new Array(codes.length), dates: new Array(dates.length) };
  for (let i = 0; i < codes.length; i += 1) {
    copies.codes[i] = copy(codes[i]);
    copies.dates[i] = copy(dates[i]);
  }
  return copies;
}

function timeIndexLoop(index, system, { codes, dates }) {
  const tally = { known: 0, unknown: 0, retired: 0 };
  const startedAt = performance.now();
  for (let i = 0; i < codes.length; i += 1) tally[index.check(system, codes[i], dates[i])] += 1;
  return { elapsedMs: performance.now() - startedAt, tally };
}

function timeSystemLoop(index, system, { codes, dates }) {
  const systemIndex = index.forSystem(system);
  const tally = { known: 0, unknown: 0, retired: 0 };
  const startedAt = performance.now();
  for (let i = 0; i < codes.length; i += 1) tally[systemIndex.check(codes[i], dates[i])] += 1;
  return { elapsedMs: performance.now() - startedAt, tally };
}

function timeMapLoop(periods, _system, { codes, dates }) {
  const tally = { known: 0, unknown: 0, retired: 0 };
  const startedAt = performance.now();
  for (let i = 0; i < codes.length; i += 1) tally[checkWithMap(periods, codes[i], dates[i])] += 1;
  return { elapsedMs: performance.now() - startedAt, tally };
}

/** Returns the JavaScript heap and ArrayBuffer memory in use; the index keeps its tables in typed arrays. */
function memoryInUse() {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Returns the memory an index keeps alive: memory in use with it minus after it is released, each after a forced GC. */
function measureRetainedMemory(build) {
  let index = build();
  global.gc();
  const withIndex = memoryInUse();
  if (index.systems === undefined ? index.size === 0 : index.systems.length === 0) {
    throw new Error('the index is empty');
  }
  index = null;
  global.gc();
  return withIndex - memoryInUse();
}

/** Compares the result of every check with the expected one, after the clock has stopped. */
function verifyAnswers(index, system, checks, label) {
  for (let i = 0; i < checks.codes.length; i += 1) {
    const result = index.check(system, checks.codes[i], checks.dates[i]);
    if (result !== checks.expected[i]) {
      throw new Error(`${label}: check ${i} returned ${result}, expected ${checks.expected[i]}`);
    }
  }
}

function verifyTally(tally, counts, label) {
  for (const key of ['known', 'unknown', 'retired']) {
    if (tally[key] !== counts[key]) {
      throw new Error(
        `${label}: ${tally[key]} ${key} results in a timed run, expected ${counts[key]}`,
      );
    }
  }
}

function measureIndex(spec, checkCount, runs, seed) {
  const codeSet = buildCodeSet({
    system: spec.system,
    codeCount: spec.codeCount,
    seed,
    loincCheckDigit,
  });
  const checks = buildChecks({ codeSet, system: spec.system, count: checkCount, seed: seed + 1 });

  const buildStartedAt = performance.now();
  const index = buildCodeIndex(codeSet.records);
  const buildMs = performance.now() - buildStartedAt;
  const indexBytes = measureRetainedMemory(() => buildCodeIndex(codeSet.records));

  const size = index.forSystem(spec.system).size;
  if (size !== spec.codeCount)
    throw new Error(`${spec.label}: the index has ${size} codes, expected ${spec.codeCount}`);
  verifyAnswers(index, spec.system, checks, spec.label);

  const peerStartedAt = performance.now();
  const periods = buildMapIndex(codeSet.records);
  const peerBuildMs = performance.now() - peerStartedAt;
  const peerBytes = measureRetainedMemory(() => buildMapIndex(codeSet.records));
  verifyAnswers(
    { check: (_system, code, date) => checkWithMap(periods, code, date) },
    spec.system,
    checks,
    `${spec.label}, Map peer`,
  );
  const indexOf = (entry) => (entry.isPeer ? periods : index);

  const results = ENTRY_POINTS.map((entry) => ({
    entryPoint: entry.name,
    isPeer: entry.isPeer === true,
    ...(entry.isPeer ? { buildMs: peerBuildMs, indexBytes: peerBytes } : {}),
    timesMs: [],
  }));
  for (let pass = 0; pass < WARMUP_PASSES; pass += 1) {
    ENTRY_POINTS.forEach((entry) =>
      entry.timeLoop(indexOf(entry), spec.system, freshCopies(checks)),
    );
  }
  // Runs alternate the entry points, so that a slow spell does not fall on one only.
  for (let run = 0; run < runs; run += 1) {
    ENTRY_POINTS.forEach((entry, position) => {
      const copies = freshCopies(checks);
      global.gc();
      const { elapsedMs, tally } = entry.timeLoop(indexOf(entry), spec.system, copies);
      verifyTally(tally, checks.counts, `${spec.label}, ${entry.name}`);
      results[position].timesMs.push(elapsedMs);
    });
  }
  return {
    label: spec.label,
    codeCount: size,
    buildMs,
    indexBytes,
    checkCount,
    counts: checks.counts,
    results,
  };
}

function main() {
  const { indexes, checks, runs, seed } = JSON.parse(process.argv[2]);
  const measured = indexes.map((spec, position) =>
    measureIndex(spec, checks, runs, seed + 10 * position),
  );
  // maxRSS is in KiB; it covers both indexes, the peer's Maps and the check strings.
  process.send({ measured, peakRssMiB: process.resourceUsage().maxRSS / 1024 }, () =>
    process.disconnect(),
  );
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
}
