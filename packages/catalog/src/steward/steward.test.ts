// Real: the repository's dataset files registered in a real SQLite catalog in a temp folder.
import { join } from 'node:path';
import { ManualClock, type DatasetDefinition } from '@carelake/core';
import { loadDatasets, makeTempDir, removeTempDir } from '../__fixtures__/catalog-fixtures';
import type { CatalogTable } from '../catalog';
import { tableInputFromDataset } from '../dataset-table';
import { SqliteCatalog } from '../sqlite/sqlite-catalog';
import { normalizeTableInput } from '../table-input';
import { diffTable } from './catalog-diff';
import { searchTables } from './catalog-search';
import { renderDataDictionary } from './data-dictionary';

describe('catalog steward views', () => {
  let dir: string;
  let catalog: SqliteCatalog;
  let datasets: Map<string, DatasetDefinition>;
  let tables: CatalogTable[];

  beforeAll(async () => {
    dir = await makeTempDir();
    catalog = await SqliteCatalog.open({ path: join(dir, 'catalog.sqlite'), clock: new ManualClock('2026-03-01T08:00:00.000Z') });
    datasets = new Map((await loadDatasets()).map(({ dataset }) => [dataset.table, dataset]));
    for (const dataset of datasets.values()) {
      const input = tableInputFromDataset(dataset, `curated/${dataset.table.replace('.', '/')}/`);
      await catalog.ensureDatabase(input.database);
      await catalog.upsertTable(input);
    }
    tables = await catalog.listTables();
  });

  afterAll(async () => {
    await catalog.close();
    await removeTempDir(dir);
  });

  function declared(table: string, edit: (dataset: DatasetDefinition) => DatasetDefinition = (dataset) => dataset) {
    const dataset = edit(structuredClone(datasets.get(table) as DatasetDefinition));
    return normalizeTableInput(tableInputFromDataset(dataset, `curated/${table.replace('.', '/')}/`));
  }

  describe('diffTable', () => {
    it('finds nothing for a registered file', async () => {
      const stored = await catalog.getTable('clinical', 'patients');

      expect(diffTable(declared('clinical.patients'), stored)).toEqual([]);
    });

    it('lists each edited element', async () => {
      const stored = await catalog.getTable('clinical', 'patients');
      const edited = declared('clinical.patients', (dataset) => {
        dataset.owner = 'registry-team';
        dataset.columns['birth_date'] = { ...dataset.columns['birth_date']!, type: 'timestamp' };
        dataset.columns['ethnicity'] = { type: 'string', nullable: true, classification: 'limited' };
        delete dataset.columns['country'];
        return dataset;
      });

      expect(diffTable(edited, stored)).toEqual([
        { path: 'columns.birth_date.type', declared: 'timestamp', stored: 'date' },
        { path: 'columns.ethnicity', declared: 'string' },
        { path: 'columns.country', stored: 'string' },
        { path: 'parameters.carelake.owner', declared: 'registry-team', stored: 'data-engineering' },
      ]);
    });

    it('reports an unregistered table', () => {
      expect(diffTable(declared('clinical.patients'), undefined)).toEqual([{ path: 'table', declared: 'clinical.patients' }]);
    });
  });

  describe('searchTables', () => {
    it.each([
      { case: 'a table name', query: 'immunization', expected: ['clinical.immunizations', 'fhir.immunization'] },
      { case: 'a column in two words', query: 'birth date', includes: ['clinical.patients', 'fhir.patient'] },
      { case: 'a vocabulary binding', query: 'administrative-gender', includes: ['clinical.patients'] },
      { case: 'no match for one word', query: 'patient zebra', expected: [] },
    ])('finds $case', ({ query, expected, includes }) => {
      const names = searchTables(tables, query).map((hit) => `${hit.table.database}.${hit.table.name}`);

      if (expected) expect(names).toEqual(expected);
      for (const name of includes ?? []) expect(names).toContain(name);
    });

    it('says where a word matched', () => {
      const [hit] = searchTables(tables, 'postal_code');

      expect(hit?.matches).toEqual(['column postal_code']);
    });
  });

  describe('renderDataDictionary', () => {
    it('renders markdown with every table and column', () => {
      const markdown = renderDataDictionary(tables, 'markdown');

      expect(markdown).toContain(`${tables.length} tables.`);
      expect(markdown).toContain('## clinical.patients');
      expect(markdown).toContain('- Steward: clinical-steward');
      expect(markdown).toContain('| birth\\_date | date | phi | date |  | PID-7 or Patient.birthDate |');
      expect(markdown).toContain('| source\\_format (partition) | string | public |');
    });

    it('escapes markup in html', () => {
      const [table] = tables;
      const hostile = { ...table!, description: 'Codes <script>alert(1)</script> & "more"' };

      const page = renderDataDictionary([hostile], 'html');

      expect(page).toContain('Codes &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;');
      expect(page).not.toContain('<script>');
    });
  });
});
