// Real: the pipeline runner over synthetic ADT messages written to a temp folder, a local lake,
// DuckDB, SQLite and Parquet. Nothing is faked; the clock is fixed. The messages carry no real
// person's data.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ManualClock, resolvePrincipal } from '@carelake/core';
import { loadDatasets, loadPipelineFile, openLocalLake, runPipeline, type Lake } from '@carelake/pipeline';
import { DuckDbQueryEngine } from '@carelake/query';
import { REPO_ROOT } from './helpers';

interface AdtEvent {
  trigger: string;
  time: string;
  patient: string;
  visit?: string;
  patientClass?: string;
  dischargeTime?: string;
  mergedPatient?: string;
}

/** Build the ADT message of one event. PV1-19 is the visit number, PV1-44 and PV1-45 the admit and discharge times. */
function adtMessage(event: AdtEvent, controlId: string): string {
  const segments = [
    `MSH|^~\\&|ADT|HOSP|LAKE|CARELAKE|${event.time}||ADT^${event.trigger}|${controlId}|P|2.5.1`,
    `EVN|${event.trigger}|${event.time}`,
    `PID|1||${event.patient}^^^HOSP^MR||Synthetic^Person||19800101|U`,
  ];
  if (event.mergedPatient) segments.push(`MRG|${event.mergedPatient}^^^HOSP^MR`);
  if (event.visit) {
    const pv1 = Array.from({ length: 46 }, () => '');
    pv1[0] = 'PV1';
    pv1[1] = '1';
    pv1[2] = event.patientClass ?? 'I';
    pv1[19] = event.visit;
    pv1[44] = '202601011000';
    pv1[45] = event.dischargeTime ?? '';
    segments.push(pv1.join('|'));
  }
  return `${segments.join('\r')}\r`;
}

const EVENTS: AdtEvent[] = [
  { trigger: 'A01', time: '202601011000', patient: 'P1', visit: 'V1' },
  { trigger: 'A01', time: '202601011005', patient: 'P2', visit: 'V2' },
  { trigger: 'A01', time: '202601011010', patient: 'P2', visit: 'V3' },
  { trigger: 'A08', time: '202601011100', patient: 'P2', visit: 'V2', patientClass: 'O' },
  { trigger: 'A11', time: '202601011130', patient: 'P2', visit: 'V3' },
  { trigger: 'A40', time: '202601011200', patient: 'P2', mergedPatient: 'P1' },
  { trigger: 'A03', time: '202601011300', patient: 'P2', visit: 'V2', patientClass: 'O', dischargeTime: '202601011300' },
  { trigger: 'A13', time: '202601011330', patient: 'P2', visit: 'V2', patientClass: 'O', dischargeTime: '202601011300' },
];

describe('HL7 v2 updates, cancellations and merges', () => {
  let work: string;
  let lake: Lake;

  const query = async (sql: string): Promise<Record<string, unknown>[]> => {
    const principal = resolvePrincipal(loadConfig({ cwd: REPO_ROOT, env: {} }), 'admin');
    const engine = await DuckDbQueryEngine.open({ catalog: lake.catalog, tables: lake.tables, principal, limits: { threads: 1 } });
    try {
      return (await engine.queryAll(sql, { principal })).rows;
    } finally {
      await engine.close();
    }
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'carelake-adt-'));
    const inputs = join(work, 'inputs');
    await mkdir(inputs);
    // Files are named so that name order differs from event order: versions follow MSH-7.
    for (const [index, event] of [...EVENTS.entries()].reverse()) {
      await writeFile(join(inputs, `${String(EVENTS.length - index).padStart(2, '0')}-${event.trigger}.hl7`), adtMessage(event, `C${index}`));
    }
    const pipelineFile = join(work, 'adt.pipeline.yaml');
    await writeFile(
      pipelineFile,
      'name: adt\nsource: { type: directory, path: inputs }\noutputs: [clinical.patients, clinical.encounters]\n',
    );

    const config = loadConfig({ cwd: REPO_ROOT, env: { CARELAKE_LAKE_ROOT: join(work, 'lake') } });
    lake = await openLocalLake({ ...config, query: { threads: 1, memoryLimit: '512MB' } }, {
      clock: new ManualClock('2026-03-04T05:06:07.000Z'),
    });
    const datasets = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));
    await runPipeline({ lake, pipeline: loadPipelineFile(pipelineFile), datasets });
  });

  afterAll(async () => {
    await lake.close();
    await rm(work, { recursive: true, force: true });
  });

  it('keeps every event in the encounters history', async () => {
    const rows = await query('SELECT event_type, count(*) AS n FROM clinical.encounters GROUP BY event_type ORDER BY event_type');
    expect(rows.map((row) => [row['event_type'], Number(row['n'])])).toEqual([
      ['A01', 3],
      ['A03', 1],
      ['A08', 1],
      ['A11', 1],
      ['A13', 1],
    ]);
  });

  it('drops the merged patient from patients_current', async () => {
    const rows = await query('SELECT patient_key FROM clinical.patients_current ORDER BY patient_key');
    expect(rows.map((row) => row['patient_key'])).toEqual(['hl7v2:HOSP:P2']);
  });

  it('records whom the prior patient was merged into', async () => {
    const rows = await query("SELECT merged_into_key, is_deleted FROM clinical.patients WHERE event_type = 'A40' AND patient_key = 'hl7v2:HOSP:P1'");
    expect(rows).toEqual([{ merged_into_key: 'hl7v2:HOSP:P2', is_deleted: true }]);
  });

  it('shows the latest state of each encounter, with the survivor as patient', async () => {
    const rows = await query(
      'SELECT visit_number, patient_key, patient_class, event_type, discharge_time FROM clinical.encounters_current ORDER BY visit_number',
    );
    expect(rows).toEqual([
      // V1 belonged to P1, which the A40 merged into P2.
      { visit_number: 'V1', patient_key: 'hl7v2:HOSP:P2', patient_class: 'I', event_type: 'A01', discharge_time: null },
      // The A13 cancels the A03's discharge; the A08's patient class stays. V3's admit was cancelled by A11.
      { visit_number: 'V2', patient_key: 'hl7v2:HOSP:P2', patient_class: 'O', event_type: 'A13', discharge_time: null },
    ]);
  });
});
