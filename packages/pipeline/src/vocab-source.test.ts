// Real: the repository's source definitions, and broken definitions written to a temp folder.
// Nothing is faked.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '@carelake/core';
import { loadVocabSource, loadVocabSources, matchesReleaseFiles, resolveReleaseLocation } from './vocab-source';

const VOCABULARIES = resolve(__dirname, '../../../vocabularies');

function errorOf(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('vocabulary source definitions', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-vocab-source-test-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads one definition per system', () => {
    const sources = loadVocabSources(VOCABULARIES);

    expect([...sources.keys()]).toEqual(['cvx', 'icd10cm', 'icd10pcs', 'loinc', 'omop', 'rxnorm', 'snomedct']);
    expect(sources.get('loinc')?.table).toBe('vocab.loinc');
    expect(sources.get('icd10cm')?.schedule).toEqual({ every: 'year', on: ['10-01'], updates: ['04-01'], graceDays: 30 });
    expect(sources.get('rxnorm')?.schedule).toEqual({ every: 'month', on: 'first-monday', updates: 'weekly', graceDays: 14 });
  });

  it.each([
    { case: 'LOINC', system: 'loinc', licensed: true },
    { case: 'SNOMED CT', system: 'snomedct', licensed: true },
    { case: 'RxNorm', system: 'rxnorm', licensed: true },
    { case: 'CVX', system: 'cvx', licensed: false },
    { case: 'ICD-10-CM', system: 'icd10cm', licensed: false },
  ])('marks the $case licence', ({ system, licensed }) => {
    expect(loadVocabSources(VOCABULARIES).get(system)?.licence.licensed).toBe(licensed);
  });

  it('lists every invalid setting with its key path', async () => {
    const file = join(root, 'loinc.source.yaml');
    await writeFile(
      file,
      [
        'system: loinc',
        'name: LOINC',
        'publisher: Regenstrief Institute',
        'format: csv',
        'files: []',
        'licence: { licensed: true, note: Licensed. }',
        'schedule: { every: year, on: ["2-1"] }',
      ].join('\n'),
    );

    const error = errorOf(() => loadVocabSource(file));

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.keyPath)).toEqual(['format', 'files', 'schedule.on[0]']);
  });

  it('rejects a file named after another system', async () => {
    const file = join(root, 'lab.source.yaml');
    await writeFile(
      file,
      'system: loinc\nname: LOINC\npublisher: R\nformat: loinc\nfiles: [Loinc.csv]\nlicence: { licensed: true, note: L }\nschedule: { every: none }\n',
    );

    const error = errorOf(() => loadVocabSource(file)) as ConfigError;

    expect(error.issues).toEqual([{ keyPath: 'system', message: 'is "loinc", so the file must be named loinc.source.yaml' }]);
  });

  it.each([
    { case: 'override path', override: 'downloads/cvx', expected: { kind: 'path', path: resolve('downloads/cvx') } },
    { case: 'S3 prefix', override: 's3://bucket/releases/cvx', expected: { kind: 's3', bucket: 'bucket', prefix: 'releases/cvx/', uri: 's3://bucket/releases/cvx' } },
    { case: 'S3 bucket root', override: 's3://bucket', expected: { kind: 's3', bucket: 'bucket', prefix: '', uri: 's3://bucket' } },
  ])('resolves an $case', ({ override, expected }) => {
    const source = loadVocabSource(join(VOCABULARIES, 'cvx.source.yaml'));

    expect(resolveReleaseLocation(source, override)).toEqual(expected);
  });

  it('resolves a location relative to the definition', () => {
    const source = { ...loadVocabSource(join(VOCABULARIES, 'cvx.source.yaml')), location: 'samples/cvx' };

    expect(resolveReleaseLocation(source)).toEqual({ kind: 'path', path: join(VOCABULARIES, 'samples', 'cvx') });
  });

  it.each([
    { case: 'a nested Loinc.csv', path: 'Loinc_2.80/LoincTable/Loinc.csv', matches: true },
    { case: 'Loinc.csv at the top', path: 'Loinc.csv', matches: true },
    { case: 'another case', path: 'loinctable/LOINC.CSV', matches: true },
    { case: 'an accessory file', path: 'AccessoryFiles/PanelsAndForms/Loinc.csv.bak', matches: false },
    { case: 'LoincTableCore.csv', path: 'LoincTableCore/LoincTableCore.csv', matches: false },
  ])('matches $case', ({ path, matches }) => {
    expect(matchesReleaseFiles({ files: ['**/Loinc.csv', '**/MapTo.csv'] }, path)).toBe(matches);
  });
});
