// Real: the repository's clinical.encounters dataset file, deidentifyRows and the text detector. Faked: synthetic encounter rows.
import type { Row } from '@carelake/core';
import { deidentifyRows, parseDeidProfile } from './index';
import { loadDataset, REFERENCE_DATE } from './__fixtures__/patients';

const encounters = loadDataset('clinical.encounters');

function encounterRows(): Row[] {
  const empty: Row = Object.fromEntries(Object.keys(encounters.columns).map((name) => [name, null]));
  return [
    {
      ...empty,
      patient_key: 'hl7v2:SYNTH_HOSP:Q7732',
      admit_time: new Date('2025-01-05T10:00:00Z'),
      admit_reason: 'Fall at home, pt Q7732, son reachable at 701-555-0188',
    },
    { ...empty, patient_key: 'hl7v2:SYNTH_HOSP:Q7733', admit_reason: 'Chest pain' },
  ];
}

describe('free text in deidentifyRows', () => {
  it('removes free text by default', () => {
    const result = deidentifyRows(encounters, encounterRows(), parseDeidProfile({ method: 'safe-harbor' }), {
      referenceDate: REFERENCE_DATE,
    });

    expect(result.columns.map((column) => column.name)).not.toContain('admit_reason');
    expect(result.report.columns.find((column) => column.column === 'admit_reason')).toMatchObject({
      treatment: 'redact',
      changedValues: 2,
    });
  });

  it('scrubs free text when detection is on', () => {
    const profile = parseDeidProfile({ method: 'safe-harbor', freeText: { detect: true } });
    const result = deidentifyRows(encounters, encounterRows(), profile, { referenceDate: REFERENCE_DATE });

    expect(result.rows[0]?.['admit_reason']).toBe('Fall at home, pt [RECORD_NUMBER], son reachable at [PHONE]');
    expect(result.rows[1]?.['admit_reason']).toBe('Chest pain');
    expect(result.report.freeText).toEqual([{ column: 'admit_reason', detections: { record_number: 1, phone: 1 } }]);
  });
});
