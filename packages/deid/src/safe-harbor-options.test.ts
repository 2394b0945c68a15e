// Real: datasetSchema from @carelake/core and the Safe Harbor transform. Faked: a small synthetic survey dataset.
import { datasetSchema, type Row } from '@carelake/core';
import { DeidProfileError, deidentifyRows, parseDeidProfile } from './index';

const survey = datasetSchema.parse({
  table: 'clinical.survey_answers',
  description: 'Synthetic survey answers for tests',
  owner: 'test',
  steward: 'test',
  retention: 'test',
  classification: 'phi',
  columns: {
    patient_key: { type: 'string', classification: 'phi', identifier: 'medical_record_number' },
    age: { type: 'int', classification: 'phi' },
    clinic_code: { type: 'string', classification: 'limited' },
    answer: { type: 'int', classification: 'public' },
  },
});

function surveyRow(age: number | null, index: number): Row {
  return { patient_key: `synthetic:${index}`, age, clinic_code: 'C-EAST', answer: 3 };
}

describe('Safe Harbor profile options', () => {
  it.each([
    { case: 'age 89 kept', age: 89, expected: 89 },
    { case: 'age 90 kept as 90', age: 90, expected: 90 },
    { case: 'age 104 grouped', age: 104, expected: 90 },
    { case: 'missing age', age: null, expected: null },
  ])('$case', ({ age, expected }) => {
    const profile = parseDeidProfile({ method: 'safe-harbor', ageColumns: ['age'] });
    const result = deidentifyRows(survey, [surveyRow(age, 0)], profile);

    expect(result.rows[0]?.['age']).toBe(expected);
  });

  it('drops limited columns unless kept', () => {
    const dropped = deidentifyRows(survey, [surveyRow(40, 0)], parseDeidProfile({ method: 'safe-harbor', ageColumns: ['age'] }));
    const kept = deidentifyRows(
      survey,
      [surveyRow(40, 0)],
      parseDeidProfile({ method: 'safe-harbor', ageColumns: ['age'], keep: ['clinic_code'] }),
    );

    expect(dropped.columns.map((column) => column.name)).toEqual(['study_id', 'age', 'answer']);
    expect(kept.rows[0]?.['clinic_code']).toBe('C-EAST');
  });

  it('rejects keeping an identifier column', () => {
    const profile = parseDeidProfile({ method: 'safe-harbor', keep: ['patient_key', 'no_such_column'] });

    expect(() => deidentifyRows(survey, [], profile)).toThrow(DeidProfileError);
    try {
      deidentifyRows(survey, [], profile);
    } catch (error) {
      expect((error as DeidProfileError).issues.map((issue) => issue.keyPath)).toEqual(['keep[0]', 'keep[1]']);
    }
  });

  it('uses the risk check k', () => {
    const rows = [40, 40, 40, 51].map(surveyRow);
    const profile = parseDeidProfile({ method: 'safe-harbor', ageColumns: ['age'], riskCheck: { k: 3 } });
    const risk = deidentifyRows(survey, rows, profile).report.residualRisk;

    expect(risk.quasiIdentifiers).toEqual(['age']);
    expect(risk.groupsBelowK).toBe(1);
    expect(risk.rowsBelowK).toBe(1);
  });
});
