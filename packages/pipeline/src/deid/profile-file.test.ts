// Real: profile files written to a temp folder, the repository's dataset files and its two shipped
// profiles, YAML and schema validation. Nothing is faked.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '@carelake/core';
import { DeidProfileFileError } from './deid-errors';
import { loadDeidProfileFile } from './profile-file';

const PIPELINES = resolve(__dirname, '../../../../pipelines');
const DATASETS = join(PIPELINES, 'datasets');

describe('loadDeidProfileFile', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-deid-profile-test-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const load = async (name: string, text: string) => {
    const path = join(folder, name);
    await writeFile(path, text);
    return loadDeidProfileFile(path, { datasetsFolder: DATASETS });
  };

  const issuesOf = async (text: string): Promise<string[]> => {
    try {
      await load('broken.deid.yaml', text);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.issues.map((issue) => `${issue.keyPath}: ${issue.message}`);
    }
    throw new Error('the profile file was accepted');
  };

  it.each([
    { case: 'Safe Harbor', file: 'research.deid.yaml', method: 'safe-harbor', outputs: ['deid.patients', 'deid.encounters', 'deid.observations'] },
    {
      case: 'limited',
      file: 'research-limited.deid.yaml',
      method: 'limited',
      outputs: ['deid_limited.patients', 'deid_limited.encounters', 'deid_limited.observations'],
    },
  ])('loads the shipped $case profile', ({ file, method, outputs }) => {
    const profile = loadDeidProfileFile(join(PIPELINES, 'policies', file));

    expect(profile.method).toBe(method);
    expect(profile.tables.map((table) => table.output)).toEqual(outputs);
    expect(profile.tables.map((table) => table.source)).toEqual([
      'clinical.patients_current',
      'clinical.encounters_current',
      'clinical.observations_current',
    ]);
    expect(profile.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('merges table options over shared ones', async () => {
    const profile = await load(
      'merge.deid.yaml',
      `description: Merge test.
profile: { method: safe-harbor, riskCheck: { k: 3 }, keep: [country] }
tables:
  - { source: clinical.patients_current, output: deid.patients }
  - { source: clinical.observations_current, output: deid.observations, profile: { keep: [code] } }
`,
    );

    expect(profile.tables.map((table) => table.profile.keep)).toEqual([['country'], ['code']]);
    expect(profile.tables.map((table) => table.profile.riskCheck.k)).toEqual([3, 3]);
    expect(profile.name).toBe('merge');
  });

  it('leaves dropped columns out of the dataset', async () => {
    const profile = await load(
      'drop.deid.yaml',
      'description: Drop test.\nprofile: { method: safe-harbor }\ntables:\n  - { source: clinical.patients_current, output: deid.patients, drop: [record_hash] }\n',
    );

    expect(Object.keys(profile.tables[0]?.dataset.columns ?? {})).not.toContain('record_hash');
    expect(Object.keys(profile.tables[0]?.sourceDataset.columns ?? {})).toContain('record_hash');
  });

  it('lists every problem with its key path', async () => {
    const issues = await issuesOf(`description: Broken.
profile: { method: safe-harbor }
tables:
  - { source: clinical.patients_current, output: deid_limited.patients, drop: [no_such_column, patient_key] }
  - { source: clinical.nothing_current, output: deid.nothing }
  - { source: clinical.patients_current, output: deid.people, profile: { keep: [family_name] } }
  - { source: clinical.encounters_current, output: deid.encounters, profile: { method: limited } }
`);

    expect(issues).toEqual([
      'tables[0].output: a safe-harbor profile writes to database deid, such as deid.patients',
      'tables[0].drop[0]: column "no_such_column" is not declared in dataset clinical.patients_current',
      'tables[0].drop[1]: column "patient_key" is the patient column, which study ids and date shifts are keyed on',
      'tables[1].source: no dataset file describes clinical.nothing_current; name a dataset\'s table or the _current companion of a history dataset',
      'tables[2].profile.keep[0]: column "family_name" carries identifier kind name, but keep applies only to columns without one',
      'tables[3].profile.method: the method is set once for the file, under profile.method',
    ]);
  });

  it('points shared option problems at profile', async () => {
    const issues = await issuesOf(`description: Broken.
profile: { method: limited, columns: { family_name: { action: keep } } }
tables:
  - { source: clinical.patients_current, output: deid_limited.patients }
`);

    expect(issues).toEqual([
      'profile.columns.family_name.action: column "family_name" carries identifier kind name, which a limited data set must remove. Use redact or pseudonymize instead',
    ]);
  });

  it.each([
    { case: 'no suffix', name: 'research.yaml' },
    { case: 'upper case', name: 'Research.deid.yaml' },
  ])('rejects a file name with $case', async ({ name }) => {
    await expect(load(name, 'description: x\n')).rejects.toThrow(DeidProfileFileError);
  });
});
