// Real: the stability rule on listings built in memory. Faked: the listings, which a server would return.
import type { SftpFileEntry, SftpListing } from './listing';
import { selectStableFiles } from './stability';

function file(relativePath: string, size: number, mtime: number, marker = false): SftpFileEntry {
  const entry: SftpFileEntry = {
    remotePath: `/drop/${relativePath}`,
    relativePath,
    safeName: relativePath,
    size,
    mtime,
  };
  if (marker) entry.markerPath = `/drop/${relativePath}.done`;
  return entry;
}

function listing(...entries: SftpFileEntry[]): SftpListing {
  return { path: '/drop', entries, rejected: [] };
}

describe('selectStableFiles', () => {
  it.each([
    {
      case: 'unchanged',
      before: file('a.hl7', 10, 100),
      after: file('a.hl7', 10, 100),
      expected: undefined,
    },
    {
      case: 'grown',
      before: file('a.hl7', 10, 100),
      after: file('a.hl7', 12, 100),
      expected: 'size-changed',
    },
    {
      case: 'touched',
      before: file('a.hl7', 10, 100),
      after: file('a.hl7', 10, 101),
      expected: 'mtime-changed',
    },
    { case: 'new', before: file('b.hl7', 10, 100), after: file('a.hl7', 10, 100), expected: 'new' },
    {
      case: 'growing with marker',
      before: file('a.hl7', 10, 100),
      after: file('a.hl7', 12, 101, true),
      expected: undefined,
    },
  ])('$case gives $expected', ({ before, after, expected }) => {
    const { stable, unstable } = selectStableFiles(listing(before), listing(after));

    expect(unstable.map((item) => item.reason)).toEqual(expected === undefined ? [] : [expected]);
    expect(stable).toEqual(expected === undefined ? [after] : []);
  });

  it('waits for a marker when required', () => {
    const unchanged = file('a.hl7', 10, 100);
    const marked = file('b.hl7', 10, 100, true);

    const { stable, unstable } = selectStableFiles(
      listing(unchanged, marked),
      listing(unchanged, marked),
      { requireMarker: true },
    );

    expect(stable).toEqual([marked]);
    expect(unstable).toEqual([{ entry: unchanged, reason: 'waiting-for-marker' }]);
  });
});
