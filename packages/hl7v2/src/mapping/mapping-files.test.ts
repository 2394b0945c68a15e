// Real: the repository mapping and dataset files over shared and synthetic messages. Faked: nothing.
import type { DatasetDefinition, Row } from '@carelake/core';
import { listHl7Fixtures, readHl7Fixture } from '../__fixtures__/testdata';
import { parseHl7File } from '../parse-file';
import { INGESTED_AT, mapInline, segment } from './__fixtures__/inline-mapping';
import { loadRepositoryDatasets, readBuiltInMappings } from './__fixtures__/repository-files';
import { compileHl7Mappings } from './compile/compile-mappings';
import { mapHl7Message } from './map-message';

const DATASETS = loadRepositoryDatasets();
const MAPPINGS = compileHl7Mappings(readBuiltInMappings(), { datasets: DATASETS });
const CLINICAL_TABLES = [
  'clinical.appointments',
  'clinical.documents',
  'clinical.encounters',
  'clinical.immunizations',
  'clinical.observations',
  'clinical.orders',
  'clinical.patients',
];

/** Map every message of a shared test file and collect the rows by table. */
function mapFixture(name: string): Map<string, Row[]> {
  const rowsByTable = new Map<string, Row[]>();
  for (const message of parseHl7File(readHl7Fixture(name), { file: name }).messages) {
    const mapped = mapHl7Message(message, {
      sourceFile: `landing/hl7/${name}`,
      ingestedAt: INGESTED_AT,
      mappings: MAPPINGS,
    });
    for (const [table, rows] of mapped.tables)
      rowsByTable.set(table, [...(rowsByTable.get(table) ?? []), ...rows]);
  }
  return rowsByTable;
}

function rowsOf(name: string, table: string): Row[] {
  return mapFixture(name).get(table) ?? [];
}

/** Map synthetic segments with the built-in mappings and return one table's rows. */
function mapSynthetic(segments: readonly string[], table: string): Row[] {
  return mapInline(MAPPINGS, segments).tables.get(table) ?? [];
}

/** List what is wrong with a row against its dataset, naming columns only. */
function rowIssues(row: Row, dataset: DatasetDefinition): string[] {
  const issues: string[] = [];
  for (const [name, column] of Object.entries(dataset.columns)) {
    const value = row[name];
    if (value === null) {
      if (!column.nullable) issues.push(`${name} is null`);
      continue;
    }
    const fits = {
      string: typeof value === 'string',
      int: typeof value === 'number' && Number.isInteger(value),
      bigint: typeof value === 'number' && Number.isInteger(value),
      double: typeof value === 'number' && Number.isFinite(value),
      boolean: typeof value === 'boolean',
      date: value instanceof Date && value.toISOString().endsWith('T00:00:00.000Z'),
      timestamp: value instanceof Date && !Number.isNaN(value.getTime()),
    }[column.type];
    if (!fits) issues.push(`${name} is not a ${column.type}`);
  }
  return issues;
}

const iso = (value: unknown): string | undefined =>
  value instanceof Date ? value.toISOString() : undefined;

describe('built-in mapping files', () => {
  it('feed the clinical tables', () => {
    expect(MAPPINGS.tables.sort()).toEqual(CLINICAL_TABLES);
  });

  it.each(listHl7Fixtures().map((name) => ({ case: name })))(
    'map $case to rows that fit their datasets',
    ({ case: name }) => {
      for (const [table, rows] of mapFixture(name)) {
        const dataset = DATASETS.get(table);
        if (!dataset) throw new Error(`no dataset for ${table}`);
        for (const row of rows) {
          expect(Object.keys(row).sort()).toEqual(Object.keys(dataset.columns).sort());
          expect(rowIssues(row, dataset)).toEqual([]);
        }
      }
    },
  );

  it('give every clinical table rows from the shared files', () => {
    const fed = new Set(listHl7Fixtures().flatMap((name) => [...mapFixture(name).keys()]));

    expect([...fed].sort()).toEqual(CLINICAL_TABLES);
  });
});

describe('clinical.patients', () => {
  it('maps a PID', () => {
    const [patient] = rowsOf('oru_r01_lri_cbc_cwe_nm_tx_bom_01.hl7', 'clinical.patients');

    expect(patient).toMatchObject({
      patient_key: 'hl7v2:NIST MPI:PATID1234',
      patient_id: 'PATID1234',
      assigning_authority: 'NIST MPI',
      sex: 'M',
      merged_into_key: null,
      event_type: 'R01',
      is_deleted: false,
      source_format: 'hl7v2',
      source_system: 'NIST Test Lab APP^NIST Lab Facility',
      source_id: 'NIST-LRI-NG-002.00',
      source_file: 'landing/hl7/oru_r01_lri_cbc_cwe_nm_tx_bom_01.hl7',
      source_position: 0,
      facility: 'NIST Lab Facility',
    });
    expect(iso(patient?.['birth_date'])).toBe('1961-06-15T00:00:00.000Z');
    expect(iso(patient?.['event_time'])).toBe('2011-05-31T19:05:51.000Z');
  });

  it('reads PD1 after the PID', () => {
    const [patient] = rowsOf('adt_a01_fhirconv_01.hl7', 'clinical.patients');

    expect(patient).toMatchObject({
      patient_key: 'hl7v2:test1:PATID1234',
      primary_care_provider_id: '88',
      event_type: 'A01',
    });
  });

  it('falls back to MSH-4 for the authority', () => {
    const [patient] = rowsOf('adt_a04_classic_mcm_01.hl7', 'clinical.patients');

    expect(patient).toMatchObject({
      patient_key: 'hl7v2:MCM:PATID1234',
      assigning_authority: null,
    });
  });

  it('writes no row for a PID without PID-3.1', () => {
    const rows = mapSynthetic(
      ['MSH|^~\\&|ADMIT|NORTH|||20240102||ADT^A08|C-1|P|2.5', 'PID|1||^^^NORTH-MRN'],
      'clinical.patients',
    );

    expect(rows).toEqual([]);
  });

  it('maps a merge to the survivor and a deleted prior patient', () => {
    const rows = mapSynthetic(
      [
        'MSH|^~\\&|ADMIT|NORTH|||20240301101500+0000||ADT^A40^ADT_A39|M-1|P|2.5',
        'EVN|A40|20240301101500',
        'PID|1||MRN-1^^^NORTH-MRN^MR||TESTER^ALEX',
        'MRG|MRN-2^^^NORTH-MRN^MR',
        'PID|2||MRN-3^^^NORTH-MRN^MR||TESTER^SAM',
        'MRG|MRN-4',
      ],
      'clinical.patients',
    );

    expect(
      rows.map((row) => [
        row['patient_key'],
        row['is_deleted'],
        row['merged_into_key'],
        row['event_type'],
      ]),
    ).toEqual([
      ['hl7v2:NORTH-MRN:MRN-1', false, null, 'A40'],
      ['hl7v2:NORTH-MRN:MRN-3', false, null, 'A40'],
      ['hl7v2:NORTH-MRN:MRN-2', true, 'hl7v2:NORTH-MRN:MRN-1', 'A40'],
      ['hl7v2:NORTH:MRN-4', true, 'hl7v2:NORTH-MRN:MRN-3', 'A40'],
    ]);
    expect(new Set(rows.map((row) => row['record_hash'])).size).toBe(4);
  });
});

describe('clinical.encounters', () => {
  const admit = [
    'MSH|^~\\&|ADMIT|NORTH|||20240105083000+0000||ADT^A01|E-1|P|2.5',
    'EVN|A01|20240105083000',
    'PID|1||MRN-1^^^NORTH-MRN',
    segment('PV1', {
      1: '1',
      2: 'I',
      3: 'WARD^12^B^NORTH',
      7: 'D-1^DOC^DANA',
      10: 'MED',
      19: 'V-100',
      36: '01',
      37: 'HOME',
      44: '20240105080000',
      45: '20240107120000',
    }),
    segment('PV2', { 3: 'R-1^Chest pain', 8: '20240105', 9: '20240108' }),
  ];
  const asEvent = (trigger: string): string[] =>
    admit.map((segment) => segment.replaceAll('A01', trigger));

  it('maps a PV1 and PV2', () => {
    const [encounter] = mapSynthetic(admit, 'clinical.encounters');

    expect(encounter).toMatchObject({
      encounter_key: 'hl7v2:ADMIT^NORTH:V-100',
      patient_key: 'hl7v2:NORTH-MRN:MRN-1',
      visit_number: 'V-100',
      patient_class: 'I',
      location_point_of_care: 'WARD',
      location_room: '12',
      location_bed: 'B',
      location_facility: 'NORTH',
      attending_id: 'D-1',
      hospital_service: 'MED',
      discharge_disposition: '01',
      discharged_to_location: 'HOME',
      admit_reason_code: 'R-1',
      admit_month: '2024-01',
      event_type: 'A01',
      is_deleted: false,
    });
    expect(iso(encounter?.['admit_time'])).toBe('2024-01-05T08:00:00.000Z');
    expect(iso(encounter?.['discharge_time'])).toBe('2024-01-07T12:00:00.000Z');
    expect(iso(encounter?.['expected_admit_time'])).toBe('2024-01-05T00:00:00.000Z');
    expect(iso(encounter?.['expected_discharge_time'])).toBe('2024-01-08T00:00:00.000Z');
  });

  it.each([
    { case: 'A03 discharge', trigger: 'A03', deleted: false, discharged: true },
    { case: 'A08 update', trigger: 'A08', deleted: false, discharged: true },
    { case: 'A11 cancel admit', trigger: 'A11', deleted: true, discharged: true },
    { case: 'A13 cancel discharge', trigger: 'A13', deleted: false, discharged: false },
  ])('maps $case', ({ trigger, deleted, discharged }) => {
    const [encounter] = mapSynthetic(asEvent(trigger), 'clinical.encounters');

    expect(encounter?.['encounter_key']).toBe('hl7v2:ADMIT^NORTH:V-100');
    expect(encounter?.['event_type']).toBe(trigger);
    expect(encounter?.['is_deleted']).toBe(deleted);
    expect(encounter?.['discharge_time'] !== null).toBe(discharged);
  });

  it('maps no encounter from a message outside the list', () => {
    expect(mapSynthetic(asEvent('A31'), 'clinical.encounters')).toEqual([]);
  });

  it.each([
    {
      case: 'adt_a01_v23_utf8_bom_01.hl7',
      key: 'hl7v2:AccMgr^1:40007716',
      patientClass: 'I',
      admitTime: '2005-01-09T21:55:02.000Z',
    },
    {
      case: 'adt_a03_nist_syndromic_01.hl7',
      key: 'hl7v2:^LakeMichMC:33333_001',
      patientClass: null,
      admitTime: '2012-04-01T21:30:00.000Z',
    },
    {
      case: 'adt_a04_epic_trailing_pipes_01.hl7',
      key: 'hl7v2:EPIC^EPICADT:2688684',
      patientClass: 'O',
      admitTime: '1999-12-27T14:08:00.000Z',
    },
  ])('maps the PV1 of $case', ({ case: name, key, patientClass, admitTime }) => {
    const [encounter] = rowsOf(name, 'clinical.encounters');

    expect(encounter?.['encounter_key']).toBe(key);
    expect(encounter?.['patient_class']).toBe(patientClass);
    expect(iso(encounter?.['admit_time'])).toBe(admitTime);
  });
});

describe('clinical.observations', () => {
  it('maps an LRI lab result', () => {
    const rows = rowsOf('oru_r01_lri_cbc_cwe_nm_tx_bom_01.hl7', 'clinical.observations');
    const [first] = rows;

    expect(first).toMatchObject({
      observation_key: 'hl7v2:NIST Test Lab APP^NIST Lab Facility:NIST-LRI-NG-002.00:1',
      patient_key: 'hl7v2:NIST MPI:PATID1234',
      order_key: 'hl7v2:placer:NIST EHR:ORD666555',
      code: '26453-1',
      code_system: 'LN',
      value_type: 'NM',
      value_text: '4.41',
      value_number: 4.41,
      unit: '10*6/uL',
      reference_range: '4.3 to 6.2',
      interpretation: 'N',
      status: 'F',
      effective_month: '2011-01',
      is_deleted: false,
    });
    expect(iso(first?.['effective_time'])).toBe('2011-01-03T22:34:28.000Z');
    expect(rows.map((row) => String(row['observation_key']).split(':').pop())).toEqual(
      rows.map((_, index) => String(index + 1)),
    );
  });

  it('types coded, reference and numeric values', () => {
    const rows = rowsOf('oru_r01_cwe_ed_nm_rp_01.hl7', 'clinical.observations');

    expect(
      rows.map((row) => [
        row['value_type'],
        row['value_code'],
        row['value_code_system'],
        row['value_number'],
        row['order_key'],
      ]),
    ).toEqual([
      ['RP', null, null, null, null],
      ['ED', null, null, null, 'hl7v2:filler:IA PHIMS Stage:986'],
      ['CWE', '27268008', 'SCT', null, 'hl7v2:placer:GHH OE:845439'],
      ['RP', null, null, null, 'hl7v2:placer:GHH OE:845439'],
      ['NM', null, null, 27, 'hl7v2:placer:GHH OE:845439'],
    ]);
    expect(rows[0]?.['value_text']).toBe('https://testurl.com^^SD^PICT');
  });

  it('reads TS values as times and groups them by OBX-4', () => {
    const rows = rowsOf('vxu_v04_nist_iz_01.hl7', 'clinical.observations').slice(0, 4);

    expect(
      rows.map((row) => [
        row['code'],
        row['observation_sub_id'],
        row['value_code'],
        iso(row['value_time']),
      ]),
    ).toEqual([
      ['64994-7', '1', 'V03', undefined],
      ['30956-7', '2', '88', undefined],
      ['29768-9', '2', null, '2012-07-02T00:00:00.000Z'],
      ['29769-7', '2', null, '2012-08-14T00:00:00.000Z'],
    ]);
    expect(rows[0]?.['order_key']).toBe('hl7v2:filler:NDA:IZ-783278');
  });

  it('reads SN values that are plain numbers', () => {
    const rows = rowsOf('oru_r01_ghh_glucose_sn_fn_01.hl7', 'clinical.observations');

    expect(rows.map((row) => [row['value_type'], row['value_text'], row['value_number']])).toEqual([
      ['SN', '^182', 182],
      ['FN', '^182', null],
    ]);
  });

  it('leaves out the OBX of MDM documents', () => {
    expect(rowsOf('mdm_t02_tx_v23_01.hl7', 'clinical.observations')).toEqual([]);
  });

  it('marks result status D as a delete', () => {
    const rows = mapSynthetic(
      [
        'MSH|^~\\&|LAB|SOUTH|||20240301||ORU^R01|L-1|P|2.5.1',
        'PID|1||P-1',
        'OBR|1|PL-1',
        'OBX|1|NM|HR||72||||||D',
      ],
      'clinical.observations',
    );

    expect(rows[0]).toMatchObject({ is_deleted: true, order_key: 'hl7v2:placer:SOUTH:PL-1' });
  });
});

describe('clinical.orders', () => {
  it('maps the ORC and OBR of an ORM', () => {
    const [order] = rowsOf('orm_o01_fhirconv_bom_01.hl7', 'clinical.orders');

    expect(order).toMatchObject({
      order_key: 'hl7v2:placer:GHHPlacer:1101',
      patient_key: 'hl7v2:test1:PATID1234',
      placer_order_number: '1101',
      filler_order_number: '1201',
      order_control: 'NW',
      order_status: 'SC',
      code: '24725-4',
      code_system: 'LN',
      ordering_provider_id: '3850',
      order_month: '2021-10',
      event_type: 'O01',
      is_deleted: false,
    });
    expect(iso(order?.['order_time'])).toBe('2021-10-20T09:11:00.000Z');
  });

  it.each([
    { case: 'CA', control: 'CA', deleted: true },
    { case: 'OC', control: 'OC', deleted: true },
    { case: 'NW', control: 'NW', deleted: false },
  ])('maps order control $case', ({ control, deleted }) => {
    const rows = mapSynthetic(
      [
        'MSH|^~\\&|EHR|NORTH|||20240301||OML^O21|O-1|P|2.5.1',
        'PID|1||P-1',
        `ORC|${control}||F-1^LAB`,
        'OBR|1||F-1^LAB|CODE-A',
      ],
      'clinical.orders',
    );

    expect(rows.map((row) => [row['order_key'], row['is_deleted']])).toEqual([
      ['hl7v2:filler:LAB:F-1', deleted],
    ]);
  });
});

describe('clinical.immunizations', () => {
  it('maps each RXA with its ORC and RXR', () => {
    const rows = rowsOf('vxu_v04_nist_iz_01.hl7', 'clinical.immunizations');

    expect(
      rows.map((row) => [
        row['immunization_key'],
        row['vaccine_code'],
        row['vaccine_code_system'],
        row['amount'],
        row['route'],
        row['completion_status'],
      ]),
    ).toEqual([
      ['hl7v2:filler:NDA:IZ-783278', '140', 'CVX', 0.5, 'C28161', 'CP'],
      ['hl7v2:filler:NDA:IZ-783276', '133', 'CVX', null, null, null],
      ['hl7v2:filler:NDA:IZ-783282', '110', 'CVX', 0.5, 'C28161', 'CP'],
    ]);
    expect(rows[0]).toMatchObject({
      patient_key: 'hl7v2:MAA:252430',
      lot_number: 'W1356FE',
      manufacturer_code: 'SKB',
      site: 'RA',
      administered_month: '2012-08',
    });
    expect(iso(rows[0]?.['administered_time'])).toBe('2012-08-14T00:00:00.000Z');
    expect(iso(rows[0]?.['expiration_date'])).toBe('2012-12-14T00:00:00.000Z');
    expect(rows[1]?.['information_source']).toBe('01');
  });

  it('marks RXA-21 D as a delete', () => {
    const rows = mapSynthetic(
      [
        'MSH|^~\\&|EHR|NORTH|||20240301||VXU^V04|V-1|P|2.5.1',
        'PID|1||P-1',
        'ORC|RE||IZ-1^EHR',
        segment('RXA', { 1: '0', 2: '1', 3: '20240301', 5: '08^HepB^CVX', 6: '999', 21: 'D' }),
      ],
      'clinical.immunizations',
    );

    expect(rows[0]).toMatchObject({
      immunization_key: 'hl7v2:filler:EHR:IZ-1',
      action_code: 'D',
      is_deleted: true,
      amount: null,
    });
  });
});

describe('clinical.appointments', () => {
  const booking = [
    'MSH|^~\\&|SCHED|NORTH|||20240301||SIU^S12|S-1|P|2.5',
    segment('SCH', { 1: 'PL-7', 2: 'FL-7^SCHED', 7: 'R-1^Checkup', 8: 'ROUTINE', 25: 'Booked' }),
    segment('TQ1', { 7: '20240310090000+0000', 8: '20240310093000+0000' }),
    'PID|1||MRN-1^^^NORTH-MRN',
    'AIS|1|A|SVC-1^Visit',
    'AIL|1||ROOM-1^^^NORTH',
    'AIP|1||DOC-1^DOC^DANA',
  ];

  it('maps a shared SIU', () => {
    const [appointment] = rowsOf('siu_s12_fhirconv_01.hl7', 'clinical.appointments');

    expect(appointment).toMatchObject({
      appointment_key: 'hl7v2:filler:GHHSFacility:36996',
      patient_key: 'hl7v2:test1:PATID1234',
      placer_appointment_id: '12345',
      filler_appointment_id: '36996',
      duration: 50,
      duration_unit: 'min',
      status: 'Booked',
      service_code: '76164006',
      location: '055',
      resource_id: '1210',
      start_month: '2021-09',
      event_type: 'S12',
    });
    expect(iso(appointment?.['start_time'])).toBe('2021-09-24T07:15:00.000Z');
    expect(iso(appointment?.['end_time'])).toBe('2021-09-24T08:05:00.000Z');
  });

  it.each([
    { case: 'S12 new', trigger: 'S12', deleted: false },
    { case: 'S15 cancel', trigger: 'S15', deleted: false },
    { case: 'S17 delete', trigger: 'S17', deleted: true },
  ])('maps $case', ({ trigger, deleted }) => {
    const rows = mapSynthetic(
      booking.map((segment) => segment.replace('SIU^S12', `SIU^${trigger}`)),
      'clinical.appointments',
    );

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      appointment_key: 'hl7v2:filler:SCHED:FL-7',
      patient_key: 'hl7v2:NORTH-MRN:MRN-1',
      reason_code: 'R-1',
      appointment_type: 'ROUTINE',
      status: 'Booked',
      location: 'ROOM-1',
      resource_id: 'DOC-1',
      event_type: trigger,
      is_deleted: deleted,
    });
  });
});

describe('clinical.documents', () => {
  it('joins the TX lines of a transcribed note', () => {
    const [document] = rowsOf('mdm_t02_tx_v23_01.hl7', 'clinical.documents');

    expect(document).toMatchObject({
      document_key: 'hl7v2:SFAC:2RWRVAJ627408',
      patient_key: 'hl7v2:SIMULATOR MRN:3196695816',
      document_type: 'DS',
      completion_status: 'IP',
      content_ref: null,
      content_media_type: 'text/plain',
      activity_month: '2021-08',
      event_type: 'T02',
      is_deleted: false,
    });
    expect(String(document?.['content_text']).split('\n')).toHaveLength(29);
  });

  it('maps a document whose ED has no data', () => {
    const [document] = rowsOf('mdm_t02_ed_01.hl7', 'clinical.documents');

    expect(document).toMatchObject({
      document_key: 'hl7v2:XYZHOSPITAL:1.2.840.317.5947431.51.20080131160038',
      parent_document_key: 'hl7v2:XYZHOSPITAL:1.2.840.317.5947431.51.20080131155715',
      placer_order_number: '00012345',
      completion_status: 'AU',
      content_text: null,
      content_ref: null,
    });
  });

  it.each([
    { case: 'T02 original with content', trigger: 'T02', deleted: false },
    { case: 'T11 cancel', trigger: 'T11', deleted: true },
  ])('maps $case', ({ trigger, deleted }) => {
    const rows = mapSynthetic(
      [
        `MSH|^~\\&|DOCS|NORTH|||20240105||MDM^${trigger}|D-1|P|2.5`,
        'PID|1||MRN-1',
        segment('TXA', { 1: '1', 2: 'DS', 3: 'ED', 12: 'DOC-9' }),
        'OBX|1|ED|PDF||^AP^PDF^Base64^JVBERi0=',
      ],
      'clinical.documents',
    );

    expect(rows[0]).toMatchObject({
      document_key: 'hl7v2:NORTH:DOC-9',
      content_media_type: 'application/pdf',
      content_size: 5,
      is_deleted: deleted,
    });
  });
});
