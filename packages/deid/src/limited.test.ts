// Real: the repository's clinical.patients and clinical.encounters dataset files, HMAC-SHA256 from node:crypto. Faked: synthetic rows.
import type { Row } from '@carelake/core';
import { dateShiftDays, DeidError, DeidInputError, DeidProfileError, deidentifyRows, parseDeidProfile, pseudonymize } from './index';
import { loadDataset, patientRows, REFERENCE_DATE } from './__fixtures__/patients';

const SECRET = 'synthetic-secret-0123456789abcdef';
const OTHER_SECRET = 'another-secret-fedcba9876543210';
const MS_PER_DAY = 86_400_000;

const patients = loadDataset('clinical.patients');
const encounters = loadDataset('clinical.encounters');
const profile = parseDeidProfile({
  method: 'limited',
  columns: {
    postal_code: { action: 'generalize', to: 'zip3' },
    city: { action: 'keep' },
    birth_date: { action: 'generalize', to: 'month' },
  },
});

function encounterRow(patientKey: string, admit: string, discharge: string): Row {
  const row: Row = Object.fromEntries(Object.keys(encounters.columns).map((name) => [name, null]));
  return {
    ...row,
    encounter_key: `hl7v2:SYNTH_HOSP:V-${admit}`,
    patient_key: patientKey,
    admit_time: new Date(admit),
    discharge_time: new Date(discharge),
    admit_reason: 'Chest pain',
    ingested_at: new Date('2025-04-01T00:00:00Z'),
  };
}

function run(secret: string, input = patientRows()) {
  return deidentifyRows(patients, input, profile, { secret, referenceDate: REFERENCE_DATE });
}

describe('deidentifyRows under a limited profile', () => {
  it('removes direct identifiers', () => {
    const result = run(SECRET);
    const cells = result.rows.flatMap((row) => Object.values(row).map(String));

    for (const direct of ['Brennagh', 'Orla', 'Q7731', 'hl7v2:SYNTH_HOSP:Q7731']) {
      expect(cells.some((cell) => cell.includes(direct))).toBe(false);
    }
    expect(result.columns.map((column) => column.name)).not.toContain('family_name');
    expect(result.rows[0]?.['city']).toBe('Tarrowvale');
    expect(result.rows[0]?.['postal_code_zip3']).toBe('021');
    expect(result.rows[0]?.['birth_date_month']).toBe('1961-04');
  });

  it('pseudonymizes the patient with HMAC', () => {
    const first = run(SECRET);
    const again = run(SECRET);
    const other = run(OTHER_SECRET);
    const pseudonym = first.rows[0]?.['patient_key'];

    expect(pseudonym).toBe(pseudonymize(SECRET, 'hl7v2:SYNTH_HOSP:Q7731'));
    expect(pseudonym).toMatch(/^[0-9a-f]{64}$/);
    expect(again.rows[0]?.['patient_key']).toBe(pseudonym);
    expect(other.rows[0]?.['patient_key']).not.toBe(pseudonym);
  });

  it('joins pseudonyms across tables', () => {
    const patient = run(SECRET).rows[1];
    const encounter = deidentifyRows(
      encounters,
      [encounterRow('hl7v2:SYNTH_HOSP:Q7732', '2025-01-05T10:00:00Z', '2025-01-08T16:30:00Z')],
      parseDeidProfile({ method: 'limited' }),
      { secret: SECRET },
    ).rows[0];

    expect(encounter?.['patient_key']).toBe(patient?.['patient_key']);
  });

  it('shifts every date of a patient alike', () => {
    const key = 'hl7v2:SYNTH_HOSP:Q7732';
    const input = [
      encounterRow(key, '2025-01-05T10:00:00Z', '2025-01-08T16:30:00Z'),
      encounterRow(key, '2025-06-20T23:45:00Z', '2025-06-21T02:00:00Z'),
    ];
    const output = deidentifyRows(encounters, input, parseDeidProfile({ method: 'limited' }), { secret: SECRET }).rows;
    const offsetDays = dateShiftDays(SECRET, key, 365);

    expect(offsetDays).not.toBe(0);
    input.forEach((row, index) => {
      for (const column of ['admit_time', 'discharge_time']) {
        const shifted = output[index]?.[column] as Date;
        expect((shifted.getTime() - (row[column] as Date).getTime()) / MS_PER_DAY).toBe(offsetDays);
      }
    });
  });

  it('shifts timestamps without identifier kind', () => {
    const key = 'hl7v2:SYNTH_HOSP:Q7732';
    const input = [encounterRow(key, '2025-01-05T10:00:00Z', '2025-01-08T16:30:00Z')];
    const output = deidentifyRows(encounters, input, parseDeidProfile({ method: 'limited' }), { secret: SECRET }).rows;
    const shifted = output[0]?.['ingested_at'] as Date;

    expect((shifted.getTime() - new Date('2025-04-01T00:00:00Z').getTime()) / MS_PER_DAY).toBe(dateShiftDays(SECRET, key, 365));
  });

  it('keeps shifts stable across calls', () => {
    const first = run(SECRET).rows.map((row) => (row['event_time'] as Date).toISOString());
    const again = run(SECRET).rows.map((row) => (row['event_time'] as Date).toISOString());
    const other = run(OTHER_SECRET).rows.map((row) => (row['event_time'] as Date).toISOString());

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it.each([
    { case: 'one day', maxShiftDays: 1 },
    { case: 'one week', maxShiftDays: 7 },
    { case: 'one year', maxShiftDays: 365 },
  ])('bounds shifts to $case', ({ maxShiftDays }) => {
    const offsets = Array.from({ length: 5000 }, (_, index) => dateShiftDays(SECRET, `patient-${index}`, maxShiftDays));

    // The inputs are fixed, so the draws are too; 5,000 of them reach both ends of these ranges.
    expect(Math.max(...offsets)).toBe(maxShiftDays);
    expect(Math.min(...offsets)).toBe(-maxShiftDays);
  });

  it('rejects a keyed profile without a secret', () => {
    expect(() => deidentifyRows(patients, patientRows(), profile, {})).toThrow(DeidError);
    expect(() => deidentifyRows(patients, patientRows(), profile, { secret: 'short' })).toThrow(/shorter than 16 characters/);
  });

  it('names the record and field of a bad value', () => {
    const input = patientRows();
    (input[2] as Row)['event_time'] = '2025-03-12 08:15';

    let caught: unknown;
    try {
      run(SECRET, input);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(DeidInputError);
    expect((caught as DeidInputError).position).toEqual({ record: 2, field: 'event_time' });
    expect((caught as DeidInputError).message).not.toContain('2025-03-12');
  });
});

describe('profile checks against the dataset', () => {
  it('lists every problem with its key path', () => {
    const misfit = parseDeidProfile({
      method: 'limited',
      columns: {
        family_name: { action: 'keep' },
        sex: { action: 'shift-date' },
        shoe_size: { action: 'redact' },
        postal_code: { action: 'generalize', to: 'year' },
      },
    });

    let caught: unknown;
    try {
      deidentifyRows(patients, [], misfit, { secret: SECRET });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(DeidProfileError);
    expect((caught as DeidProfileError).issues.map((issue) => issue.keyPath)).toEqual([
      'columns.family_name.action',
      'columns.sex.action',
      'columns.shoe_size',
      'columns.postal_code.action',
    ]);
  });
});
