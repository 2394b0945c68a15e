// Real: the repository's clinical.patients dataset file and the Safe Harbor transform. Faked: synthetic patients, an injected study id source.
import { deidentifyRows, parseDeidProfile, STUDY_ID_COLUMN } from './index';
import { identifierValues, loadDataset, patientRows, REFERENCE_DATE } from './__fixtures__/patients';

const dataset = loadDataset('clinical.patients');
const profile = parseDeidProfile({ method: 'safe-harbor', riskCheck: { k: 2 } });

function sequentialStudyIds(): () => string {
  let next = 0;
  return () => `S-${String((next += 1)).padStart(4, '0')}`;
}

function runSafeHarbor(options: Partial<Parameters<typeof deidentifyRows>[3]> = {}) {
  return deidentifyRows(dataset, patientRows(), profile, {
    randomStudyId: sequentialStudyIds(),
    referenceDate: REFERENCE_DATE,
    ...options,
  });
}

describe('deidentifyRows under Safe Harbor', () => {
  it('leaves no identifier value in any cell', () => {
    const input = patientRows();
    const result = runSafeHarbor();
    const values = identifierValues(dataset, input);
    expect(values.length).toBeGreaterThan(30);

    for (const row of result.rows) {
      for (const cell of Object.values(row)) {
        const text = cell instanceof Date ? cell.toISOString() : String(cell);
        for (const value of values) expect(text).not.toContain(value);
      }
    }
  });

  it('outputs the expected column set', () => {
    const names = runSafeHarbor().columns.map((column) => column.name);

    expect(names).toContain(STUDY_ID_COLUMN);
    expect(names).toEqual(
      expect.arrayContaining(['birth_date_year', 'age_90_or_older', 'postal_code_zip3', 'event_time_year', 'sex', 'state']),
    );
    for (const removed of ['patient_key', 'patient_id', 'family_name', 'given_name', 'city', 'merged_into_key', 'birth_date']) {
      expect(names).not.toContain(removed);
    }
    // Classified limited without an identifier kind, so Safe Harbor drops them unless the profile keeps them.
    expect(names).not.toContain('source_id');
    expect(names).not.toContain('primary_care_provider_id');
  });

  it('keeps no date finer than a year', () => {
    const result = runSafeHarbor();

    for (const row of result.rows) {
      for (const cell of Object.values(row)) {
        expect(cell instanceof Date).toBe(false);
        expect(String(cell)).not.toMatch(/\d{4}-\d{2}/);
      }
      expect(row['event_time_year']).toBe(2025);
      expect(row['ingested_at_year']).toBe(2025);
    }
  });

  it.each([
    { case: 'aged 65', index: 0, year: 1961, old: false },
    { case: 'aged 96', index: 1, year: null, old: true },
    { case: '90th birthday on the reference date', index: 2, year: null, old: true },
    { case: 'one day short of 90', index: 3, year: 1936, old: false },
  ])('birth year for $case', ({ index, year, old }) => {
    const row = runSafeHarbor().rows[index];

    expect(row?.['birth_date_year']).toBe(year);
    expect(row?.['age_90_or_older']).toBe(old);
  });

  it.each([
    { case: 'ordinary prefix', index: 0, zip3: '021' },
    { case: 'prefix restricted in both lists', index: 1, zip3: '000' },
    { case: 'restricted prefix in ZIP+4', index: 2, zip3: '000' },
    { case: 'prefix restricted in 2000 only', index: 3, zip3: '000' },
  ])('ZIP3 for $case', ({ index, zip3 }) => {
    expect(runSafeHarbor().rows[index]?.['postal_code_zip3']).toBe(zip3);
  });

  it('draws one study id per patient', () => {
    const input = [...patientRows(), ...patientRows()];
    const result = deidentifyRows(dataset, input, profile, { randomStudyId: sequentialStudyIds(), referenceDate: REFERENCE_DATE });

    expect(result.rows.map((row) => row[STUDY_ID_COLUMN])).toEqual(['S-0001', 'S-0002', 'S-0003', 'S-0004', 'S-0001', 'S-0002', 'S-0003', 'S-0004']);
    expect(result.crosswalk).toEqual([
      { studyId: 'S-0001', patientKey: 'hl7v2:SYNTH_HOSP:Q7731' },
      { studyId: 'S-0002', patientKey: 'hl7v2:SYNTH_HOSP:Q7732' },
      { studyId: 'S-0003', patientKey: 'hl7v2:SYNTH_HOSP:Q7733' },
      { studyId: 'S-0004', patientKey: 'hl7v2:SYNTH_HOSP:Q7734' },
    ]);
    expect(result.report.studyIds).toEqual({ reused: 0, added: 4 });
  });

  it('reuses study ids of a stored crosswalk', () => {
    const stored = [{ studyId: 'OLD-1', patientKey: 'hl7v2:SYNTH_HOSP:Q7732' }];
    const result = runSafeHarbor({ crosswalk: stored });

    expect(result.rows[1]?.[STUDY_ID_COLUMN]).toBe('OLD-1');
    expect(result.crosswalk.map((entry) => entry.patientKey)).not.toContain('hl7v2:SYNTH_HOSP:Q7732');
    expect(result.report.studyIds).toEqual({ reused: 1, added: 3 });
  });

  it('uses random UUID study ids by default', () => {
    const first = deidentifyRows(dataset, patientRows(), profile, { referenceDate: REFERENCE_DATE });
    const second = deidentifyRows(dataset, patientRows(), profile, { referenceDate: REFERENCE_DATE });

    expect(first.rows[0]?.[STUDY_ID_COLUMN]).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.rows[0]?.[STUDY_ID_COLUMN]).not.toBe(second.rows[0]?.[STUDY_ID_COLUMN]);
  });

  it('reports each column treatment', () => {
    const report = runSafeHarbor().report;
    const byColumn = new Map(report.columns.map((column) => [column.column, column]));

    expect(byColumn.get('family_name')).toMatchObject({ treatment: 'redact', changedValues: 4 });
    expect(byColumn.get('birth_date')).toMatchObject({ treatment: 'birth-year', suppressedValues: 2, changedValues: 2 });
    expect(byColumn.get('postal_code')).toMatchObject({ treatment: 'zip3', outputColumns: ['postal_code_zip3'] });
    expect(report.rowCount).toBe(4);
    expect(JSON.stringify(report)).not.toContain('Brennagh');
  });

  it('counts rows below k over quasi-identifiers', () => {
    const risk = runSafeHarbor().report.residualRisk;

    expect(risk.quasiIdentifiers).toEqual(['birth_date_year', 'sex', 'state', 'postal_code_zip3']);
    expect(risk.k).toBe(2);
    expect(risk.rowsBelowK).toBe(4);
  });
});
