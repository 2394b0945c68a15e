// Real: the shared public HL7 v2 test files, the dataset files of the repository (read with the
// core YAML loader), and the mapping over both. Faked: nothing; ingestedAt is a fixed Date.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { datasetSchema, parseYamlDocument, type DatasetDefinition, type Row } from '@carelake/core';
import { listHl7Fixtures, readHl7Fixture, SYNTHETIC_ADT_SEGMENTS } from '../__fixtures__/testdata';
import type { Hl7Message } from '../message';
import { parseHl7File } from '../parse-file';
import { mapHl7Message } from './map-message';

const DATASETS_DIR = resolve(__dirname, '../../../../pipelines/datasets');
const INGESTED_AT = new Date('2026-01-15T10:00:00.000Z');

function loadDataset(table: string): DatasetDefinition {
  const file = resolve(DATASETS_DIR, `${table}.dataset.yaml`);
  return parseYamlDocument(readFileSync(file, 'utf8'), file, datasetSchema);
}

const DATASETS = {
  segments: loadDataset('raw.hl7v2_segments'),
  patients: loadDataset('clinical.patients'),
  observations: loadDataset('clinical.observations'),
};

function parseFixture(name: string): Hl7Message[] {
  return parseHl7File(readHl7Fixture(name), { file: name }).messages;
}

function mapFixture(name: string, messageIndex = 0) {
  const message = parseFixture(name)[messageIndex];
  if (!message) throw new Error(`${name} has no message ${messageIndex}`);
  return mapHl7Message(message, { sourceFile: `landing/hl7/${name}`, ingestedAt: INGESTED_AT });
}

function mapText(text: string) {
  const [message] = parseHl7File(text).messages;
  if (!message) throw new Error('the inline message did not parse');
  return mapHl7Message(message, { sourceFile: 'landing/hl7/inline.hl7', ingestedAt: INGESTED_AT });
}

/** Describe what is wrong with a row against its dataset, as a list naming columns only. */
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

describe('mapHl7Message rows match their datasets', () => {
  it.each(listHl7Fixtures().map((name) => ({ case: name })))('$case', ({ case: name }) => {
    for (const message of parseFixture(name)) {
      const mapped = mapHl7Message(message, { sourceFile: name, ingestedAt: INGESTED_AT });

      expect(mapped.segments).toHaveLength(message.segments.length);
      for (const table of ['segments', 'patients', 'observations'] as const) {
        const columns = Object.keys(DATASETS[table].columns).sort();
        for (const row of mapped[table]) {
          expect(Object.keys(row).sort()).toEqual(columns);
          expect(rowIssues(row, DATASETS[table])).toEqual([]);
        }
      }
    }
  });
});

describe('mapHl7Message values', () => {
  it('maps an LRI lab result', () => {
    const { patients, observations, segments, warnings } = mapFixture(
      'oru_r01_lri_cbc_cwe_nm_tx_bom_01.hl7',
    );
    const [patient] = patients;
    const [first] = observations;

    expect(warnings).toEqual([]);
    expect(patients).toHaveLength(1);
    expect(patient).toMatchObject({
      patient_key: 'hl7v2:NIST MPI:PATID1234',
      patient_id: 'PATID1234',
      assigning_authority: 'NIST MPI',
      family_name: 'Jones',
      given_name: 'William',
      sex: 'M',
      is_deleted: false,
      source_format: 'hl7v2',
      source_system: 'NIST Test Lab APP^NIST Lab Facility',
      source_id: 'NIST-LRI-NG-002.00',
      source_file: 'landing/hl7/oru_r01_lri_cbc_cwe_nm_tx_bom_01.hl7',
      source_position: 0,
      facility: 'NIST Lab Facility',
    });
    expect(patient?.birth_date?.toISOString()).toBe('1961-06-15T00:00:00.000Z');
    expect(patient?.event_time?.toISOString()).toBe('2011-05-31T19:05:51.000Z');
    expect(patient?.ingested_at).toBe(INGESTED_AT);

    expect(first).toMatchObject({
      observation_key: 'hl7v2:NIST Test Lab APP^NIST Lab Facility:NIST-LRI-NG-002.00:1',
      patient_key: 'hl7v2:NIST MPI:PATID1234',
      code: '26453-1',
      code_system: 'LN',
      code_display: 'Erythrocytes [#/volume] in Blood',
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
    expect(first?.effective_time?.toISOString()).toBe('2011-01-03T22:34:28.000Z');
    expect(observations.map((row) => row.observation_key.split(':').pop())).toEqual(
      observations.map((_, index) => String(index + 1)),
    );

    expect(segments[0]).toMatchObject({
      message_code: 'ORU',
      trigger_event: 'R01',
      sending_application: 'NIST Test Lab APP',
      sending_facility: 'NIST Lab Facility',
      version_id: '2.5.1',
      segment_index: 0,
      segment_id: 'MSH',
      source_position: 0,
    });
    expect(segments[1]?.segment_text.startsWith('PID|1||PATID1234')).toBe(true);
  });

  it('reads SN values that are plain numbers', () => {
    const glucose = mapFixture('oru_r01_ghh_glucose_sn_fn_01.hl7').observations;
    const potassium = mapFixture('oru_r01_elr_msh2_truncation_char_01.hl7').observations;

    expect(glucose.map((row) => [row.value_type, row.value_text, row.value_number])).toEqual([
      ['SN', '^182', 182],
      ['FN', '^182', null],
    ]);
    expect(potassium.map((row) => row.value_number)).toContain(4.2);
  });

  it.each([
    { case: 'NM', type: 'NM', value: '-0.5', expected: -0.5 },
    { case: 'SN with =', type: 'SN', value: '=^12', expected: 12 },
    { case: 'SN comparison', type: 'SN', value: '>^10', expected: null },
    { case: 'SN ratio', type: 'SN', value: '^1^:^128', expected: null },
    { case: 'ST', type: 'ST', value: '12', expected: null },
    { case: 'empty NM', type: 'NM', value: '', expected: null },
  ])('value_number for $case', ({ type, value, expected }) => {
    const text = [
      ...SYNTHETIC_ADT_SEGMENTS,
      `OBX|1|${type}|29463-7^Body weight^LN||${value}|kg|||||F`,
    ].join('\r');

    expect(mapText(text).observations[0]?.value_number).toBe(expected);
  });

  it('keeps coded values readable with standard delimiters', () => {
    const segments = [
      'MSH:-+?*:APP:FAC::::20240102::ORU-R01:C-5:P:2.5',
      'OBX:1:CWE:HT-Height-LN::E-room?T?visit-NIP005+H',
    ];
    const [row] = mapText(segments.join('\r')).observations;

    expect(row?.value_text).toBe('E^room\\T\\visit^NIP005~H');
    expect(row?.code).toBe('HT');
  });

  it('maps an invalid number to null with a warning', () => {
    const name = 'oru_r01_vaers_malformed_obx_01.hl7';
    const { observations, warnings } = mapFixture(name);
    const warning = warnings.find((entry) => entry.code === 'invalid-number');

    expect(
      observations.some(
        (row) => row.value_type === 'NM' && row.value_text === '01I' && row.value_number === null,
      ),
    ).toBe(true);
    expect(warning?.position).toMatchObject({
      file: `landing/hl7/${name}`,
      record: 0,
      field: 'OBX-5',
    });
  });

  it('maps an invalid date to null', () => {
    const name = 'oru_r01_ghh_glucose_sn_fn_01.hl7';
    const { patients, warnings } = mapFixture(name);

    expect(patients[0]?.birth_date).toBeNull();
    expect(warnings).toEqual([
      {
        code: 'invalid-date',
        reason:
          'message 0: PID-7 is not a valid HL7 date (YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ] naming a real date); mapped to null',
        position: {
          file: `landing/hl7/${name}`,
          line: 2,
          record: 0,
          segment: 'PID',
          field: 'PID-7',
        },
      },
    ]);
  });

  it('falls back to MSH-4 for the patient authority', () => {
    const text = [...SYNTHETIC_ADT_SEGMENTS.slice(0, 2), 'PID|1||MRN-8||TESTER^SAM'].join('\r');
    const [patient] = mapText(text).patients;

    expect(patient?.patient_key).toBe('hl7v2:NORTH:MRN-8');
    expect(patient?.assigning_authority).toBeNull();
  });

  it('writes no patient row without PID-3.1', () => {
    const text = [
      SYNTHETIC_ADT_SEGMENTS[0],
      'PID|1||^^^NORTH-MRN',
      'OBX|1|NM|8867-4^Heart rate^LN||72|/min',
    ].join('\r');
    const { patients, observations } = mapText(text);

    expect(patients).toEqual([]);
    expect(observations[0]?.patient_key).toBeNull();
    expect(observations[0]?.effective_time?.toISOString()).toBe('2024-01-02T03:04:05.000Z');
  });

  it('stands in the message hash for an empty control id', () => {
    const { observations, segments } = mapText(
      ['MSH|^~\\&|APP|FAC|||20240102||ORU^R01||P|2.5', 'OBX|1|ST|x^y^L||text'].join('\r'),
    );

    expect(observations[0]?.observation_key).toBe(
      `hl7v2:APP^FAC:sha256-${segments[0]?.message_hash}:1`,
    );
    expect(observations[0]?.source_id).toBeNull();
    expect(observations[0]?.effective_month).toBe('2024-01');
  });

  it('uses unknown for a missing message code and effective month', () => {
    const { segments, observations } = mapText('MSH|^~\\&|APP\rOBX|1|ST|x||text');

    expect(segments.map((row) => row.message_code)).toEqual(['unknown', 'unknown']);
    expect(observations[0]?.effective_month).toBe('unknown');
    expect(observations[0]?.source_system).toBe('APP^');
  });
});

describe('mapHl7Message record hashes', () => {
  const base = [...SYNTHETIC_ADT_SEGMENTS, 'OBX|1|NM|8867-4^Heart rate^LN||72|/min|||||F'];

  function hashes(text: string): string[] {
    const mapped = mapText(text);
    return [...mapped.segments, ...mapped.patients, ...mapped.observations].map(
      (row) => row.record_hash,
    );
  }

  it('are equal for the same message sent twice, whatever its terminators', () => {
    expect(hashes(base.join('\r'))).toEqual(hashes(base.join('\r\n') + '\r\n'));
  });

  it('differ for a reused control id with other content', () => {
    const changed = base.map((segment) => segment.replace('||72|', '||73|'));
    const before = hashes(base.join('\r'));
    const after = hashes(changed.join('\r'));

    expect(after.filter((hash) => before.includes(hash))).toEqual([]);
  });

  it('are distinct within a message', () => {
    const all = hashes(base.join('\r'));

    expect(new Set(all).size).toBe(all.length);
    for (const hash of all) expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
