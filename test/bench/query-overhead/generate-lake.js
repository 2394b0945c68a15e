'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { distEntry } = require('../lib/carelake-dist');

const REPO_ROOT = path.resolve(__dirname, '../../..');
const DATASETS_DIR = path.join(REPO_ROOT, 'pipelines', 'datasets');

/** Seconds in the five years from 2020-01-01 that generated times fall in. */
const TIME_SPAN_SECONDS = 5 * 365 * 86400;

const LOINC_CODES = [
  '2093-3',
  '2571-8',
  '4548-4',
  '2345-7',
  '718-7',
  '789-8',
  '6690-2',
  '777-3',
  '2160-0',
  '3094-0',
  '2951-2',
  '2823-3',
  '2075-0',
  '17861-6',
  '1742-6',
  '1920-8',
  '8480-6',
  '8462-4',
  '29463-7',
  '8867-4',
];
const FACILITIES = ['NORTH_CLINIC', 'SOUTH_CLINIC', 'EAST_CLINIC', 'WEST_CLINIC'];
const WARDS = ['WARD1', 'WARD2', 'WARD3', 'WARD4', 'WARD5', 'WARD6', 'WARD7', 'WARD8'];

const sqlList = (values) => `[${values.map((value) => `'${value}'`).join(', ')}]`;
/** A pseudo-random time in the span, the same for the same `i` and `salt` on every run. */
const timeOf = (salt) =>
  `TIMESTAMP '2020-01-01' + to_seconds(CAST(hash(i * ${salt}) % ${TIME_SPAN_SECONDS} AS BIGINT))`;

/**
 * Column expressions per generated table, over `i`, the row number from
 * range(). Columns not listed are NULL; every non-nullable column is listed.
 * Patients are shared, so observations and encounters join on patient_key.
 */
function tableSpecs({ observationRows }) {
  const patients = Math.max(1000, Math.floor(observationRows / 50));
  const smallRows = Math.max(1000, Math.floor(observationRows / 20));
  const patientKey = `'bench:patient:' || (i % ${patients})`;
  const lineage = {
    is_deleted: 'false',
    record_hash: "'bench:' || i",
    source_file: "'landing/bench/generated'",
    source_position: 'i',
    ingested_at: "TIMESTAMP '2025-01-01 00:00:00'",
    facility: `${sqlList(FACILITIES)}[(i % 4) + 1]`,
  };
  return [
    {
      table: 'clinical.observations',
      rows: observationRows,
      columns: {
        ...lineage,
        observation_key: "'bench:obs:' || i",
        patient_key: patientKey,
        code: `${sqlList(LOINC_CODES)}[(i % ${LOINC_CODES.length}) + 1]`,
        code_system: "'http://loinc.org'",
        value_type: "'NM'",
        value_number: 'CAST(hash(i) % 100000 AS DOUBLE) / 100',
        unit: "'mg/dL'",
        status: "'F'",
        effective_time: timeOf(7),
        effective_month: `strftime(${timeOf(7)}, '%Y-%m')`,
        event_time: timeOf(7),
        source_format: "CASE WHEN i % 2 = 0 THEN 'hl7v2' ELSE 'fhir' END",
        source_id: "'bench:' || i",
      },
    },
    {
      table: 'clinical.encounters',
      rows: smallRows,
      columns: {
        ...lineage,
        encounter_key: "'bench:enc:' || i",
        patient_key: patientKey,
        visit_number: 'CAST(i AS VARCHAR)',
        patient_class: "'I'",
        location_point_of_care: `${sqlList(WARDS)}[(i % ${WARDS.length}) + 1]`,
        admit_time: timeOf(13),
        admit_month: `strftime(${timeOf(13)}, '%Y-%m')`,
        event_time: timeOf(13),
        event_type: "'A01'",
        source_format: "'hl7v2'",
      },
    },
    {
      table: 'raw.fhir_resources',
      rows: smallRows,
      columns: {
        ...lineage,
        resource_type: "'Observation'",
        resource_id: "'bench-' || i",
        version_id: "'1'",
        last_updated: timeOf(17),
        request_method: "'POST'",
        content_hash: "'bench:' || i",
        resource_json:
          "CAST(json_object('resourceType', 'Observation', 'id', 'bench-' || i, 'status', 'final', " +
          `'code', json_object('coding', json_array(json_object('system', 'http://loinc.org', 'code', ${sqlList(LOINC_CODES)}[(i % ${LOINC_CODES.length}) + 1]))), ` +
          "'subject', json_object('reference', 'Patient/' || (i % 1000)), " +
          `'effectiveDateTime', strftime(${timeOf(17)}, '%Y-%m-%dT%H:%M:%SZ'), ` +
          "'valueQuantity', json_object('value', CAST(hash(i) % 100000 AS DOUBLE) / 100, 'unit', 'mg/dL')) AS VARCHAR)",
      },
    },
  ];
}

/** Build the SELECT that generates a table's rows, every dataset column cast to its lake type. */
function generateSql(dataset, spec, duckDbType) {
  const list = Object.entries(dataset.columns).map(([name, column]) => {
    const expression = spec.columns[name];
    if (expression === undefined && column.nullable === false) {
      throw new Error(
        `${spec.table}.${name} is not nullable but the bench generates no value for it`,
      );
    }
    return `CAST(${expression ?? 'NULL'} AS ${duckDbType(column.type)}) AS "${name}"`;
  });
  return `SELECT ${list.join(', ')} FROM (SELECT range AS i FROM range(${spec.rows}))`;
}

/**
 * Commit the Parquet files DuckDB wrote under `folder` as version 0 of a
 * table, with the commit protocol of the table layer. Each file is put into
 * the object store under the table's partition folders, and one snapshot
 * lists them all.
 */
async function commitFiles({ dist, store, dataset, folder, connection }) {
  const { parseTableName, tableDataPrefix } = dist.core;
  const { commitWithRetry, partitionPath } = dist.tables;
  const { database, table } = parseTableName(dataset.table);
  const commitId = `bench${Date.now().toString(16)}`;

  const counts = await connection.runAndReadAll(
    `SELECT filename, count(*)::BIGINT AS n FROM read_parquet('${folder}/**/*.parquet', filename = true) GROUP BY filename ORDER BY filename`,
  );
  const files = [];
  for (const [index, row] of counts.getRowObjectsJS().entries()) {
    const relative = path.relative(folder, row.filename);
    const partition = Object.fromEntries(
      dataset.partitionBy.map((name) => [
        name,
        decodeURIComponent(new RegExp(`${name}=([^/]+)`).exec(relative)[1]),
      ]),
    );
    const key = `${tableDataPrefix(database, table)}${partitionPath(dataset.partitionBy, partition)}/part-${commitId}-${String(index).padStart(4, '0')}.parquet`;
    const put = await store.put(key, fs.createReadStream(row.filename), {
      contentType: 'application/vnd.apache.parquet',
    });
    files.push({
      key,
      partition,
      rowCount: Number(row.n),
      sizeBytes: put.sizeBytes,
      sha256: put.sha256,
    });
  }

  const rowsAdded = files.reduce((sum, file) => sum + file.rowCount, 0);
  await commitWithRetry(store, database, table, async () => ({
    formatVersion: 1,
    database,
    table,
    version: 0,
    parentVersion: null,
    commitId,
    committedAt: new Date().toISOString(),
    principal: 'bench',
    operation: 'append',
    columns: Object.entries(dataset.columns).map(([name, column]) => ({ name, type: column.type })),
    partitionBy: [...dataset.partitionBy],
    files,
    inputs: [],
    summary: { rowsAdded, rowsSkippedAsDuplicate: 0, filesAdded: files.length, filesRemoved: 0 },
  }));
  return {
    table: dataset.table,
    partitionBy: [...dataset.partitionBy],
    rows: rowsAdded,
    files: files.map((file) => path.join(store.root, file.key)),
  };
}

/**
 * Build a lake in `lakeRoot` with `observationRows` rows in clinical.observations
 * and a twentieth as many in clinical.encounters and raw.fhir_resources. DuckDB
 * generates the rows with range() and writes them partitioned, because appending
 * ten million JavaScript row objects would take most of the time budget. The
 * files are then committed and registered as the runner would. Resolves with
 * each table's partition columns, row count and local file paths.
 */
async function generateLake({ lakeRoot, scratchDir, observationRows, onProgress }) {
  const dist = {
    core: require(distEntry('core')),
    storage: require(distEntry('storage')),
    tables: require(distEntry('tables')),
    catalog: require(distEntry('catalog')),
    pipeline: require(distEntry('pipeline')),
  };
  const datasets = dist.pipeline.loadDatasets(DATASETS_DIR);
  const store = new dist.storage.LocalObjectStore({ root: lakeRoot });
  const catalog = await dist.catalog.SqliteCatalog.open({
    path: path.join(lakeRoot, '_state', 'catalog.sqlite'),
  });
  const duck = await dist.tables.openDuckDb({
    threads: 2,
    memoryLimit: '2GB',
    tempDirectory: scratchDir,
  });

  try {
    const tables = [];
    for (const spec of tableSpecs({ observationRows })) {
      onProgress(`generating ${spec.rows.toLocaleString('en-US')} rows of ${spec.table}`);
      const dataset = datasets.get(spec.table);
      const folder = path.join(scratchDir, spec.table);
      const dataColumns = Object.keys(dataset.columns).map((name) => `"${name}"`);
      await duck.connection.run(
        `COPY (SELECT ${dataColumns.join(', ')} FROM (${generateSql(dataset, spec, dist.tables.duckDbType)})) ` +
          `TO '${folder}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${dataset.partitionBy.map((name) => `"${name}"`).join(', ')}))`,
      );
      tables.push(await commitFiles({ dist, store, dataset, folder, connection: duck.connection }));
      fs.rmSync(folder, { recursive: true, force: true });

      const { database, table } = dist.core.parseTableName(spec.table);
      await catalog.ensureDatabase(database);
      await catalog.upsertTable(
        dist.catalog.tableInputFromDataset(dataset, dist.core.tableDataPrefix(database, table)),
      );
    }
    return tables;
  } finally {
    dist.tables.closeDuckDb(duck);
    await catalog.close();
  }
}

module.exports = { generateLake, LOINC_CODES };
