// Real: findDuckDbOnlySql over SQL written in the test and over the shipped transform files; nothing is faked.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDuckDbOnlySql, hasSqlStatement } from './sql-portability';
import { BUILT_IN_FHIR_TRANSFORMS_DIR } from './transform-files';

describe('findDuckDbOnlySql', () => {
  it.each([
    { case: ':: cast', sql: 'SELECT id::VARCHAR AS id FROM fhir.patient', construct: ':: cast' },
    {
      case: 'EXCLUDE',
      sql: 'SELECT * EXCLUDE (id) FROM fhir.patient',
      construct: 'SELECT * EXCLUDE, REPLACE or RENAME',
    },
    {
      case: 'REPLACE',
      sql: 'SELECT * REPLACE (lower(id) AS id) FROM fhir.patient',
      construct: 'SELECT * EXCLUDE, REPLACE or RENAME',
    },
    {
      case: 'COLUMNS',
      sql: "SELECT COLUMNS('.*_key') FROM fhir.patient",
      construct: 'COLUMNS(...)',
    },
    {
      case: 'GROUP BY ALL',
      sql: 'SELECT gender, count(*) AS n FROM fhir.patient GROUP BY ALL',
      construct: 'GROUP BY ALL or ORDER BY ALL',
    },
    {
      case: 'QUALIFY',
      sql: 'SELECT id FROM fhir.patient QUALIFY row_number() OVER (PARTITION BY id) = 1',
      construct: 'QUALIFY',
    },
    {
      case: 'DISTINCT ON',
      sql: 'SELECT DISTINCT ON (id) id FROM fhir.patient',
      construct: 'SELECT DISTINCT ON',
    },
    {
      case: 'UNION BY NAME',
      sql: 'SELECT id FROM fhir.patient UNION ALL BY NAME SELECT id FROM fhir.encounter',
      construct: 'UNION BY NAME',
    },
    { case: 'ILIKE', sql: "SELECT id FROM fhir.patient WHERE city ILIKE 'a%'", construct: 'ILIKE' },
    {
      case: 'ifnull',
      sql: "SELECT ifnull(city, '') AS city FROM fhir.patient",
      construct: 'ifnull or nvl',
    },
    {
      case: 'strptime',
      sql: "SELECT strptime(birth_date, '%Y') AS born FROM fhir.patient",
      construct: 'strftime or strptime',
    },
    {
      case: 'date_add',
      sql: "SELECT date_add(last_updated, INTERVAL '1' DAY) AS t FROM fhir.patient",
      construct: 'date_add, date_sub or datediff',
    },
    {
      case: 'format',
      sql: "SELECT format('{}-{}', id, city) AS t FROM fhir.patient",
      construct: 'printf or format',
    },
    {
      case: 'arg_max',
      sql: 'SELECT arg_max(id, last_updated) AS id FROM fhir.patient',
      construct: 'arg_max or arg_min',
    },
    {
      case: 'regexp_matches',
      sql: "SELECT id FROM fhir.patient WHERE regexp_matches(id, '^a')",
      construct: 'regexp_matches or regexp_full_match',
    },
    {
      case: 'string_split',
      sql: "SELECT string_split(given_names, ' ') AS names FROM fhir.patient",
      construct: 'string_split or str_split',
    },
    { case: 'md5', sql: 'SELECT md5(id) AS h FROM fhir.patient', construct: 'md5, sha256 or hash' },
    {
      case: 'JSON arrow',
      sql: "SELECT id->>'$.a' AS a FROM fhir.patient",
      construct: '-> or ->> (JSON or lambda)',
    },
    {
      case: 'unquoted interval',
      sql: 'SELECT last_updated - INTERVAL 1 HOUR AS t FROM fhir.patient',
      construct: 'INTERVAL with an unquoted number',
    },
    {
      case: 'unit inside quotes',
      sql: "SELECT last_updated - INTERVAL '1 hour' AS t FROM fhir.patient",
      construct: 'INTERVAL with the unit inside the quotes',
    },
    {
      case: 'FROM first',
      sql: '-- all patients\nFROM fhir.patient SELECT id',
      construct: 'FROM before SELECT',
    },
  ])('finds $case', ({ sql, construct }) => {
    expect(findDuckDbOnlySql(sql).map((found) => found.construct)).toEqual([construct]);
  });

  it('names the line of each construct', () => {
    const sql = [
      'SELECT',
      '  id::VARCHAR AS id,',
      '  ifnull(city, city) AS city',
      'FROM fhir.patient',
    ].join('\n');
    expect(findDuckDbOnlySql(sql).map((found) => [found.line, found.construct])).toEqual([
      [2, ':: cast'],
      [3, 'ifnull or nvl'],
    ]);
  });

  it('says what to write instead', () => {
    const [found] = findDuckDbOnlySql('SELECT id::VARCHAR AS id FROM fhir.patient');
    expect(found?.instead).toBe('CAST(value AS type)');
  });

  it.each([
    { case: 'a line comment', sql: 'SELECT id -- not id::VARCHAR\nFROM fhir.patient' },
    {
      case: 'a block comment',
      sql: 'SELECT id /* GROUP BY ALL, ifnull(a, b) */ FROM fhir.patient',
    },
    { case: 'a string literal', sql: "SELECT 'x::y ILIKE ->' AS note, id FROM fhir.patient" },
    {
      case: 'a quoted interval with the unit outside',
      sql: "SELECT last_updated - 2 * INTERVAL '1' HOUR AS t FROM fhir.patient",
    },
    {
      case: 'a word that contains a function name',
      sql: 'SELECT record_hash, date_added FROM fhir.patient',
    },
  ])('ignores $case', ({ sql }) => {
    expect(findDuckDbOnlySql(sql)).toEqual([]);
  });

  it.each(
    readdirSync(BUILT_IN_FHIR_TRANSFORMS_DIR)
      .filter((name) => name.endsWith('.sql'))
      .map((name) => ({ case: name })),
  )('finds nothing in the shipped $case', ({ case: name }) => {
    expect(
      findDuckDbOnlySql(readFileSync(join(BUILT_IN_FHIR_TRANSFORMS_DIR, name), 'utf8')),
    ).toEqual([]);
  });
});

describe('hasSqlStatement', () => {
  it.each([
    { case: 'a SELECT', sql: 'SELECT 1', expected: true },
    { case: 'an empty file', sql: '', expected: false },
    { case: 'comments and a semicolon', sql: '-- nothing yet\n/* later */ ;\n', expected: false },
  ])('returns $expected for $case', ({ sql, expected }) => {
    expect(hasSqlStatement(sql)).toBe(expected);
  });
});
