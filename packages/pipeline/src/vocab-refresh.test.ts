// Real: vocabulary refreshes into a local lake (object store, DuckDB, Parquet, SQLite catalog,
// audit log) with the repository's vocab.cvx dataset file and CVX source definition, reading
// release files from temp folders. Faked: the clock, and the CVX rows, which are synthetic.
// A second local object store takes the place of an S3 bucket.
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readAuditEvents } from '@carelake/audit';
import { loadConfig, ManualClock } from '@carelake/core';
import { LocalObjectStore } from '@carelake/storage';
import { totalRows } from '@carelake/tables';
import { loadDatasets, requireDataset } from './datasets';
import { openLocalLake, type Lake } from './lake';
import { loadVocabIndexes } from './vocab-check';
import { VocabRefreshError } from './vocab-errors';
import { refreshVocabulary, type RefreshVocabularyOptions } from './vocab-refresh';
import { loadVocabSource } from './vocab-source';
import { VocabReleaseLog, type ChangeReport } from './vocab-state';
import { readCurrentPeriods } from './vocab-table';

const REPO = resolve(__dirname, '../../..');
const datasets = loadDatasets(join(REPO, 'pipelines', 'datasets'));
const CVX_DATASET = requireDataset(datasets, 'vocab.cvx');
const IMMUNIZATIONS = requireDataset(datasets, 'clinical.immunizations');
const CVX_SOURCE = loadVocabSource(join(REPO, 'vocabularies', 'cvx.source.yaml'));

/** Returns a cvx.txt line: code, short description, full name, note, status, nonvaccine, last updated. */
function cvxLine(code: string, display: string, updated: string, status = 'Active'): string {
  return [code, display, `${display}, full name`, '', status, 'False', updated].join('|');
}

const FIRST_RELEASE = [
  cvxLine('901', 'Synthetic vaccine 1', '1/15/2024'),
  cvxLine('902', 'Synthetic vaccine 2', '1/15/2024'),
  cvxLine('903', 'Synthetic vaccine 3', '1/15/2024'),
];
// Effective 2025-01-15: 903 is dropped, 902 renamed, 904 added.
const SECOND_RELEASE = [
  cvxLine('901', 'Synthetic vaccine 1', '1/15/2024'),
  cvxLine('902', 'Synthetic vaccine 2, renamed', '1/15/2025'),
  cvxLine('904', 'Synthetic vaccine 4', '1/15/2025'),
];

describe('refreshVocabulary', () => {
  let root: string;
  let lake: Lake;

  async function writeRelease(name: string, lines: readonly string[]): Promise<string> {
    const folder = join(root, 'releases', name);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'cvx.txt'), `${lines.join('\r\n')}\r\n`);
    return folder;
  }

  function refresh(release: string, options: Partial<RefreshVocabularyOptions> = {}) {
    return refreshVocabulary({ lake, source: CVX_SOURCE, dataset: CVX_DATASET, release, ...options });
  }

  async function readReport(key: string): Promise<ChangeReport> {
    return JSON.parse(Buffer.from(await lake.store.get(key)).toString('utf8')) as ChangeReport;
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-vocab-refresh-test-'));
    const config = loadConfig({ cwd: root, env: { CARELAKE_LAKE_ROOT: join(root, 'lake'), CARELAKE_QUERY_THREADS: '1' } });
    lake = await openLocalLake(config, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
  });

  afterEach(async () => {
    await lake.close();
    await rm(root, { recursive: true, force: true });
  });

  it('loads the same release once', async () => {
    const folder = await writeRelease('first', FIRST_RELEASE);
    const first = await refresh(folder);
    const history = await lake.tables.snapshot('vocab.cvx');

    // The same files in another folder are the same release.
    const again = await refresh(await writeRelease('copy', FIRST_RELEASE));

    expect(first.outcome).toBe('loaded');
    expect(first.entry).toMatchObject({ version: '2024-01-15', effective: '2024-01-15', sequence: 1, rowsAppended: 3 });
    expect(again.outcome).toBe('already-loaded');
    expect(again.entry.sequence).toBe(1);
    expect((await lake.tables.snapshot('vocab.cvx'))?.version).toBe(history?.version);
    expect(await new VocabReleaseLog(lake.store, 'cvx').list()).toHaveLength(1);
  });

  describe('second release', () => {
    let report: ChangeReport;

    beforeEach(async () => {
      await refresh(await writeRelease('first', FIRST_RELEASE));
      const second = await refresh(await writeRelease('second', SECOND_RELEASE));
      if (second.outcome !== 'loaded') throw new Error('the second release was not loaded');
      report = second.report;
    });

    it('reports added, retired and renamed codes', async () => {
      expect(report.counts).toEqual({ added: 1, retired: 1, descriptionChanged: 1, statusChanged: 0, unchanged: 1 });
      expect(report.examples).toEqual({ added: ['904'], retired: ['903'], descriptionChanged: ['902'], statusChanged: [] });
      expect(report.previous).toEqual({ version: '2024-01-15', effective: '2024-01-15', sequence: 1 });
      expect(await readReport('_state/vocab/reports/cvx/000002-2025-01-15.json')).toEqual(report);
    });

    it('deletes no row', async () => {
      // 3 baseline periods, then 903 closed, 902 closed and reopened, and 904 opened.
      expect(totalRows(await lake.tables.snapshot('vocab.cvx'))).toBe(7);
      expect(totalRows(await lake.tables.snapshot('vocab.cvx_current'))).toBe(5);
    });

    it.each([
      { case: 'retired code before its retirement', code: '903', date: '2024-06-01', expected: 'known' },
      { case: 'retired code after its retirement', code: '903', date: '2025-01-15', expected: 'retired' },
      { case: 'added code before its release', code: '904', date: '2024-06-01', expected: 'unknown' },
      { case: 'added code after its release', code: '904', date: '2025-02-01', expected: 'known' },
    ])('checks the $case', async ({ code, date, expected }) => {
      const { index } = await loadVocabIndexes(lake, [IMMUNIZATIONS]);

      expect(index.check('cvx', code, date)).toBe(expected);
    });

    it('keeps the old description for earlier dates', async () => {
      const renamed = (await readCurrentPeriods(lake, CVX_DATASET))
        .filter((period) => period.code === '902')
        .sort((left, right) => String(left.validFrom).localeCompare(String(right.validFrom)));

      expect(renamed.map(({ display, validFrom, validTo }) => ({ display, validFrom, validTo }))).toEqual([
        { display: 'Synthetic vaccine 2, renamed', validFrom: '2025-01-15', validTo: null },
        { display: 'Synthetic vaccine 2', validFrom: null, validTo: '2025-01-15' },
      ]);
    });

    it('registers both tables and audits the refresh', async () => {
      expect(await lake.catalog.getTable('vocab', 'cvx')).toBeDefined();
      expect(await lake.catalog.getTable('vocab', 'cvx_current')).toBeDefined();
      const refreshes = [];
      for await (const event of readAuditEvents(join(root, 'lake', '_audit'), { action: 'vocab.refresh' })) {
        refreshes.push(event.details);
      }
      expect(refreshes).toEqual([
        expect.objectContaining({ version: '2024-01-15', sequence: 1, added: 3 }),
        expect.objectContaining({ version: '2025-01-15', sequence: 2, added: 1, retired: 1 }),
      ]);
    });
  });

  it('restores an earlier name on the same date', async () => {
    await refresh(await writeRelease('first', FIRST_RELEASE));
    // Each release differs in its last updated date too, since the same files are the same release.
    const releases = [
      { version: 'v2', display: 'Name B', updated: '1/10/2025' },
      { version: 'v3', display: 'Name C', updated: '1/11/2025' },
      { version: 'v4', display: 'Name B', updated: '1/12/2025' },
    ];
    for (const { version, display, updated } of releases) {
      const folder = await writeRelease(version, [FIRST_RELEASE[0] as string, cvxLine('902', display, updated)]);
      await refresh(folder, { version, effective: '2025-01-15' });
    }

    const periods = await readCurrentPeriods(lake, CVX_DATASET);

    expect(periods.filter((period) => period.code === '902' && period.validFrom === '2025-01-15')).toEqual([
      expect.objectContaining({ display: 'Name B', validTo: null }),
    ]);
  });

  it('rejects an older release after a newer one', async () => {
    await refresh(await writeRelease('second', SECOND_RELEASE));

    const older = refresh(await writeRelease('first', FIRST_RELEASE));

    await expect(older).rejects.toThrow(/takes effect on 2024-01-15, before the newest loaded release 2025-01-15/);
  });

  it('rejects other files under a loaded version', async () => {
    await refresh(await writeRelease('first', FIRST_RELEASE), { version: 'local-1' });

    const reused = refresh(await writeRelease('second', SECOND_RELEASE), { version: 'local-1' });

    await expect(reused).rejects.toThrow(/version local-1 of cvx is already loaded \(sequence 1\) from different files/);
  });

  it('loads nothing from a release with an unreadable line', async () => {
    const folder = await writeRelease('broken', [...FIRST_RELEASE, cvxLine('9x1', 'Synthetic vaccine', '1/15/2024')]);

    const loading = refresh(folder);

    await expect(loading).rejects.toThrow(VocabRefreshError);
    await expect(refresh(folder)).rejects.toThrow(
      'the cvx release has 1 line(s) that cannot be read, so nothing was loaded: cvx.txt:4 CVX Code: CVX Code must be 1 to 3 digits',
    );
    expect(await lake.tables.snapshot('vocab.cvx')).toBeUndefined();
  });

  it('finishes a refresh that stopped after its commit', async () => {
    const folder = await writeRelease('first', FIRST_RELEASE);
    await refresh(folder);
    // As if the process had stopped before recording the release.
    await unlink(join(root, 'lake', '_state', 'vocab', 'cvx', 'releases', '000001.json'));

    const finished = await refresh(folder);

    expect(finished.outcome).toBe('loaded');
    expect(finished.outcome === 'loaded' ? finished.recovered : undefined).toBe(true);
    expect(finished.entry.counts.added).toBe(3);
    expect(totalRows(await lake.tables.snapshot('vocab.cvx'))).toBe(3);
  });

  it('refuses to run beside another refresh of the system', async () => {
    await lake.store.put('_state/vocab/cvx/refresh.lock', JSON.stringify({ pid: 4242, startedAt: '2026-03-04T05:00:00.000Z' }));

    const blocked = refresh(await writeRelease('first', FIRST_RELEASE));

    await expect(blocked).rejects.toThrow('another refresh of cvx holds the lock (process 4242, started 2026-03-04T05:00:00.000Z)');
  });

  it('reads a release from an S3 location', async () => {
    // Like S3ObjectStore with a prefix, the store lists keys relative to the location.
    const bucketRoot = join(root, 'bucket');
    await new LocalObjectStore({ root: bucketRoot }).put('cvx/2024/cvx.txt', `${FIRST_RELEASE.join('\n')}\n`);
    const opened: Array<{ bucket: string; prefix: string }> = [];

    const loaded = await refresh('s3://releases-bucket/cvx/2024', {
      openS3: (location) => {
        opened.push(location);
        return new LocalObjectStore({ root: join(bucketRoot, location.prefix) });
      },
    });

    expect(opened).toEqual([{ bucket: 'releases-bucket', prefix: 'cvx/2024/' }]);
    expect(loaded.entry.files.map((file) => file.name)).toEqual(['cvx.txt']);
    expect(loaded.entry.counts.added).toBe(3);
  });
});
