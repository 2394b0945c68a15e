// Real: the acceptance pipeline set end to end: OpenSSH's sshd on loopback serving a copy of the
// shared HL7 v2 samples, an MLLP listener publishing to the lake's local stream (kinesalite on
// 127.0.0.1) and the stream worker, the Synthea bundles and an NDJSON copy made from them, the
// synthetic vocabulary releases, the lifecycle policies, the Safe Harbor profile, the built CLI
// for `grants apply` and `audit verify`, DuckDB, SQLite, Parquet. Faked: the clock, fixed.
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, resolvePrincipal } from '@carelake/core';
import { readGovernanceSnapshot } from '@carelake/governance';
import type { Lake } from '@carelake/pipeline';
import { DuckDbQueryEngine } from '@carelake/query';
import { startLoopbackSshd, type LoopbackSshd } from '@carelake/sftp';
import {
  digestTables,
  HL7V2_SAMPLES,
  openAcceptanceLake,
  runAcceptance,
  SFTP_KEY_VARIABLE,
  SYNTHEA_SAMPLES,
  writeNdjsonFromBundles,
  type AcceptanceInputs,
  type AcceptanceRun,
  type TableDigest,
} from './acceptance-fixtures';
import { fingerprintFolder, REPO_ROOT, runCli } from './helpers';

/** Resources of each type in the Synthea bundles, counted from the files. */
async function syntheaResourceCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of (await readdir(SYNTHEA_SAMPLES)).filter((file) => file.endsWith('.json'))) {
    const bundle = JSON.parse(await readFile(join(SYNTHEA_SAMPLES, name), 'utf8')) as { entry?: { resource?: { resourceType: string } }[] };
    for (const entry of bundle.entry ?? []) {
      const type = entry.resource?.resourceType ?? 'none';
      counts[type] = (counts[type] ?? 0) + 1;
    }
  }
  return counts;
}

describe('acceptance pipeline set', () => {
  let sshd: LoopbackSshd;
  let work: string;
  let lakeRoot: string;
  let lake: Lake;
  let inputs: AcceptanceInputs;
  let first: AcceptanceRun;
  let second: AcceptanceRun;
  let tables: Record<string, TableDigest>;
  let stateBefore: Record<string, string>;
  let stateAfter: Record<string, string>;
  let resources: Record<string, number>;
  let grants: ReturnType<typeof runCli>;
  const config = loadConfig({ cwd: REPO_ROOT, env: {} });

  const query = async (principalName: string, sql: string): Promise<Record<string, unknown>[]> => {
    const principal = resolvePrincipal(config, principalName);
    const governance = readGovernanceSnapshot(lakeRoot);
    const engine = await DuckDbQueryEngine.open({
      catalog: lake.catalog,
      tables: lake.tables,
      principal,
      ...(governance ? { governance } : {}),
      limits: lake.duckdb,
      prepareOnFirstStatement: true,
    });
    try {
      return (await engine.queryAll(sql, { principal })).rows;
    } finally {
      await engine.close();
    }
  };

  /** Folders a second run must leave as they are: table commits, ingest ledgers and quarantine. */
  const stateFolders = (): Record<string, string> => ({
    ...fingerprintFolder(join(lakeRoot, '_state', 'tables')),
    ...fingerprintFolder(join(lakeRoot, '_state', 'ingest')),
    ...fingerprintFolder(join(lakeRoot, 'quarantine')),
  });

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    work = await mkdtemp(join(tmpdir(), 'carelake-acceptance-'));
    lakeRoot = join(work, 'lake');
    const outbound = join(sshd.root, 'hl7v2');
    await cp(HL7V2_SAMPLES, outbound, { recursive: true });
    const ndjsonFolder = join(work, 'ndjson');
    await writeNdjsonFromBundles(ndjsonFolder);
    resources = await syntheaResourceCounts();
    process.env[SFTP_KEY_VARIABLE] = readFileSync(sshd.privateKeyPath, 'utf8');
    inputs = {
      sftp: { port: sshd.port, username: sshd.username, hostKeyFingerprint: sshd.hostKeyFingerprint, path: outbound },
      ndjsonFolder,
    };

    lake = await openAcceptanceLake(lakeRoot);
    first = await runAcceptance(lake, inputs);
    tables = await digestTables(lake);
    stateBefore = stateFolders();
    second = await runAcceptance(lake, inputs);
    stateAfter = stateFolders();
    await lake.close();

    grants = runCli(['grants', 'apply', '--as', 'admin'], lakeRoot);
    lake = await openAcceptanceLake(lakeRoot);
  });

  afterAll(async () => {
    delete process.env[SFTP_KEY_VARIABLE];
    await lake?.close();
    await sshd?.stop();
    await rm(work, { recursive: true, force: true });
  });

  /** Quarantine items of the lake, parsed, with the file name their landing key ends with. */
  const quarantineItems = async (): Promise<{ pipeline: string; file: string; position: Record<string, unknown> }[]> => {
    const items: { pipeline: string; file: string; position: Record<string, unknown> }[] = [];
    for await (const object of lake.store.list({ prefix: 'quarantine/' })) {
      const item = JSON.parse(Buffer.from(await lake.store.get(object.key)).toString('utf8')) as { landingKey: string; position: Record<string, unknown> };
      const { file: _landingKey, ...position } = item.position;
      items.push({ pipeline: object.key.split('/')[1] ?? '', file: item.landingKey.split('/').at(-1) ?? '', position });
    }
    return items.sort((a, b) => a.file.localeCompare(b.file));
  };

  it.each([
    // HL7 v2: the counts test/e2e/shared-samples.test.ts explains per message type, plus the
    // NORTH_CLINIC admission sent over MLLP only (one patient and one encounter row).
    { case: 'clinical.orders', resourceType: undefined, plus: 1 },
    { case: 'clinical.appointments', resourceType: undefined, plus: 1 },
    { case: 'clinical.documents', resourceType: undefined, plus: 2 },
    // Condition and Procedure resources of the bundles; no HL7 v2 mapping writes these tables.
    { case: 'clinical.conditions', resourceType: 'Condition', plus: 0 },
    { case: 'clinical.procedures', resourceType: 'Procedure', plus: 0 },
    // 5 RXA segments of the VXU samples, and every Immunization resource.
    { case: 'clinical.immunizations', resourceType: 'Immunization', plus: 5 },
    // 28 HL7 v2 patient events, 1 NORTH_CLINIC one, and every Patient resource.
    { case: 'clinical.patients', resourceType: 'Patient', plus: 28 + 1 },
    // 11 HL7 v2 visits, 1 NORTH_CLINIC one, and every Encounter resource.
    { case: 'clinical.encounters', resourceType: 'Encounter', plus: 11 + 1 },
    // 135 HL7 v2 OBX results; the FHIR observations transform writes 153 rows from the 144
    // Observation resources, one per value of the fhir.observation_component view.
    { case: 'clinical.observations', resourceType: undefined, plus: 135 + 153 },
  ])('stores the expected rows of $case', ({ case: table, resourceType, plus }) => {
    const fromBundles = resourceType === undefined ? 0 : (resources[resourceType] ?? Number.NaN);
    expect(tables[table]?.rows).toBe(fromBundles + plus);
  });

  it.each([
    // One row per key: 23 HL7 v2 patients (five events update a patient seen before), NORTH_CLINIC, 10 FHIR.
    { case: 'clinical.patients_current', rows: 23 + 1 + 10 },
    // 10 HL7 v2 visits (one visit has two events), NORTH_CLINIC, 139 FHIR encounters.
    { case: 'clinical.encounters_current', rows: 10 + 1 + 139 },
    { case: 'clinical.observations_current', rows: 287 },
    { case: 'clinical.immunizations_current', rows: 247 },
    { case: 'clinical.conditions_current', rows: 54 },
    { case: 'clinical.procedures_current', rows: 9 },
  ])('keeps one current row per key in $case', ({ case: table, rows }) => {
    expect(tables[table]?.rows).toBe(rows);
  });

  it('writes no medications table, because no bundle holds a MedicationRequest', () => {
    expect(resources['MedicationRequest']).toBeUndefined();
    expect(tables['clinical.medications']).toBeUndefined();
  });

  it('stores each raw segment and resource once', () => {
    // 447 segment rows of the files, plus from the stream the MSH and EVN that MLLP carries as a
    // message of the nested-BHS file, which the file run rejects whole, and the 4 segments of the
    // NORTH_CLINIC admission. Four resources repeat in the Synthea bundles.
    expect(tables['raw.hl7v2_segments']?.rows).toBe(447 + 2 + 4);
    expect(tables['raw.fhir_resources']?.rows).toBe(Object.values(resources).reduce((sum, n) => sum + n, 0) - 4);
  });

  it('recognises the MLLP messages as resends', () => {
    expect(first.mllp.messagesSent).toBe(46);
    expect(first.hl7v2Stream.recordsIn).toBe(46);
    expect(first.hl7v2Stream.rowsByTable).toMatchObject({ 'raw.hl7v2_segments': 6, 'clinical.patients': 1, 'clinical.encounters': 1, 'clinical.observations': 0 });
    expect(first.hl7v2Stream.rowsSkippedAsDuplicate).toBe(705);
    expect(first.hl7v2Stream.quarantined).toBe(0);
  });

  it('recognises the NDJSON copy as the bundles again', () => {
    expect(first.fhirNdjson.recordsIn).toBe(1000);
    expect(first.fhirNdjson.rowsOut).toBe(0);
    expect(first.fhirNdjson.rowsSkippedAsDuplicate).toBe(first.fhirBundles.rowsOut + first.fhirBundles.rowsSkippedAsDuplicate);
  });

  it('quarantines the invalid messages with their positions', async () => {
    expect(await quarantineItems()).toEqual([
      { pipeline: 'acceptance-hl7v2-sftp', file: 'invalid_batch_bhs_without_msh_01.hl7', position: { line: 2, segment: 'EVN' } },
      { pipeline: 'acceptance-hl7v2-sftp', file: 'invalid_file_nested_bhs_01.hl7', position: { line: 5, record: 0, segment: 'BHS[2]' } },
    ]);
  });

  it.each([
    // 12 HL7 v2 observation codes unknown and 5 retired (30956-7), and the CVX 110 immunization.
    // vocabularies/samples/README.md lists each left-out and retired code and the rows it affects.
    { case: 'HL7 v2 files', run: 'hl7v2Sftp', codes: { checked: 113, unknown: 13, retired: 5, quarantined: 0 } },
    // 9 observations (29463-7), 4 immunizations (115), 9 conditions unknown; 1 condition retired.
    { case: 'FHIR bundles', run: 'fhirBundles', codes: { checked: 449, unknown: 22, retired: 1, quarantined: 0 } },
    // The same resources again: checked before they are recognised as stored.
    { case: 'FHIR NDJSON', run: 'fhirNdjson', codes: { checked: 449, unknown: 22, retired: 1, quarantined: 0 } },
  ])('counts unknown codes of the $case', ({ run, codes }) => {
    expect(first[run as 'hl7v2Sftp' | 'fhirBundles' | 'fhirNdjson'].codes).toEqual(codes);
  });

  it('flags each unknown or retired code once', async () => {
    const [flags] = await query(
      'admin',
      `SELECT (SELECT count(*) FROM clinical.observations WHERE code_flags IS NOT NULL)::INTEGER AS observations,
              (SELECT count(*) FROM clinical.immunizations WHERE code_flags IS NOT NULL)::INTEGER AS immunizations,
              (SELECT count(*) FROM clinical.conditions WHERE code_flags IS NOT NULL)::INTEGER AS conditions`,
    );
    expect(flags).toEqual({ observations: 12 + 5 + 9, immunizations: 1 + 4, conditions: 9 + 1 });
  });

  it('applies the policies of pipelines/policies', () => {
    expect(grants.status).toBe(0);
    expect(grants.stdout).toMatch(/applied policies [0-9a-f]{12}: /);
  });

  it.each([
    {
      case: 'analyst: NORTH_CLINIC patients without PHI',
      principal: 'analyst',
      sql: 'SELECT * FROM clinical.patients',
      columns: [
        'assigning_authority', 'sex', 'state', 'country', 'primary_facility', 'primary_care_provider_id', 'event_type', 'is_deleted', 'event_time',
        'record_hash', 'source_format', 'source_system', 'source_id', 'source_file', 'source_position', 'ingested_at', 'facility',
      ],
      rows: [{ facility: 'NORTH_CLINIC', source_id: 'ACCEPT-NORTH-0001', sex: 'F', state: 'IL' }],
    },
    {
      case: 'analyst: NORTH_CLINIC encounters',
      principal: 'analyst',
      sql: 'SELECT facility, source_id FROM clinical.encounters',
      columns: ['facility', 'source_id'],
      rows: [{ facility: 'NORTH_CLINIC', source_id: 'ACCEPT-NORTH-0001' }],
    },
    { case: 'analyst: no NORTH_CLINIC observations', principal: 'analyst', sql: 'SELECT facility FROM clinical.observations', columns: ['facility'], rows: [] },
    {
      case: 'researcher: de-identified patients',
      principal: 'researcher',
      sql: 'SELECT * FROM deid.patients',
      columns: [
        'study_id', 'birth_date_year', 'age_90_or_older', 'sex', 'state', 'postal_code_zip3', 'country', 'primary_facility', 'event_type', 'is_deleted',
        'event_time_year', 'source_format', 'source_system', 'source_position', 'ingested_at_year', 'facility',
      ],
      rows: 34,
    },
    { case: 'researcher: de-identified encounters', principal: 'researcher', sql: 'SELECT study_id FROM deid.encounters', columns: ['study_id'], rows: 150 },
    { case: 'researcher: de-identified observations', principal: 'researcher', sql: 'SELECT study_id FROM deid.observations', columns: ['study_id'], rows: 287 },
    {
      case: 'steward: the study-id crosswalk',
      principal: 'steward',
      sql: 'SELECT * FROM restricted.deid_crosswalk',
      columns: ['profile', 'study_id', 'patient_key', 'assigned_at'],
      rows: 34,
    },
  ])('shows $case', async ({ principal, sql, columns, rows }) => {
    const result = await query(principal, sql);
    const described = await query(principal, `SELECT column_name FROM (DESCRIBE ${sql})`);

    expect(described.map((row) => row['column_name'])).toEqual(columns);
    if (typeof rows === 'number') expect(result).toHaveLength(rows);
    else expect(result.map((row) => Object.fromEntries(Object.keys(rows[0] ?? {}).map((key) => [key, row[key]])))).toEqual(rows);
  });

  it.each([
    { case: 'analyst: a PHI column', principal: 'analyst', sql: 'SELECT family_name FROM clinical.patients', error: 'Referenced column "family_name" not found' },
    { case: 'analyst: a raw table', principal: 'analyst', sql: 'SELECT count(*) FROM raw.hl7v2_segments', error: 'table raw.hl7v2_segments is not granted to you' },
    { case: 'analyst: a deid table', principal: 'analyst', sql: 'SELECT count(*) FROM deid.patients', error: 'table deid.patients is not granted to you' },
    { case: 'researcher: a clinical table', principal: 'researcher', sql: 'SELECT count(*) FROM clinical.patients', error: 'table clinical.patients is not granted to you' },
    { case: 'researcher: the crosswalk', principal: 'researcher', sql: 'SELECT count(*) FROM restricted.deid_crosswalk', error: 'table restricted.deid_crosswalk is not granted to you' },
    { case: 'steward: clinical rows', principal: 'steward', sql: 'SELECT count(*) FROM clinical.patients', error: 'table clinical.patients is not granted to you' },
    { case: 'steward: deid rows', principal: 'steward', sql: 'SELECT count(*) FROM deid.patients', error: 'table deid.patients is not granted to you' },
  ])('hides $case', async ({ principal, sql, error }) => {
    await expect(query(principal, sql)).rejects.toThrow(error);
  });

  it('changes nothing on a second run', () => {
    expect(second.hl7v2Sftp.filesAlreadyIngested).toBe(41);
    expect(second.fhirBundles.filesAlreadyIngested).toBe(12);
    expect(second.fhirNdjson.filesAlreadyIngested).toBe(13);
    expect(second.hl7v2Stream.recordsIn).toBe(46);
    for (const run of [second.hl7v2Sftp, second.fhirBundles, second.fhirNdjson, second.hl7v2Stream]) expect(run.rowsOut).toBe(0);
    expect(second.lifecycle).toEqual({ transitions: 0, expired: 0 });
    expect(Object.keys(stateAfter).length).toBeGreaterThan(100);
    expect(stateAfter).toEqual(stateBefore);
  });

  it('verifies the audit log, then reports an edited event', async () => {
    await lake.close();
    const ok = runCli(['audit', 'verify'], lakeRoot);
    const segments = join(lakeRoot, '_audit', 'segments');
    // Each process that wrote events has its own segment; edit the second event of the first
    // segment that has two.
    let segment = '';
    let lines: string[] = [];
    for (const name of (await readdir(segments)).sort()) {
      lines = (await readFile(join(segments, name), 'utf8')).split('\n');
      segment = name;
      if (lines.filter(Boolean).length >= 2) break;
    }
    const path = join(segments, segment);
    lines[1] = (lines[1] as string).replace('"outcome":"success"', '"outcome":"failure"');
    await writeFile(path, lines.join('\n'));
    const broken = runCli(['audit', 'verify'], lakeRoot);
    lake = await openAcceptanceLake(lakeRoot);

    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^audit log ok: \d+ event\(s\)/);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`audit log broken: segments/${segment}:2 seq 1: hash-mismatch`);
  });
});
