// Real: the k-anonymity count over in-memory rows. Nothing is faked.
import { checkResidualRisk } from './risk';

const ROWS = [
  { sex: 'F', zip3: '021', year: 1961 },
  { sex: 'F', zip3: '021', year: 1961 },
  { sex: 'F', zip3: '021', year: 1961 },
  { sex: 'M', zip3: '021', year: 1961 },
  { sex: 'M', zip3: '000', year: null },
  { sex: 'M', zip3: '000', year: null },
];

describe('checkResidualRisk', () => {
  it.each([
    { case: 'k 2 over all three', k: 2, columns: ['sex', 'zip3', 'year'], groups: 3, groupsBelowK: 1, rowsBelowK: 1 },
    { case: 'k 3 over all three', k: 3, columns: ['sex', 'zip3', 'year'], groups: 3, groupsBelowK: 2, rowsBelowK: 3 },
    { case: 'k 3 over sex only', k: 3, columns: ['sex'], groups: 2, groupsBelowK: 0, rowsBelowK: 0 },
    { case: 'k 7 over no column', k: 7, columns: [], groups: 1, groupsBelowK: 1, rowsBelowK: 6 },
  ])('$case', ({ k, columns, groups, groupsBelowK, rowsBelowK }) => {
    const result = checkResidualRisk(ROWS, columns, k);

    expect(result.groupCount).toBe(groups);
    expect(result.groupsBelowK).toBe(groupsBelowK);
    expect(result.rowsBelowK).toBe(rowsBelowK);
  });

  it('treats null apart from the string null', () => {
    const result = checkResidualRisk([{ year: null }, { year: 'null' }], ['year'], 2);

    expect(result.groupCount).toBe(2);
  });
});
