// returnsHeaderRow and isHeaderRow on statement texts and recorded rows; pure functions, nothing faked.
import { column, row } from './__fixtures__/athena-responses';
import { isHeaderRow, returnsHeaderRow } from './header-row';

describe('returnsHeaderRow', () => {
  it.each([
    { case: 'SELECT', sql: 'SELECT 1', expected: true },
    {
      case: 'lower-case select',
      sql: 'select encounter_id from clinical.encounters',
      expected: true,
    },
    { case: 'WITH', sql: 'WITH recent AS (SELECT 1) SELECT * FROM recent', expected: true },
    { case: 'VALUES', sql: "VALUES (1, 'EAST')", expected: true },
    { case: 'SHOW', sql: 'SHOW TABLES IN clinical', expected: true },
    { case: 'parenthesized SELECT', sql: '  ((SELECT 1) UNION ALL (SELECT 2))', expected: true },
    { case: 'line comment first', sql: '-- census\nSELECT 1', expected: true },
    { case: 'block comment first', sql: '/* census\n by facility */ SELECT 1', expected: true },
    { case: 'CREATE TABLE', sql: 'CREATE EXTERNAL TABLE clinical.x (a int)', expected: false },
    { case: 'DESCRIBE', sql: 'DESCRIBE clinical.encounters', expected: false },
    { case: 'INSERT', sql: 'INSERT INTO clinical.x SELECT 1', expected: false },
    { case: 'only a comment', sql: '-- SELECT 1', expected: false },
    { case: 'unclosed comment', sql: '/* SELECT 1', expected: false },
    { case: 'empty', sql: '', expected: false },
    { case: 'SELECT prefix of a word', sql: 'SELECTED', expected: false },
  ])('decides $case', ({ sql, expected }) => {
    expect(returnsHeaderRow(sql)).toBe(expected);
  });
});

describe('isHeaderRow', () => {
  const columns = [column('encounter_id', 'varchar'), column('facility', 'varchar')];

  it.each([
    { case: 'labels', candidate: row('encounter_id', 'facility'), expected: true },
    { case: 'data row', candidate: row('ENC-000001', 'EAST'), expected: false },
    { case: 'one label differs', candidate: row('encounter_id', 'EAST'), expected: false },
    { case: 'NULL where a label is', candidate: row('encounter_id', null), expected: false },
    { case: 'too few values', candidate: row('encounter_id'), expected: false },
    { case: 'no row', candidate: undefined, expected: false },
  ])('recognizes $case', ({ candidate, expected }) => {
    expect(isHeaderRow(candidate, columns)).toBe(expected);
  });
});
