import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DATASET_PARSE_OPTIONS, type DatasetDefinition, datasetSchema, parseYamlDocument, type Row } from '@carelake/core';

const DATASETS = path.resolve(__dirname, '../../../../pipelines/datasets');

/** Loads a dataset file of the repository, so tests follow the real column classifications. */
export function loadDataset(table: string): DatasetDefinition {
  const file = path.join(DATASETS, `${table}.dataset.yaml`);
  return parseYamlDocument(readFileSync(file, 'utf8'), file, datasetSchema, DATASET_PARSE_OPTIONS);
}

/** The date at which the fixtures' ages are computed. */
export const REFERENCE_DATE = new Date('2026-06-30T00:00:00Z');

interface SyntheticPatient {
  id: string;
  family: string;
  given: string;
  birthDate: string;
  sex: string;
  city: string;
  state: string;
  zip: string;
}

// Synthetic people: the names, ids and addresses are invented for these tests.
const PATIENTS: SyntheticPatient[] = [
  { id: 'Q7731', family: 'Brennagh', given: 'Orla', birthDate: '1961-04-17', sex: 'F', city: 'Tarrowvale', state: 'MA', zip: '02139' },
  { id: 'Q7732', family: 'Okonkwo-Reyes', given: 'Tobiah', birthDate: '1930-02-03', sex: 'M', city: 'Lindquist Falls', state: 'ND', zip: '05901' },
  { id: 'Q7733', family: 'Vasquella', given: 'Imre', birthDate: '1936-06-30', sex: 'M', city: 'Halbrook', state: 'NH', zip: '03601-1234' },
  { id: 'Q7734', family: 'Throckmartin', given: 'Deslie', birthDate: '1936-07-01', sex: 'F', city: 'Pemberly Cross', state: 'NV', zip: '06390' },
];

/** One version row of clinical.patients per synthetic patient, with every column filled. */
export function patientRows(): Row[] {
  return PATIENTS.map((patient, index) => ({
    patient_key: `hl7v2:SYNTH_HOSP:${patient.id}`,
    patient_id: patient.id,
    assigning_authority: 'SYNTH_HOSP',
    family_name: patient.family,
    given_name: patient.given,
    birth_date: new Date(`${patient.birthDate}T00:00:00Z`),
    sex: patient.sex,
    city: patient.city,
    state: patient.state,
    postal_code: patient.zip,
    country: 'USA',
    primary_facility: 'SYNTH_CLINIC_EAST',
    primary_care_provider_id: `PRV${900 + index}`,
    merged_into_key: null,
    event_type: 'A08',
    is_deleted: false,
    event_time: new Date(`2025-03-1${index}T08:15:3${index}Z`),
    record_hash: `${index}`.repeat(64),
    source_format: 'hl7v2',
    source_system: 'SYNTH_ADT^SYNTH_HOSP',
    source_id: `MSGCTL${4400 + index}`,
    source_file: 'landing/adt/batch-01.hl7',
    source_position: BigInt(index),
    ingested_at: new Date('2025-03-20T00:00:00Z'),
    facility: 'SYNTH_HOSP',
  }));
}

/** Collects every value in the identifier columns of the rows, as strings, for searching the output. */
export function identifierValues(dataset: DatasetDefinition, rows: readonly Row[]): string[] {
  const columns = Object.entries(dataset.columns)
    .filter(([, column]) => column.identifier !== undefined && column.identifier !== 'quasi')
    .map(([name]) => name);
  const values = new Set<string>();
  for (const row of rows) {
    for (const column of columns) {
      const value = row[column];
      if (value === null || value === undefined) continue;
      if (value instanceof Date) {
        values.add(value.toISOString());
        values.add(value.toISOString().slice(0, 10));
      } else {
        values.add(String(value));
      }
    }
  }
  return [...values];
}
