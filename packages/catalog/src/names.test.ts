// Real name checks and a real SQLite catalog in a temp folder, with nothing faked.
import { join } from 'node:path';
import { assertCatalogName, brokenNameRule } from './names';
import { InvalidCatalogNameError } from './errors';
import { SqliteCatalog } from './sqlite/sqlite-catalog';
import { makeTempDir, rejectionOf, removeTempDir } from './__fixtures__/catalog-fixtures';

const CHARACTERS_RULE = 'a name may contain only lower case letters a-z, digits 0-9 and "_"';

describe('brokenNameRule', () => {
  it.each([
    { case: 'lower case word', name: 'patients', rule: undefined },
    { case: 'underscores', name: 'fhir_resources', rule: undefined },
    // Athena quotes such names in queries, but Glue and Athena accept them.
    { case: 'leading digit', name: '2024_visits', rule: undefined },
    { case: 'leading underscore', name: '_staging', rule: undefined },
    { case: 'single character', name: 'a', rule: undefined },
    { case: '255 characters', name: 'a'.repeat(255), rule: undefined },
    { case: 'upper case and hyphen', name: 'Bad-Name', rule: CHARACTERS_RULE },
    { case: 'upper case only', name: 'Patients', rule: CHARACTERS_RULE },
    { case: 'hyphen', name: 'bad-name', rule: CHARACTERS_RULE },
    { case: 'space', name: 'bad name', rule: CHARACTERS_RULE },
    { case: 'dot', name: 'clinical.patients', rule: CHARACTERS_RULE },
    { case: 'accented letter', name: 'café', rule: CHARACTERS_RULE },
    { case: 'empty', name: '', rule: 'a name must be 1 to 255 characters long, found 0' },
    {
      case: '256 characters',
      name: 'a'.repeat(256),
      rule: 'a name must be 1 to 255 characters long, found 256',
    },
  ])('$case', ({ name, rule }) => {
    expect(brokenNameRule(name)).toBe(rule);
  });
});

describe('assertCatalogName', () => {
  it('names kind, name and rule', () => {
    let caught: unknown;
    try {
      assertCatalogName('table', 'Bad-Name');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidCatalogNameError);
    const error = caught as InvalidCatalogNameError;
    expect(error.message).toBe(`invalid table name "Bad-Name": ${CHARACTERS_RULE}`);
    expect(error.issues).toEqual([{ keyPath: 'table', message: error.message }]);
  });

  it('shortens long names in messages', () => {
    expect(() => assertCatalogName('column', 'x'.repeat(300))).toThrow(
      `invalid column name "${'x'.repeat(60)}...": a name must be 1 to 255 characters long, found 300`,
    );
  });
});

describe('SqliteCatalog name checks', () => {
  let dir: string;
  let catalog: SqliteCatalog;

  beforeEach(async () => {
    dir = await makeTempDir();
    catalog = await SqliteCatalog.open({ path: join(dir, 'catalog.sqlite') });
  });

  afterEach(async () => {
    await catalog.close();
    await removeTempDir(dir);
  });

  it('rejects invalid database name', async () => {
    await expect(catalog.ensureDatabase('Bad-Name')).rejects.toBeInstanceOf(
      InvalidCatalogNameError,
    );
    expect(await catalog.listDatabases()).toEqual([]);
  });

  it('lists every invalid name of a table', async () => {
    await catalog.ensureDatabase('clinical');
    const upsert = catalog.upsertTable({
      database: 'clinical',
      name: 'Encounters',
      location: 'curated/clinical/encounters/',
      columns: [
        { name: 'encounter_key', type: 'string' },
        { name: 'Admit-Time', type: 'timestamp' },
      ],
      partitionKeys: [{ name: 'm'.repeat(256), type: 'string' }],
    });
    const error = await rejectionOf(upsert);
    expect(error).toBeInstanceOf(InvalidCatalogNameError);
    expect((error as InvalidCatalogNameError).issues).toEqual([
      { keyPath: 'name', message: `invalid table name "Encounters": ${CHARACTERS_RULE}` },
      {
        keyPath: 'columns[1].name',
        message: `invalid column name "Admit-Time": ${CHARACTERS_RULE}`,
      },
      { keyPath: 'partitionKeys[0].name', message: expect.stringContaining('found 256') },
    ]);
    expect(await catalog.listTables()).toEqual([]);
  });
});
