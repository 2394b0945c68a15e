'use strict';

const { readPackageVersion, describePackageSource } = require('../lib/carelake-dist');
const { packageVersion } = require('../lib/package-version');
const { BATCH_RESOURCES, FLUSH_ROWS, MEMORY_FRACTIONS, PINNED_CPU } = require('./fork-runs');
const { SAMPLE_EVERY } = require('./row-samples');
const { LINEAGE_COLUMNS } = require('./view-table-writer');

const count = (value) => value.toLocaleString('en-US');

/** Describes the generated input for the results page. */
function describeInput({ resourceCount, files, patientCount, templateCount, seed, runs }) {
  const bytes = files.reduce((total, file) => total + file.bytes, 0);
  const perType = files.map((file) => `${file.resourceType} ${count(file.resourceCount)}`);
  return (
    `${count(resourceCount)} FHIR R4 resources in ${files.length} NDJSON files ` +
    `(one per resource type, ${(bytes / 1024 ** 3).toFixed(2)} GiB): ${perType.join(', ')}. ` +
    `Generated from ${templateCount} Synthea patient bundles as ${count(patientCount)} ` +
    `patients, mulberry32 seed ${seed}. Runs per candidate: ${runs}.`
  );
}

function describeData({ viewNames, emptyViews }) {
  return [
    'Data: each generated patient copies one Synthea patient bundle of the shared test data. ' +
      'The copy gets new UUIDs for every id and reference, and every full date and dateTime ' +
      'moves back by the same multiple of 4 years, up to 40. Every Quantity and Money value ' +
      'is scaled by 0.8 to 1.2. References are `Type/id`, as a Bulk Data export writes them. ' +
      'Only resource types that a default view reads are generated, so every resource goes ' +
      'through at least one view.',
    `Views: the ${viewNames.length} default ViewDefinitions in pipelines/views/fhir ` +
      `(${viewNames.join(', ')}). The Synthea bundles contain no resources for ` +
      `${emptyViews.join(' and ')}, so those views yield no rows.`,
  ];
}

function describeCarelake(conformanceWarnings) {
  const lineage = LINEAGE_COLUMNS.map((column) => column.name).join(', ');
  return [
    'carelake, per resource: `readNdjson` reads it from a file stream of 1 MiB chunks, and ' +
      '`createConformanceChecker().check` checks it. A resource with an error fails the bench, ' +
      `and this input gave ${count(conformanceWarnings)} warnings. Then \`view.evaluate\` runs ` +
      'every view of its type, each compiled once with `compileFhirViews`, as the pipeline’s ' +
      '`loadFhirViews` does.',
    'carelake write: each value is converted to its column’s type in the view’s derived ' +
      `dataset, and the lineage columns ${lineage} are added. Whenever ` +
      `${count(FLUSH_ROWS)} rows are buffered (a pipeline’s default \`batchRows\`), and at the ` +
      'end, each table’s rows go to a new ZSTD Parquet file through `writeParquetFile`, on ' +
      'DuckDB with `threads` 1.',
    'Not in the carelake timing: the lineage columns that need the SHA-256 of the resource ' +
      '(record_hash, and version_id, last_updated and is_deleted from its identity), and the ' +
      'marker row of a version that yields no view rows. Also left out: raw.fhir_resources ' +
      'and clinical rows, table commits, catalog, audit and encryption.',
  ];
}

function describePeer() {
  return [
    'fhirpath peer: the same reader, then every column path of the same views, compiled once ' +
      'with `fhirpath.compile(path, r4Model)` and evaluated per resource. A `forEach` path is ' +
      'evaluated first, then the columns under it per item, compiled with ' +
      '`{ base, expression }` so that `ofType()` knows the item’s type. `%rowIndex` is an ' +
      'environment variable, and rows are joined across selects. fhirpath has no ' +
      '`getReferenceKey()`, so the peer adds it through `userInvocationTable`.',
  ];
}

function describeMethod({ sampled, unstagedShare }) {
  const fractions = MEMORY_FRACTIONS.map((fraction) => `${fraction * 100}%`).join(', ');
  return [
    `Both candidates run in a fresh child process under \`taskset -c ${PINNED_CPU}\`, so ` +
      'every thread (V8, libuv, DuckDB) shares one logical CPU. Loading the packages, ' +
      'compiling the views, loading the R4 definitions and opening DuckDB happen before the ' +
      'clock starts.',
    `Stage clocks are read around batches of ${count(BATCH_RESOURCES)} resources, and garbage ` +
      'collection falls in whichever stage triggers it. Resources/s divides all resources by ' +
      'the stage’s time. The rest of the end-to-end time, ' +
      `${(unstagedShare * 100).toFixed(1)}% in the median run, is the loop itself and closing ` +
      'DuckDB.',
    'Checked on every run: both candidates read every generated resource and get the same ' +
      'number of rows from every view, and the Parquet files, read back with DuckDB, contain ' +
      `exactly the rows counted. For every ${SAMPLE_EVERY}th line of each file ` +
      `(${count(sampled.resources)} resources, ${count(sampled.rows)} rows, ` +
      `${count(sampled.cells)} cells), every column value is equal between the candidates ` +
      'as JSON.',
    `Memory: at ${fractions} of the resources read, each child runs a full garbage collection ` +
      'outside the timings and records its RSS and V8 heap. Peak RSS is ' +
      '`resourceUsage().maxRSS`.',
  ];
}

/** Describes what ran, on what, and how it was measured and checked, for the results page. */
function describeSettings({ viewNames, emptyViews, sampled, conformanceWarnings, unstagedShare }) {
  const versions =
    `@carelake/fhir ${readPackageVersion('fhir')} and @carelake/tables ` +
    `${readPackageVersion('tables')} from packages/*/dist, built from ` +
    `${describePackageSource('fhir')} (fhir) and ${describePackageSource('tables')} (tables). ` +
    `fhirpath ${packageVersion('fhirpath')}, @duckdb/node-api ${packageVersion('@duckdb/node-api')}.`;
  return [
    versions,
    ...describeData({ viewNames, emptyViews }),
    ...describeCarelake(conformanceWarnings),
    ...describePeer(),
    ...describeMethod({ sampled, unstagedShare }),
  ];
}

module.exports = { describeInput, describeSettings };
