// Real: the Synthea R4 bundles of the shared test data and the dataset files; nothing is faked.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { datasetColumns } from './__fixtures__/datasets';
import { readFhirJson } from './bundle-reader';
import { mapFhirEntry } from './map-entry';
import type { FhirMappedRows } from './rows';
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

function mapFile(file: ReadFile): FhirMappedRows[] {
  return file.entries.map((entry) =>
    mapFhirEntry(entry, { sourceFile: file.name, ingestedAt: INGESTED_AT }),
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

  it('maps one Patient to its demographics', () => {
    const bibi = fileNamed(BIBI_BUNDLE);
    const patients = mapFile(bibi).flatMap((rows) => rows.patients);

    expect(patients).toHaveLength(1);
    const [patient] = patients;
    expect(patient?.['patient_key']).toBe('fhir:Patient/475d72ca-91c7-7211-97e3-f000af33fc04');
    expect(patient?.['birth_date']).toEqual(new Date('2009-04-29T00:00:00Z'));
    expect(patient?.['sex']).toBe('female');
    expect(patient?.['assigning_authority']).toBe('https://github.com/synthetichealth/synthea');
    expect(patient?.['is_deleted']).toBe(false);
    expect(patient?.['source_position']).toBe(0);
  });

  it('maps a blood pressure Observation to one row per component', () => {
    const bibi = fileNamed(BIBI_BUNDLE);
    const bloodPressure = bibi.entries.find(
      ({ resource }) => resource.id === '4eec3a72-563d-917a-b569-ef53381031f9',
    );
    if (!bloodPressure)
      throw new Error('the blood pressure Observation is missing from the bundle');
    const rows = mapFhirEntry(bloodPressure, {
      sourceFile: bibi.name,
      ingestedAt: INGESTED_AT,
    }).observations;

    expect(rows.map((row) => row['observation_key'])).toEqual([
      'fhir:Observation/4eec3a72-563d-917a-b569-ef53381031f9#0',
      'fhir:Observation/4eec3a72-563d-917a-b569-ef53381031f9#1',
    ]);
    expect(rows.map((row) => row['code'])).toEqual(['8462-4', '8480-6']);
    expect(rows.map((row) => row['value_number'])).toEqual([72, 116]);
    expect(rows.map((row) => row['unit'])).toEqual(['mm[Hg]', 'mm[Hg]']);
    expect(rows.map((row) => row['patient_key'])).toEqual([
      'fhir:Patient/475d72ca-91c7-7211-97e3-f000af33fc04',
      'fhir:Patient/475d72ca-91c7-7211-97e3-f000af33fc04',
    ]);
    // 2020-03-06T20:20:23-08:00 is the next day in UTC.
    expect(rows[0]?.['effective_time']).toEqual(new Date('2020-03-07T04:20:23Z'));
    expect(new Set(rows.map((row) => row['record_hash'])).size).toBe(2);
  });

  it('maps 153 observation rows: 135 single and 9 blood pressures of 2', () => {
    const observations = files.flatMap((file) =>
      mapFile(file).flatMap((rows) => rows.observations),
    );
    expect(observations).toHaveLength(153);
    expect(observations.filter((row) => String(row['observation_key']).includes('#'))).toHaveLength(
      18,
    );
  });

  it('gives every row exactly its dataset columns', () => {
    const mapped = files.flatMap(mapFile);
    const columnsOf = (rows: FhirMappedRows[keyof FhirMappedRows]) =>
      new Set(rows.map((row) => Object.keys(row).join(',')));

    expect([...columnsOf(mapped.flatMap((rows) => rows.resources))]).toEqual([
      datasetColumns('raw.fhir_resources').join(','),
    ]);
    expect([...columnsOf(mapped.flatMap((rows) => rows.patients))]).toEqual([
      datasetColumns('clinical.patients').join(','),
    ]);
    expect([...columnsOf(mapped.flatMap((rows) => rows.observations))]).toEqual([
      datasetColumns('clinical.observations').join(','),
    ]);
  });

  it('maps the same files to the same hashes twice', () => {
    const hashes = () =>
      fileNames
        .map(readSyntheaFile)
        .flatMap(mapFile)
        .flatMap((rows) => [...rows.resources, ...rows.patients, ...rows.observations])
        .map((row) => `${String(row['content_hash'] ?? '')}:${String(row['record_hash'])}`);

    const first = hashes();
    expect(first).toHaveLength(1000 + 10 + 153);
    expect(hashes()).toEqual(first);
  });

  it('gives a resource repeated in two bundles one record hash', () => {
    const rawRows = files.flatMap(mapFile).flatMap((rows) => rows.resources);
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
