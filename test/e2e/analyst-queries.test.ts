// Real: the built carelake CLI in child processes, the demo pipeline over its synthetic inputs
// into a local lake in a temp folder, DuckDB and the audit log. Nothing is faked.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers';

// Expected rows come from pipelines/demo/inputs. adt_a01_admit.hl7 admits DEMO1001 at
// NORTH_CLINIC to WARD1. oru_r01_lab_results.hl7 has two results for DEMO1001 (2093-3 and
// 2571-8, 2024-01-06) and one for DEMO2002 at SOUTH_CLINIC (4548-4, 2024-02-11).
// fhir_bundle_patient.json has a weight (29463-7, 09:40) and a blood pressure with two
// components (8480-6 and 8462-4, 09:45) for demo-patient-3003 on 2024-03-01.
const ANALYST_QUERIES = [
  {
    case: 'counts by partition',
    sql: `SELECT effective_month, count(*) AS results, count(DISTINCT patient_key) AS patients
          FROM clinical.observations
          GROUP BY effective_month
          ORDER BY effective_month`,
    csv: ['effective_month,results,patients', '2024-01,2,1', '2024-02,1,1', '2024-03,3,1'],
  },
  {
    case: 'a join of encounters and observations',
    sql: `SELECT e.encounter_key, e.location_point_of_care AS ward, count(*) AS results,
                 string_agg(o.code, ' ' ORDER BY o.code) AS codes
          FROM clinical.encounters AS e
          JOIN clinical.observations AS o ON o.patient_key = e.patient_key
          GROUP BY ALL
          ORDER BY e.encounter_key`,
    csv: [
      'encounter_key,ward,results,codes',
      'hl7v2:DEMO_ADT^NORTH_CLINIC:DEMO-ADT-0001,WARD1,2,2093-3 2571-8',
    ],
  },
  {
    case: 'a window function',
    sql: `SELECT patient_key, code,
                 row_number() OVER (PARTITION BY patient_key ORDER BY effective_time, code) AS n,
                 count(*) OVER (PARTITION BY patient_key) AS patient_results,
                 lag(code) OVER (PARTITION BY patient_key ORDER BY effective_time, code) AS previous_code
          FROM clinical.observations
          ORDER BY patient_key, n`,
    csv: [
      'patient_key,code,n,patient_results,previous_code',
      'fhir:Patient/demo-patient-3003,29463-7,1,3,',
      'fhir:Patient/demo-patient-3003,8462-4,2,3,29463-7',
      'fhir:Patient/demo-patient-3003,8480-6,3,3,8462-4',
      'hl7v2:NORTH_CLINIC:DEMO1001,2093-3,1,2,',
      'hl7v2:NORTH_CLINIC:DEMO1001,2571-8,2,2,2093-3',
      'hl7v2:SOUTH_CLINIC:DEMO2002,4548-4,1,1,',
    ],
  },
  {
    case: 'a Trino-style JSON extraction',
    sql: `SELECT resource_id,
                 json_extract_scalar(resource_json, '$.code.coding[0].code') AS code,
                 json_extract_scalar(resource_json, '$.valueQuantity.value') AS value,
                 json_array_length(json_extract(resource_json, '$.component')) AS components,
                 date_format(from_iso8601_timestamp(json_extract_scalar(resource_json, '$.effectiveDateTime')), '%Y-%m-%d %H:%i') AS effective
          FROM raw.fhir_resources
          WHERE resource_type = 'Observation'
          ORDER BY resource_id`,
    csv: [
      'resource_id,code,value,components,effective',
      'demo-bp-1,85354-9,,2,2024-03-01 09:45',
      'demo-weight-1,29463-7,71.4,,2024-03-01 09:40',
    ],
  },
];

describe('analyst queries over the demo lake', () => {
  let lakeRoot: string;

  beforeAll(async () => {
    lakeRoot = await mkdtemp(join(tmpdir(), 'carelake-analyst-'));
    const run = runCli(['pipeline', 'run', 'pipelines/demo.pipeline.yaml'], lakeRoot);
    expect(run.status).toBe(0);
  });

  afterAll(async () => {
    await rm(lakeRoot, { recursive: true, force: true });
  });

  // As admin, because no policies are applied to this lake and access is denied by default.
  // governance-matrix.test.ts checks what the analyst reads under the repository's policies.
  it.each(ANALYST_QUERIES)('runs $case', ({ sql, csv }) => {
    const run = runCli(['query', sql, '--as', 'admin', '--format', 'csv'], lakeRoot);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual(csv);
  });
});
