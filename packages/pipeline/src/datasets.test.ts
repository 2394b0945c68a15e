// loadDatasets and requireDataset over the repository's dataset files and a missing folder; nothing is faked.
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { loadDatasets, requireDataset } from './datasets';
import { DatasetNotFoundError } from './errors';

const REPOSITORY_DATASETS = resolve(__dirname, '../../../pipelines/datasets');

describe('loadDatasets', () => {
  it('names a missing folder', () => {
    const folder = join(tmpdir(), 'carelake-no-such-folder', 'datasets');

    const error = (() => {
      try {
        loadDatasets(folder);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(DatasetNotFoundError);
    expect((error as DatasetNotFoundError).message).toBe(`datasets folder not found: ${folder}`);
    expect((error as DatasetNotFoundError).hint).toContain('--datasets DIR');
  });
});

describe('requireDataset', () => {
  it('lists a few known tables', () => {
    const datasets = loadDatasets(REPOSITORY_DATASETS);

    const error = (() => {
      try {
        requireDataset(datasets, 'raw.unknown');
      } catch (caught) {
        return caught as DatasetNotFoundError;
      }
      return undefined;
    })();

    expect(error?.message).toBe('no dataset file describes raw.unknown');
    expect(error?.hint).toContain(`and ${datasets.size - 8} more`);
    expect(error?.hint?.split(', ')).toHaveLength(8);
  });
});
