// Real: the SQL-on-FHIR v2 conformance suite read from the shared test data, and the FHIR R4 model; nothing is faked.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '@carelake/core';
import type { JsonObject } from '../types';
import { ViewDefinitionError } from './errors';
import { compileViewDefinition } from './view-compiler';

const SUITE_DIR = path.resolve(__dirname, '../../../../../shared/testdata/sql-on-fhir');

interface SuiteFile {
  title: string;
  resources: JsonObject[];
  tests: Array<{
    title: string;
    tags?: string[];
    view: unknown;
    expect?: JsonObject[];
    expectCount?: number;
    expectError?: boolean;
    expectColumns?: string[];
  }>;
}

interface ConformanceCase {
  file: string;
  title: string;
  resources: JsonObject[];
  test: SuiteFile['tests'][number];
}

function loadCases(): ConformanceCase[] {
  const files = readdirSync(SUITE_DIR).filter(
    (name) => name.endsWith('.json') && name !== 'tests.schema.json',
  );
  return files.sort().flatMap((file) => {
    const suite = JSON.parse(readFileSync(path.join(SUITE_DIR, file), 'utf8')) as SuiteFile;
    return suite.tests.map((test) => ({
      file,
      title: test.title,
      resources: suite.resources,
      test,
    }));
  });
}

/** Sort rows by their canonical JSON, because the suite compares rows without regard to order. */
function sortRows(rows: readonly unknown[]): unknown[] {
  const keyed = rows.map((row) => ({ key: canonicalJson(row), row }));
  keyed.sort((a, b) => compareText(a.key, b.key));
  return keyed.map((entry) => entry.row);
}

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

const cases = loadCases();

describe('SQL-on-FHIR conformance suite', () => {
  it('finds all 22 files and 134 cases', () => {
    expect(new Set(cases.map((testCase) => testCase.file)).size).toBe(22);
    expect(cases).toHaveLength(134);
  });

  it.each(cases)('$file: $title', ({ resources, test }) => {
    const run = () => {
      const view = compileViewDefinition(test.view);
      return { view, rows: resources.flatMap((resource) => view.evaluate(resource)) };
    };

    if (test.expectError) {
      expect(run).toThrow(ViewDefinitionError);
      return;
    }
    const { view, rows } = run();
    if (test.expectColumns)
      expect(view.columns.map((column) => column.name)).toEqual(test.expectColumns);
    if (test.expectCount !== undefined) expect(rows).toHaveLength(test.expectCount);
    if (test.expect) expect(sortRows(rows)).toEqual(sortRows(test.expect));
  });
});
