// Real: the Synthea R4 bundles of the shared test data, read in place, and the R4 definitions; nothing is faked.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readFhirJson } from '../bundle-reader';
import type { JsonObject } from '../types';
import { createConformanceChecker } from './checker';

const SYNTHEA_DIR = path.join(
  path.resolve(__dirname, '../../../../../shared/testdata'),
  'fhir/synthea',
);

interface SyntheaBundle {
  name: string;
  text: string;
  bundle: JsonObject & { entry: Array<{ fullUrl: string; resource: JsonObject }> };
}

const bundles: SyntheaBundle[] = readdirSync(SYNTHEA_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => {
    const text = readFileSync(path.join(SYNTHEA_DIR, name), 'utf8');
    return { name, text, bundle: JSON.parse(text) as SyntheaBundle['bundle'] };
  });

/** Total entries of the bundles as PROVENANCE.tsv lists them, counted apart from this code. */
function provenanceEntryTotal(): number {
  const [header, ...lines] = readFileSync(path.join(SYNTHEA_DIR, 'PROVENANCE.tsv'), 'utf8')
    .trim()
    .split('\n');
  const entriesColumn = (header ?? '').split('\t').indexOf('entries');
  return lines.reduce((total, line) => total + Number(line.split('\t')[entriesColumn]), 0);
}

const checker = createConformanceChecker();

describe('ConformanceChecker on Synthea bundles', () => {
  it('passes every entry as sent', () => {
    let checked = 0;
    const issues = bundles.flatMap(({ bundle }) => {
      const bundleFullUrls = new Set(bundle.entry.map((entry) => entry.fullUrl));
      return bundle.entry.flatMap((entry) => {
        checked++;
        return checker.check(entry.resource, { bundleFullUrls });
      });
    });

    expect(checked).toBe(provenanceEntryTotal());
    expect(issues).toEqual([]);
  });

  it('passes every entry after the bundle reader', () => {
    let checked = 0;
    const issues = bundles.flatMap(({ name, text }) => {
      const { resources } = readFhirJson(text, { file: name });
      const bundleFullUrls = new Set(
        resources.flatMap((entry) => (entry.fullUrl ? [entry.fullUrl] : [])),
      );
      return resources.flatMap((entry) => {
        checked++;
        return checker.check(entry.resource, { bundleFullUrls });
      });
    });

    expect(checked).toBe(provenanceEntryTotal());
    expect(issues).toEqual([]);
  });

  it.each(bundles.map(({ name, bundle }) => ({ case: name, bundle })))(
    'passes the Bundle $case',
    ({ bundle }) => {
      expect(checker.check(bundle)).toEqual([]);
    },
  );

  it('finds a fault planted in real data', () => {
    const bundle = structuredClone(bundles[0]?.bundle);
    const entries = bundle?.entry ?? [];
    const index = entries.findIndex((entry) => entry.resource['resourceType'] === 'Observation');
    const observation = entries[index]?.resource ?? {};
    delete observation['status'];
    observation['issued'] = '2020-03-01';

    expect(checker.check(bundle ?? {}).map((issue) => [issue.code, issue.path])).toEqual([
      ['invalid-primitive', `Bundle.entry[${index}].resource.issued`],
      ['required-missing', `Bundle.entry[${index}].resource.status`],
    ]);
  });
});
