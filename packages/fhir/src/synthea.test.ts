// Real: the Synthea R4 bundles of the shared test data and the dataset files; nothing is faked.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { datasetColumns } from './__fixtures__/datasets';
import { readFhirJson } from './bundle-reader';
import { mapFhirResourceRow } from './map-resource-row';
import type { FhirResourcesRow } from './rows';
import type { FhirEntry } from './types';

const SYNTHEA_DIR = path.join(
  path.resolve(__dirname, '../../../../shared/testdata'),
  'fhir/synthea',
);
const BIBI_BUNDLE = 'Bibi254_Schowalter414_475d72ca-91c7-7211-97e3-f000af33fc04.json';
const INGESTED_AT = new Date('2024-05-01T12:00:00Z');

interface ReadFile {
  name: string;
  entries: FhirEntry[];
  problemCount: number;
}

function readSyntheaFile(name: string): ReadFile {
  const result = readFhirJson(readFileSync(path.join(SYNTHEA_DIR, name), 'utf8'), { file: name });
  return { name, entries: result.resources, problemCount: result.problems.length };
}

function mapFile(file: ReadFile): FhirResourcesRow[] {
  return file.entries.map((entry) =>
    mapFhirResourceRow(entry, { sourceFile: file.name, ingestedAt: INGESTED_AT }),
  );
}

function countByType(entries: readonly FhirEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { resource } of entries)
    counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
  return counts;
}

/** Entry counts per file from PROVENANCE.tsv, which was written from the source files independently. */
function provenanceEntryCounts(): Map<string, number> {
  const [header, ...lines] = readFileSync(path.join(SYNTHEA_DIR, 'PROVENANCE.tsv'), 'utf8')
    .trim()
    .split('\n');
  const columns = (header ?? '').split('\t');
  const fileColumn = columns.indexOf('file');
  const entriesColumn = columns.indexOf('entries');
  return new Map(
    lines
      .map((line) => line.split('\t'))
      .map((cells) => [cells[fileColumn] ?? '', Number(cells[entriesColumn])]),
  );
}

const fileNames = readdirSync(SYNTHEA_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();
const files = fileNames.map(readSyntheaFile);
const patientFiles = files.filter((file) => !/^(hospital|practitioner)Information/.test(file.name));
const allEntries = files.flatMap((file) => file.entries);

function fileNamed(name: string): ReadFile {
  const file = files.find((candidate) => candidate.name === name);
  if (!file) throw new Error(`${name} is missing from the Synthea test data`);
  return file;
}

describe('Synthea bundles', () => {
  it('reads all 1000 entries of the 12 files without problems', () => {
    expect(files).toHaveLength(12);
    expect(allEntries).toHaveLength(1000);
    expect(files.map((file) => file.problemCount)).toEqual(files.map(() => 0));
  });

  it('matches the entry count of each file in PROVENANCE.tsv', () => {
    const expected = provenanceEntryCounts();
    for (const file of files) {
      expect({ file: file.name, entries: file.entries.length }).toEqual({
        file: file.name,
        entries: expected.get(file.name),
      });
    }
  });

  it('reads 966 resources from the 10 patient bundles', () => {
    expect(patientFiles).toHaveLength(10);
    expect(patientFiles.flatMap((file) => file.entries)).toHaveLength(966);
  });

  it('counts 10 Patient and 144 Observation resources', () => {
    const counts = countByType(allEntries);
    expect(counts['Patient']).toBe(10);
    expect(counts['Observation']).toBe(144);
  });

  it('counts each resource type of one bundle', () => {
    const bibi = fileNamed(BIBI_BUNDLE);
    expect(countByType(bibi.entries)).toEqual({
      Patient: 1,
      Organization: 2,
      Practitioner: 2,
      Encounter: 13,
      Condition: 9,
      Observation: 16,
      Immunization: 18,
      Procedure: 1,
      DiagnosticReport: 2,
      CareTeam: 2,
      CarePlan: 2,
      Claim: 13,
      ExplanationOfBenefit: 13,
    });
  });

  it('resolves every urn:uuid reference of the patient bundles', () => {
    const serialized = patientFiles.flatMap((file) =>
      file.entries.map((entry) => JSON.stringify(entry.resource)),
    );
    expect(serialized.filter((json) => json.includes('urn:uuid:'))).toHaveLength(0);

    const bibi = fileNamed(BIBI_BUNDLE);
    const ids = new Set(
      bibi.entries.map(({ resource }) => `${resource.resourceType}/${String(resource.id)}`),
    );
    const observation = bibi.entries.find(
      ({ resource }) => resource.resourceType === 'Observation',
    );
    const subject = (observation?.resource['subject'] as { reference: string }).reference;
    expect(subject).toBe('Patient/475d72ca-91c7-7211-97e3-f000af33fc04');
    expect(ids.has(subject)).toBe(true);
  });

  it('gives every raw row exactly its dataset columns', () => {
    const rows = files.flatMap(mapFile);
    expect([...new Set(rows.map((row) => Object.keys(row).join(',')))]).toEqual([
      datasetColumns('raw.fhir_resources').join(','),
    ]);
  });

  it('maps the same files to the same hashes twice', () => {
    const hashes = () =>
      fileNames
        .map(readSyntheaFile)
        .flatMap(mapFile)
        .map((row) => `${String(row.content_hash)}:${String(row.record_hash)}`);

    const first = hashes();
    expect(first).toHaveLength(1000);
    expect(hashes()).toEqual(first);
  });

  it('gives a resource repeated in two bundles one record hash', () => {
    const rawRows = files.flatMap(mapFile);
    const byHash = new Map<string, string[]>();
    for (const row of rawRows) {
      const hash = String(row['record_hash']);
      byHash.set(hash, [
        ...(byHash.get(hash) ?? []),
        `${String(row['resource_type'])}/${String(row['resource_id'])}`,
      ]);
    }

    // Three patient bundles carry one organization and one practitioner with equal
    // content. The hospital and practitioner bundles add extensions, so they differ.
    const repeated = [...byHash.values()].filter((identities) => identities.length > 1);
    expect(byHash.size).toBe(996);
    expect(repeated.map((identities) => identities.length)).toEqual([3, 3]);
    for (const identities of repeated) expect(new Set(identities).size).toBe(1);
  });
});
