// Real: CodeTable lookups compared with normalizeCode over generated codes. Faked: nothing.
import fc from 'fast-check';
import { codeFoldingFor, normalizeCode } from './code-normalization';
import { CodeTable } from './code-table';

/** Characters that folding treats specially, among others, so that generated codes hit every rule. */
const codeArbitrary = fc
  .array(
    fc.oneof(
      fc.constantFrom('0', '1', 'a', 'A', 'e', 'E', '.', ' ', '\t', '-', 'é'),
      fc.string({ unit: 'grapheme-ascii', maxLength: 1 }),
    ),
    {
      maxLength: 7,
    },
  )
  .map((parts) => parts.join(''));

describe('CodeTable', () => {
  it.each(['icd10cm', 'loinc', 'cvx', 'rxnorm'])(
    'finds a %s code exactly when normalizeCode matches',
    (system) => {
      fc.assert(
        fc.property(fc.array(codeArbitrary, { maxLength: 30 }), codeArbitrary, (stored, probe) => {
          const distinct = [...new Set(stored.map((code) => normalizeCode(system, code)))];
          const table = new CodeTable(
            codeFoldingFor(system),
            distinct.map((code, index) => [code, [index * 10]] as const),
            1,
          );

          const expected = distinct.indexOf(normalizeCode(system, probe));
          const at = table.find(probe);
          expect(at === -1 ? -1 : (table.records[at] as number) / 10).toBe(expected);
        }),
        { seed: 20250305, numRuns: 400 },
      );
    },
  );

  it.each([
    {
      case: 'ICD-10 with and without the dot',
      system: 'icd10cm',
      stored: 'E1165',
      probes: ['E11.65', 'e11.65', ' E1165 '],
      misses: ['E116', 'E11.651', 'E11-65'],
    },
    {
      case: 'LOINC in lower case',
      system: 'loinc',
      stored: 'LP12345-6',
      probes: ['lp12345-6'],
      misses: ['LP123456'],
    },
    {
      case: 'CVX with leading zeros',
      system: 'cvx',
      stored: '8',
      probes: ['08', '008', '8 '],
      misses: ['80', '0'],
    },
    {
      case: 'a case-sensitive system',
      system: 'ndc',
      stored: 'Ab1',
      probes: ['Ab1', ' Ab1'],
      misses: ['AB1', 'ab1'],
    },
  ])('folds $case', ({ system, stored, probes, misses }) => {
    const table = new CodeTable(codeFoldingFor(system), [[normalizeCode(system, stored), [7]]], 1);
    for (const probe of probes) expect(table.find(probe)).not.toBe(-1);
    for (const miss of misses) expect(table.find(miss)).toBe(-1);
  });

  it('holds 100,000 codes', () => {
    const codes = Array.from({ length: 100_000 }, (_, index) => [`C${index}`, [index]] as const);
    const table = new CodeTable(codeFoldingFor('rxnorm'), codes, 1);
    expect(table.size).toBe(100_000);
    expect(table.records[table.find('C99999')]).toBe(99_999);
    expect(table.records[table.find('C0')]).toBe(0);
    expect(table.find('C100000')).toBe(-1);
  });
});
