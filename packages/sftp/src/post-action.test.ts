// Real: archive naming and folder arithmetic on literal paths. Faked: nothing; the server-side moves are tested against sshd elsewhere.
import { archiveFolderInside, resolveArchiveFolder, withSuffix } from './post-action';

describe('withSuffix', () => {
  it.each([
    { case: 'extension', name: 'batch.hl7', expected: 'batch-2.hl7' },
    { case: 'two extensions', name: 'batch.ndjson.gz', expected: 'batch.ndjson-2.gz' },
    { case: 'no extension', name: 'README', expected: 'README-2' },
    { case: 'dot file', name: '.profile', expected: '.profile-2' },
  ])('numbers a name with $case', ({ name, expected }) => {
    expect(withSuffix(name, 2)).toBe(expected);
  });
});

describe('resolveArchiveFolder', () => {
  it.each([
    {
      case: 'relative',
      listed: '/outbound/adt',
      archive: 'archive',
      expected: '/outbound/adt/archive',
    },
    {
      case: 'absolute',
      listed: '/outbound/adt',
      archive: '/archive/adt',
      expected: '/archive/adt',
    },
    {
      case: 'listed with slash',
      listed: '/outbound/',
      archive: 'done',
      expected: '/outbound/done',
    },
  ])('resolves $case', ({ listed, archive, expected }) => {
    expect(resolveArchiveFolder(listed, archive)).toBe(expected);
  });
});

describe('archiveFolderInside', () => {
  it.each([
    { case: 'relative folder', listed: '/outbound', archive: 'archive/', expected: 'archive' },
    { case: 'relative parent', listed: '/outbound', archive: '../archive', expected: undefined },
    {
      case: 'absolute inside',
      listed: '/outbound/',
      archive: '/outbound/done/2026',
      expected: 'done/2026',
    },
    {
      case: 'absolute sibling',
      listed: '/outbound',
      archive: '/outbound-archive',
      expected: undefined,
    },
    { case: 'root listing', listed: '/', archive: '/archive', expected: 'archive' },
  ])('finds $case', ({ listed, archive, expected }) => {
    expect(archiveFolderInside(listed, archive)).toBe(expected);
  });
});
