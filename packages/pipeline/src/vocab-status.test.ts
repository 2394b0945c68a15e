// Real: release log entries in a local object store, judged against the repository's source
// definitions. Faked: the entries are written directly instead of by refreshes, and "today" is given.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalObjectStore } from '@carelake/storage';
import { loadVocabSources } from './vocab-source';
import { VocabReleaseLog, type LoadedReleaseEntry } from './vocab-state';
import { describeSchedule, vocabularyStatus } from './vocab-status';

const sources = loadVocabSources(resolve(__dirname, '../../../vocabularies'));

function entry(system: string, version: string, effective: string, sequence: number): LoadedReleaseEntry {
  return {
    system,
    table: `vocab.${system}`,
    version,
    effective,
    sequence,
    releaseHash: `${system}-${sequence}`,
    files: [],
    loadedAt: '2025-03-01T00:00:00.000Z',
    principal: 'runner',
    counts: { added: 1, retired: 0, descriptionChanged: 0, statusChanged: 0, unchanged: 0 },
    rowsAppended: 1,
    reportKey: `_state/vocab/reports/${system}/${sequence}.json`,
  };
}

describe('vocabularyStatus', () => {
  let root: string;
  let store: LocalObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-vocab-status-test-'));
    store = new LocalObjectStore({ root });
    await new VocabReleaseLog(store, 'loinc').record(entry('loinc', '2.78', '2024-08-20', 1));
    await new VocabReleaseLog(store, 'loinc').record(entry('loinc', '2.80', '2025-02-24', 2));
    await new VocabReleaseLog(store, 'cvx').record(entry('cvx', '2025-01-15', '2025-01-15', 1));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    { case: 'on the last day of grace', today: '2025-09-15', state: 'current' },
    { case: 'the day after the grace days', today: '2025-09-16', state: 'overdue' },
  ])('judges the newest LOINC release $case', async ({ today, state }) => {
    const statuses = await vocabularyStatus(store, sources.values(), today);
    const loinc = statuses.find((status) => status.system === 'loinc');

    expect(loinc).toMatchObject({ loaded: { version: '2.80', sequence: 2 }, nextExpected: '2025-08-01', dueBy: '2025-09-15', state });
  });

  it('lists every system with its state', async () => {
    const statuses = await vocabularyStatus(store, sources.values(), '2026-03-04');

    expect(statuses.map((status) => [status.system, status.state])).toEqual([
      ['cvx', 'unscheduled'],
      ['icd10cm', 'not-loaded'],
      ['icd10pcs', 'not-loaded'],
      ['loinc', 'overdue'],
      ['omop', 'not-loaded'],
      ['rxnorm', 'not-loaded'],
      ['snomedct', 'not-loaded'],
    ]);
  });

  it.each([
    { case: 'ICD-10-CM', system: 'icd10cm', text: 'yearly on 10-01, updates 04-01' },
    { case: 'RxNorm', system: 'rxnorm', text: 'monthly on the first Monday, weekly updates' },
    { case: 'CVX', system: 'cvx', text: 'when needed' },
  ])('describes the $case schedule', ({ system, text }) => {
    const schedule = sources.get(system)?.schedule ?? { every: 'none' as const };

    expect(sources.has(system)).toBe(true);
    expect(describeSchedule(schedule)).toBe(text);
  });
});
